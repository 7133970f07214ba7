/* Journal recovery at mount, as e2fsck/recovery.c does it: from s_start,
 * while the blocks carry the expected sequence number, a transaction counts
 * once its commit block is found; an uncommitted tail is ignored.  Three
 * passes: SCAN finds the end, REVOKE collects revoke records (KLOS writes
 * none, Linux may have), REPLAY copies every logged block of a committed
 * transaction home unless a revoke of the same or a later transaction names
 * it.  Then the journal is marked empty.  Every value is checked: a tag
 * naming a block outside the file system or inside the journal refuses the
 * mount; every loop is bounded by the log's length. */
#include "fsint.h"

enum { SCAN, REVOKE, REPLAY };

/* the revoke table: open addressing over up to RV_MAXPAGES pages of {block, seq + 1} */
#define RV_MAXPAGES 64
#define RV_PER_PAGE (FS_PAGE / 8)
struct rvtab {
    uint32_t *page[RV_MAXPAGES];
    uint32_t npages, mask;
};

static uint32_t *rv_slot(struct rvtab *t, uint32_t i)
{
    return t->page[i / RV_PER_PAGE] + 2 * (i % RV_PER_PAGE);
}

static int rv_init(struct rvtab *t, uint32_t n)
{
    uint32_t slots = RV_PER_PAGE;
    while (slots < 2 * n)
        slots <<= 1;
    if (slots / RV_PER_PAGE > RV_MAXPAGES)
        return -ENOMEM;
    t->npages = slots / RV_PER_PAGE;
    t->mask = slots - 1;
    for (uint32_t i = 0; i < t->npages; i++)
        if (!(t->page[i] = fs_page_alloc()))
            return -ENOMEM;
    return 0;
}

static void rv_free(struct rvtab *t)
{
    for (uint32_t i = 0; i < t->npages; i++)
        if (t->page[i])
            fs_page_free(t->page[i]);
}

static uint32_t *rv_find(struct rvtab *t, uint32_t block)
{
    uint32_t i = (block * 2654435761u) & t->mask;
    for (uint32_t n = 0; n <= t->mask; n++, i = (i + 1) & t->mask) {
        uint32_t *s = rv_slot(t, i);
        if (s[1] == 0 || s[0] == block)
            return s;
    }
    return 0;
}

static void rv_set(struct rvtab *t, uint32_t block, uint32_t seq)
{
    uint32_t *s = rv_find(t, block);
    if (!s)
        return;                         /* cannot happen: the table has twice the records */
    if (s[1] == 0 || (int32_t)(seq - (s[1] - 1)) > 0) {
        s[0] = block;
        s[1] = seq + 1;
    }
}

/* revoked by a record of transaction seq or later? */
static int rv_test(struct rvtab *t, uint32_t block, uint32_t seq)
{
    if (!t->npages)
        return 0;
    uint32_t *s = rv_find(t, block);
    return s && s[1] && s[0] == block && (int32_t)((s[1] - 1) - seq) >= 0;
}

static int jread(struct fs *fs, uint32_t pos, uint8_t *buf)
{
    uint32_t p;
    int r = j_map(fs, pos, &p);
    return r < 0 ? r : dev_read_block(fs, p, buf);
}

static int bad_home(struct fs *fs, uint32_t b)
{
    return b < fs->first_data || b >= fs->nblocks || j_owns(fs, b);
}

struct scan {
    uint32_t end;               /* the first transaction without a commit block */
    uint32_t nrev;              /* revoke records in the log */
    uint32_t replayed;
    uint32_t bad, bad_seq;      /* a tag with a bad home block, in transaction bad_seq */
};

/* One pass over the log; SCAN fills in sc. */
static int pass(struct fs *fs, int which, struct scan *sc, struct rvtab *rv)
{
    struct journal *j = &fs->j;
    uint8_t *d = j->desc, *data = j->esc;
    uint32_t pos = be32_get(j->jsb + JSB_START);
    uint32_t seq = be32_get(j->jsb + JSB_SEQUENCE);
    uint32_t nlog = j->maxlen - j->first, walked = 0;
    int r;
    while (walked < nlog) {
        if (which != SCAN && seq == sc->end)
            break;
        if ((r = jread(fs, pos, d)) < 0)
            return r;
        uint32_t type = jbd_header(d, seq);
        if (type == JBD_DESCRIPTOR) {
            uint32_t tp = 0, home, flags, n = 0;
            pos = pos + 1 == j->maxlen ? j->first : pos + 1;
            walked++;
            while (jbd_next_tag(d, fs->bsize, &tp, &home, &flags)) {
                if (which == SCAN && bad_home(fs, home) && !sc->bad) {
                    sc->bad = home;
                    sc->bad_seq = seq;
                }
                if (which == REPLAY && !rv_test(rv, home, seq)) {
                    if ((r = jread(fs, pos, data)) < 0)
                        return r;
                    if (flags & JBD_FLAG_ESCAPE)
                        be32_put(data, JBD_MAGIC);
                    if ((r = dev_write_block(fs, home, data)) < 0)
                        return r;
                    sc->replayed++;
                }
                pos = pos + 1 == j->maxlen ? j->first : pos + 1;
                if (++walked >= nlog || ++n > fs->bsize / JBD_TAG)
                    break;
            }
        } else if (type == JBD_COMMIT) {
            pos = pos + 1 == j->maxlen ? j->first : pos + 1;
            walked++;
            seq++;
            if (which == SCAN)
                sc->end = seq;
        } else if (type == JBD_REVOKE) {
            uint32_t used = be32_get(d + 12);
            if (used > fs->bsize || used < JBD_REVOKE_HDR) {
                if (which == SCAN)
                    FS_LOG("fs: %s: journal: revoke block of transaction %u with %u bytes: ends the log",
                           fs->dev->name, seq, used);
                break;
            }
            if (which == SCAN)
                sc->nrev += (used - JBD_REVOKE_HDR) / 4;
            if (which == REVOKE)
                for (uint32_t o = JBD_REVOKE_HDR; o + 4 <= used; o += 4)
                    rv_set(rv, be32_get(d + o), seq);
            pos = pos + 1 == j->maxlen ? j->first : pos + 1;
            walked++;
        } else {
            break;                      /* not of this sequence: the end of the log */
        }
    }
    return 0;
}

int j_recover(struct fs *fs, int can_write)
{
    struct journal *j = &fs->j;
    uint32_t start = be32_get(j->jsb + JSB_START);
    uint32_t seq = be32_get(j->jsb + JSB_SEQUENCE);
    struct scan sc = {seq, 0, 0, 0, 0};
    struct rvtab rv;
    int r;
    memset(&rv, 0, sizeof rv);
    if (!can_write)
        return -EROFS;
    if (start) {
        if ((r = pass(fs, SCAN, &sc, &rv)) < 0)
            goto out;
        if (sc.bad && (int32_t)(sc.bad_seq - sc.end) < 0) {
            FS_LOG("fs: %s: journal: transaction %u logs a block for %u, outside the file system "
                   "or in the journal: not replayed", fs->dev->name, sc.bad_seq, sc.bad);
            r = -EUCLEAN;
            goto out;
        }
        if (sc.nrev && sc.end != seq) {
            if ((r = rv_init(&rv, sc.nrev)) < 0) {
                FS_LOG("fs: %s: journal: %u revoke records: too many", fs->dev->name, sc.nrev);
                goto out;
            }
            if ((r = pass(fs, REVOKE, &sc, &rv)) < 0)
                goto out;
        }
        if (sc.end != seq && (r = pass(fs, REPLAY, &sc, &rv)) < 0)
            goto out;
        if ((r = dev_flush(fs)) < 0)
            goto out;
        if (sc.end != seq)
            FS_LOG("fs: %s: journal recovered: transactions %u..%u, %u blocks replayed",
                   fs->dev->name, seq, sc.end - 1, sc.replayed);
    }
    /* empty, and the next transaction skips the number an uncommitted tail used */
    be32_put(j->jsb + JSB_START, 0);
    be32_put(j->jsb + JSB_SEQUENCE, sc.end + 1);
    j->seq = sc.end + 1;
    if ((r = dev_write_block(fs, j->jsb_block, j->jsb)) == 0)
        r = dev_flush(fs);
out:
    rv_free(&rv);
    if (r < 0)
        FS_LOG("fs: %s: journal recovery failed (%d)", fs->dev->name, r);
    return r;
}
