/* The journal in data=journal mode: every block an operation changes, file
 * data included, joins the running transaction (jdirty); each operation is
 * one handle (tx_begin .. tx_end) inside it, so it is atomic; the
 * transaction commits on fsync, when the next handle might not fit, on the
 * OS's periodic fs_commit, and at umount.  A commit, for a disk with a
 * volatile write cache:
 *
 *   descriptor block(s) + copies of the blocks  -> FLUSH
 *   commit block                                -> FLUSH   (durable: fsync returns)
 *   the blocks to their homes (checkpoint)      -> FLUSH
 *   journal superblock: s_start, s_sequence of the next transaction
 *
 * The journal superblock write is made durable by the next commit's first
 * FLUSH; until then the previous transaction's log blocks must survive, so
 * one transaction holds at most half the log (thard) and two in a row never
 * overlap.  Recovery (recover.c) replays what the superblock points at. */
#include "fsint.h"

#define LOG_BLOCKS(j) ((j)->maxlen - (j)->first)

static int add_ext(struct jext *e, uint32_t *n, uint32_t l, uint32_t p)
{
    if (*n && e[*n - 1].l + e[*n - 1].n == l && e[*n - 1].p + e[*n - 1].n == p) {
        e[*n - 1].n++;
        return 0;
    }
    if (*n == J_MAXEXT)
        return -1;
    e[*n].l = l;
    e[*n].p = p;
    e[*n].n = 1;
    (*n)++;
    return 0;
}

int j_map(struct fs *fs, uint32_t jblk, uint32_t *pblk)
{
    struct journal *j = &fs->j;
    for (uint32_t i = 0; i < j->nmap; i++)
        if (jblk - j->map[i].l < j->map[i].n) {
            *pblk = j->map[i].p + (jblk - j->map[i].l);
            return 0;
        }
    return fs_corrupt(fs, "journal block not mapped", 0, jblk);
}

int j_owns(struct fs *fs, uint32_t p)
{
    struct journal *j = &fs->j;
    for (uint32_t i = 0; i < j->nown; i++)
        if (p - j->own[i].p < j->own[i].n)
            return 1;
    return 0;
}

static int jcorrupt(struct fs *fs, const char *what, uint32_t v)
{
    FS_LOG("fs: %s: journal: %s (%u)", fs->dev->name, what, v);
    return -EUCLEAN;
}

/* Maps the journal inode (raw reads: the cache does not exist yet) and
 * reads and checks its superblock. */
int j_load(struct fs *fs, const struct ext2_inode *ji, uint8_t *scratch)
{
    struct journal *j = &fs->j;
    if (!S_ISREG(ji->i_mode) || (ji->i_flags & (EXT4_EXTENTS_FL | EXT4_INLINE_DATA_FL)))
        return jcorrupt(fs, "the journal inode is not a block-mapped file", ji->i_mode);
    uint64_t nblk = ((uint64_t)ji->i_size_high << 32 | ji->i_size) >> fs->bshift;
    if (nblk < 32 || nblk > 0x100000)
        return jcorrupt(fs, "size in blocks", (uint32_t)nblk);
    void *mp = fs_page_alloc();
    j->jsb = fs_page_alloc();
    j->desc = fs_page_alloc();
    j->esc = fs_page_alloc();
    if (!mp || !j->jsb || !j->desc || !j->esc) {
        if (mp)
            fs_page_free(mp);
        return -ENOMEM;
    }
    j->map = mp;
    j->own = (struct jext *)mp + J_MAXEXT;
    j->nmap = j->nown = 0;

    /* one cached indirect block per level: desc, esc and scratch serve */
    uint8_t *lvl[3] = {j->desc, j->esc, scratch};
    uint32_t have[3] = {0, 0, 0};
    for (uint32_t lb = 0; lb < nblk; lb++) {
        uint32_t off[4];
        int depth = bmap_path(fs->ppb_shift, lb, off);
        if (depth < 0)
            return jcorrupt(fs, "too large", lb);
        uint32_t p = ji->i_block[off[0]];
        for (int d = 0; d <= depth; d++) {
            if (p < fs->first_data || p >= fs->nblocks)
                return jcorrupt(fs, "block out of range", p);
            if (d == depth)
                break;
            if (have[d] != p) {
                int r = dev_read_block(fs, p, lvl[d]);
                if (r < 0)
                    return r;
                have[d] = p;
                for (int e = d + 1; e < 3; e++)
                    have[e] = 0;
                if (add_ext(j->own, &j->nown, p, p) < 0)
                    return jcorrupt(fs, "too fragmented", lb);
            }
            p = ((uint32_t *)lvl[d])[off[d + 1]];
        }
        if (add_ext(j->map, &j->nmap, lb, p) < 0 || add_ext(j->own, &j->nown, p, p) < 0)
            return jcorrupt(fs, "too fragmented", lb);
    }
    /* own[] merged by physical address only: l == p there */

    int r;
    if ((r = j_map(fs, 0, &j->jsb_block)) < 0 || (r = dev_read_block(fs, j->jsb_block, j->jsb)) < 0)
        return r;
    const uint8_t *s = j->jsb;
    uint32_t type = be32_get(s + 4);
    if (be32_get(s) != JBD_MAGIC || (type != JBD_SUPERBLOCK_V1 && type != JBD_SUPERBLOCK_V2))
        return jcorrupt(fs, "bad superblock magic or type", type);
    j->first = be32_get(s + JSB_FIRST);
    j->maxlen = be32_get(s + JSB_MAXLEN);
    uint32_t start = be32_get(s + JSB_START);
    if (be32_get(s + JSB_BLOCKSIZE) != fs->bsize)
        return jcorrupt(fs, "block size", be32_get(s + JSB_BLOCKSIZE));
    if (j->maxlen > nblk || j->first < 1 || j->first >= j->maxlen || LOG_BLOCKS(j) < 16)
        return jcorrupt(fs, "s_first/s_maxlen", j->maxlen);
    if (start && (start < j->first || start >= j->maxlen))
        return jcorrupt(fs, "s_start", start);
    if (type == JBD_SUPERBLOCK_V2) {
        uint32_t c = be32_get(s + JSB_COMPAT), i = be32_get(s + JSB_INCOMPAT);
        uint32_t ro = be32_get(s + JSB_RO_COMPAT);
        if (c || (i & ~JBD_KNOWN_INCOMPAT) || ro) {
            FS_LOG("fs: %s: journal features compat 0x%x incompat 0x%x ro_compat 0x%x not supported "
                   "(KLOS knows revoke)", fs->dev->name, c, i, ro);
            return -EINVAL;
        }
        if (be32_get(s + JSB_NR_USERS) > 1) {
            FS_LOG("fs: %s: shared journal not supported", fs->dev->name);
            return -EINVAL;
        }
    }
    j->seq = be32_get(s + JSB_SEQUENCE);
    return 0;
}

void j_close(struct fs *fs)
{
    struct journal *j = &fs->j;
    if (j->map)
        fs_page_free(j->map);
    if (j->jsb)
        fs_page_free(j->jsb);
    if (j->desc)
        fs_page_free(j->desc);
    if (j->esc)
        fs_page_free(j->esc);
    j->map = j->own = 0;
    j->jsb = j->desc = j->esc = 0;
    j->usable = 0;
}

/* The journal superblock with s_start and s_sequence; not flushed here. */
static int write_jsb(struct fs *fs, uint32_t start, uint32_t seq)
{
    struct journal *j = &fs->j;
    be32_put(j->jsb + JSB_START, start);
    be32_put(j->jsb + JSB_SEQUENCE, seq);
    return dev_write_block(fs, j->jsb_block, j->jsb);
}

/* Read-write use after recovery: the log starts over at s_first. */
int j_open(struct fs *fs)
{
    struct journal *j = &fs->j;
    uint32_t tpd = jbd_tags_per_desc(fs->bsize);
    uint32_t half = LOG_BLOCKS(j) / 2;
    /* a transaction of t blocks takes ceil(t / tpd) + t + 1 log blocks */
    uint32_t t = half - 1 - (half + tpd - 1) / tpd;
    uint32_t cache = fs->bc.nbuf - fs->ngdb - 1;
    cache = cache > 64 ? cache - 32 : cache / 2;
    if (t > cache)
        t = cache;
    /* the journal lies in no group's metadata (blk_is_meta without the journal) */
    uint32_t nown = j->nown;
    j->nown = 0;
    for (uint32_t i = 0; i < nown; i++)
        for (uint32_t b = j->own[i].p; b - j->own[i].p < j->own[i].n; b++)
            if (blk_is_meta(fs, b)) {
                j->nown = nown;
                return jcorrupt(fs, "journal block in the group metadata", b);
            }
    j->nown = nown;
    j->thard = t;
    j->tmax = t > 96 ? t - 48 : t / 2;
    j->head = j->first;
    j->committed = j->seq - 1;
    j->thead = 0;
    j->ttail = &j->thead;
    j->tn = 0;
    j->usable = 1;
    return write_jsb(fs, j->first, j->seq);
}

void fs_abort(struct fs *fs, const char *why)
{
    if (!fs->aborted)
        FS_LOG("fs: %s: %s: the running transaction is dropped, no more changes until the "
               "next mount", fs->dev->name, why);
    fs->aborted = 1;
    idirty_drop(fs);
    dc_drop(fs);
    bc_forget_trans(fs);
}

int tx_begin(struct fs *fs, uint32_t credits)
{
    struct journal *j = &fs->j;
    if (fs->rdonly)
        return -EROFS;
    if (fs->aborted)
        return -EIO;
    if (credits > j->tmax)
        credits = j->tmax;
    if (j->tn + credits > j->tmax) {
        int r = j_commit(fs);
        if (r < 0)
            return r;
    }
    j->in_handle = 1;
    j->hmod = 0;
    return 0;
}

int tx_end(struct fs *fs, int err)
{
    struct journal *j = &fs->j;
    int r = iflush(fs);
    if (err == 0)
        err = r;
    j->in_handle = 0;
    if (j->hmod && (err == -EIO || err == -EUCLEAN || err == -ENOMEM))
        fs_abort(fs, err == -EUCLEAN ? "corruption found while changing the file system"
                                     : "an error while changing the file system");
    return err;
}

int tx_room(struct fs *fs)
{
    return (int)fs->j.thard - (int)fs->j.tn;
}

int jdirty(struct fs *fs, struct buf *bp)
{
    struct journal *j = &fs->j;
    j->hmod = 1;
    if (bp->flags & B_TRANS)
        return 0;
    if (j->tn >= j->thard) {
        fs_abort(fs, "transaction larger than the journal");
        return -EIO;
    }
    bp->flags |= B_TRANS;
    bp->tnext = 0;
    *j->ttail = bp;
    j->ttail = &bp->tnext;
    j->tn++;
    return 0;
}

static inline uint32_t log_next(struct journal *j, uint32_t pos)
{
    return ++pos == j->maxlen ? j->first : pos;
}

static int log_write(struct fs *fs, uint32_t pos, const void *data)
{
    uint32_t p;
    int r = j_map(fs, pos, &p);
    return r < 0 ? r : dev_write_block(fs, p, data);
}

/* Writes the running transaction to the log, commits it, checkpoints it. */
int j_commit(struct fs *fs)
{
    struct journal *j = &fs->j;
    if (!j->usable || fs->aborted)
        return fs->aborted ? -EIO : 0;
    if (j->tn == 0)
        return 0;
    uint32_t tpd = jbd_tags_per_desc(fs->bsize);
    uint32_t pos = j->head;
    uint8_t *d = j->desc;
    int r = 0;
    struct buf *bp = j->thead;
    while (bp && r == 0) {
        memset(d, 0, fs->bsize);
        jbd_put_header(d, JBD_DESCRIPTOR, j->seq);
        uint32_t tp = 0, n = 0;
        struct buf *q = bp;
        for (; q && n < tpd; q = q->tnext, n++)
            jbd_put_tag(d, &tp, q->blockno, n == 0, !q->tnext || n == tpd - 1,
                        jbd_needs_escape(q->data), fs->sb->s_uuid);
        if ((r = log_write(fs, pos, d)) < 0)
            break;
        pos = log_next(j, pos);
        for (; bp != q && r == 0; bp = bp->tnext) {
            const uint8_t *src = bp->data;
            if (jbd_needs_escape(src)) {
                memcpy(j->esc, src, fs->bsize);
                memset(j->esc, 0, 4);
                src = j->esc;
            }
            r = log_write(fs, pos, src);
            pos = log_next(j, pos);
        }
    }
    if (r == 0)
        r = dev_flush(fs);              /* 1: descriptors and copies are on the medium */
    if (r == 0) {
        memset(d, 0, fs->bsize);
        jbd_put_header(d, JBD_COMMIT, j->seq);
        be32_put(d + JCOMMIT_SEC + 4, fs_now());
        r = log_write(fs, pos, d);
        pos = log_next(j, pos);
    }
    if (r == 0 && (r = dev_flush(fs)) == 0)   /* 2: the commit block too */
        j->committed = j->seq;          /* durable: fsync may return */
    for (bp = j->thead; bp && r == 0; bp = bp->tnext)
        r = dev_write_block(fs, bp->blockno, bp->data);   /* checkpoint */
    if (r == 0)
        r = dev_flush(fs);              /* 3: home before the log may be reused */
    if (r == 0)
        r = write_jsb(fs, pos, j->seq + 1);
    if (r < 0) {
        fs_abort(fs, "journal commit failed");
        return -EIO;
    }
    bc_trans_clean(fs);
    j->head = pos;
    j->seq++;
    return 0;
}

/* At umount, after the last commit: the journal is empty. */
int j_mark_empty(struct fs *fs)
{
    struct journal *j = &fs->j;
    int r = write_jsb(fs, 0, j->seq);
    return r < 0 ? r : dev_flush(fs);
}
