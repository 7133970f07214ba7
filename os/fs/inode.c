/* The inode cache: a static table of NINODE entries, hashed by (fs, inode
 * number), each with a reference count; entries nobody references stay
 * cached on a free list and are reused least recently released first.
 * An entry holds the inode's first 128 bytes and, for a large inode, the
 * extra fields within its i_extra_isize (timestamps' high bits, crtime);
 * writing it back leaves every other byte of the on-disk inode (in-inode
 * extended attributes, fields KLOS does not know) as it was.
 *
 * Orphans: an inode whose last link goes while it is still referenced, or
 * one being truncated, is on the superblock's orphan list (s_last_orphan,
 * chained through i_dtime, as ext3 does), so a crash leaves it to the next
 * mount to finish: orphans_process frees or truncates each. */
#include "fsint.h"

static struct inode itab[NINODE];
static struct inode *ihash[IHASH];
static struct inode ifreel;             /* sentinel of the free list */
static int iready;

static void icache_init(void)
{
    ifreel.lnext = ifreel.lprev = &ifreel;
    for (int i = 0; i < NINODE; i++) {
        struct inode *ip = &itab[i];
        ip->lprev = ifreel.lprev;
        ip->lnext = &ifreel;
        ifreel.lprev->lnext = ip;
        ifreel.lprev = ip;
    }
    iready = 1;
}

static void undirty(struct inode *ip);
static int iwrite(struct inode *ip);

static inline uint32_t ihashf(struct fs *fs, uint32_t ino)
{
    return (ino ^ (uint32_t)((uintptr_t)fs >> 12)) & (IHASH - 1);
}

static void unhash(struct inode *ip)
{
    struct inode **pp = &ihash[ihashf(ip->fs, ip->ino)];
    while (*pp && *pp != ip)
        pp = &(*pp)->hnext;
    if (*pp)
        *pp = ip->hnext;
    ip->hnext = 0;
}

static inline void free_remove(struct inode *ip)
{
    ip->lprev->lnext = ip->lnext;
    ip->lnext->lprev = ip->lprev;
}

static inline void free_append(struct inode *ip)
{
    ip->lprev = ifreel.lprev;
    ip->lnext = &ifreel;
    ifreel.lprev->lnext = ip;
    ifreel.lprev = ip;
}

static int inode_loc(struct fs *fs, uint32_t ino, uint32_t *blk, uint32_t *off)
{
    uint32_t g = (ino - 1) / fs->ipg, i = (ino - 1) % fs->ipg;
    *blk = gd_get(fs, g)->bg_inode_table + i / fs->ipb;
    *off = (i % fs->ipb) * fs->isize;
    return 0;
}

/* A cache entry for (fs, ino): the cached one referenced once more, or a
 * reused one (*fresh = 1) that the caller fills in. */
static int slot(struct fs *fs, uint32_t ino, struct inode **out, int *fresh)
{
    if (!iready)
        icache_init();
    if (ino < 1 || ino > fs->ninodes)
        return fs_corrupt(fs, "inode number out of range", 0, ino);
    struct inode *ip = ihash[ihashf(fs, ino)];
    for (; ip; ip = ip->hnext)
        if (ip->ino == ino && ip->fs == fs) {
            if (ip->ref++ == 0)
                free_remove(ip);
            *out = ip;
            *fresh = 0;
            return 0;
        }
    ip = ifreel.lnext;
    if (ip == &ifreel) {
        FS_LOG("fs: %s: inode cache full (%d in use)", fs->dev->name, NINODE);
        return -ENFILE;
    }
    free_remove(ip);
    if (ip->flags & I_DIRTY) {          /* released inside a handle: written now */
        undirty(ip);
        int r = iwrite(ip);
        if (r < 0) {
            free_append(ip);
            return r;
        }
    }
    if (ip->fs)
        unhash(ip);
    /* d and x are the caller's to fill (iget reads them, inew zeroes them) */
    ip->fs = fs;
    ip->ino = ino;
    ip->ref = 1;
    ip->flags = 0;
    ip->onext = ip->oprev = ip->dnext = 0;
    ip->hint_l = ip->hint_p = 0;
    struct inode **h = &ihash[ihashf(fs, ino)];
    ip->hnext = *h;
    *h = ip;
    *out = ip;
    *fresh = 1;
    return 0;
}

/* drop a reference without the last-reference work (the entry stays cached) */
static void unref(struct inode *ip)
{
    if (--ip->ref == 0)
        free_append(ip);
}

static void invalidate(struct inode *ip)
{
    if (ip->flags & I_DIRTY)
        undirty(ip);
    unhash(ip);
    ip->flags = 0;
    ip->fs = 0;
    ip->ino = 0;
}

int iget(struct fs *fs, uint32_t ino, struct inode **out)
{
    int fresh, r = slot(fs, ino, out, &fresh);
    if (r < 0 || !fresh)
        return r;
    struct inode *ip = *out;
    uint32_t blk, off;
    struct buf *bp;
    inode_loc(fs, ino, &blk, &off);
    if ((r = bread(fs, blk, &bp)) < 0) {
        invalidate(ip);
        unref(ip);
        return r;
    }
    wcopy(&ip->d, bp->data + off, sizeof ip->d);
    if (fs->isize > EXT2_GOOD_OLD_INODE_SIZE) {
        wcopy(&ip->x, bp->data + off + EXT2_GOOD_OLD_INODE_SIZE, sizeof ip->x);
        if (ip->x.i_extra_isize > fs->isize - EXT2_GOOD_OLD_INODE_SIZE)
            ip->x.i_extra_isize = 0;    /* corrupt: keep nothing of it (never written back) */
    }
    brelse(fs, bp);
    ip->flags = I_VALID;
    return 0;
}

void iref(struct inode *ip)
{
    ip->ref++;
}

int iupdate(struct inode *ip)
{
    if (!(ip->flags & I_DIRTY)) {
        ip->flags |= I_DIRTY;
        ip->dnext = ip->fs->dirty;
        ip->fs->dirty = ip;
    }
    return 0;
}

static void undirty(struct inode *ip)
{
    struct inode **pp = &ip->fs->dirty;
    while (*pp && *pp != ip)
        pp = &(*pp)->dnext;
    if (*pp)
        *pp = ip->dnext;
    ip->flags &= ~I_DIRTY;
}

void idirty_drop(struct fs *fs)
{
    while (fs->dirty)
        undirty(fs->dirty);
}

/* The in-memory inode into its inode table block (in the handle). */
static int iwrite(struct inode *ip)
{
    struct fs *fs = ip->fs;
    uint32_t blk, off;
    struct buf *bp;
    inode_loc(fs, ip->ino, &blk, &off);
    int r = bread(fs, blk, &bp);
    if (r < 0)
        return r;
    if ((r = jdirty(fs, bp)) == 0) {
        wcopy(bp->data + off, &ip->d, sizeof ip->d);
        uint32_t n = fs->isize > EXT2_GOOD_OLD_INODE_SIZE ? ip->x.i_extra_isize : 0;
        if (n > sizeof ip->x)
            n = sizeof ip->x;
        wcopy(bp->data + off + EXT2_GOOD_OLD_INODE_SIZE, &ip->x, n & ~3u);
    }
    brelse(fs, bp);
    return r;
}

int iflush(struct fs *fs)
{
    int err = 0;
    while (fs->dirty) {
        struct inode *ip = fs->dirty;
        fs->dirty = ip->dnext;
        ip->flags &= ~I_DIRTY;
        int r = iwrite(ip);
        if (r < 0 && !err)
            err = r;
    }
    return err;
}

void itimes(struct inode *ip, int m, int c)
{
    uint32_t now = fs_now();
    if (m) {
        ip->d.i_mtime = now;
        ip->x.i_mtime_extra = 0;
    }
    if (c) {
        ip->d.i_ctime = now;
        ip->x.i_ctime_extra = 0;
    }
}

uint64_t isize_get(const struct inode *ip)
{
    if (S_ISREG(ip->d.i_mode))
        return (uint64_t)ip->d.i_size_high << 32 | ip->d.i_size;
    return ip->d.i_size;
}

void isize_set(struct inode *ip, uint64_t size)
{
    ip->d.i_size = (uint32_t)size;
    if (S_ISREG(ip->d.i_mode))
        ip->d.i_size_high = (uint32_t)(size >> 32);
}

int has_blockmap(const struct inode *ip)
{
    uint16_t m = ip->d.i_mode;
    if (ip->d.i_flags & (EXT4_EXTENTS_FL | EXT4_INLINE_DATA_FL))
        return 0;
    if (S_ISREG(m) || S_ISDIR(m))
        return 1;
    if (S_ISLNK(m)) {               /* a fast symlink keeps its target in i_block */
        uint32_t xa = ip->d.i_file_acl ? 1u << ip->fs->spb_shift : 0;
        return ip->d.i_blocks > xa;
    }
    return 0;
}

/* A new inode: the on-disk one zeroed whole (no stale in-inode attributes). */
int inew(struct fs *fs, uint32_t ino, uint16_t mode, struct inode **out)
{
    int fresh, r = slot(fs, ino, out, &fresh);
    if (r < 0)
        return r;
    struct inode *ip = *out;
    if (!fresh && ip->ref > 1) {
        unref(ip);
        return fs_corrupt(fs, "inode bitmap shows an inode in use free", ino, ino);
    }
    uint32_t gen = ip->d.i_generation;
    wzero(&ip->d, sizeof ip->d);
    wzero(&ip->x, sizeof ip->x);
    ip->flags = I_VALID;
    ip->hint_l = ip->hint_p = 0;
    ip->d.i_mode = mode;
    ip->d.i_generation = gen + 1;
    itimes(ip, 1, 1);
    ip->d.i_atime = ip->d.i_mtime;
    if (fs->isize >= EXT2_GOOD_OLD_INODE_SIZE + EXT2_EXTRA_WANT) {
        ip->x.i_extra_isize = EXT2_EXTRA_WANT;
        ip->x.i_crtime = ip->d.i_mtime;
    }
    uint32_t blk, off;
    struct buf *bp;
    inode_loc(fs, ino, &blk, &off);
    if ((r = bread(fs, blk, &bp)) == 0) {
        if ((r = jdirty(fs, bp)) == 0)
            wzero(bp->data + off, fs->isize);
        brelse(fs, bp);
    }
    if (r == 0)
        r = iupdate(ip);
    if (r < 0) {
        invalidate(ip);
        unref(ip);
    }
    return r;
}

int orphan_add(struct inode *ip)
{
    struct fs *fs = ip->fs;
    if (ip->flags & I_ORPHAN)
        return 0;
    int r = jdirty(fs, fs->sbb);
    if (r < 0)
        return r;
    ip->d.i_dtime = fs->sb->s_last_orphan;
    fs->sb->s_last_orphan = ip->ino;
    ip->oprev = 0;
    ip->onext = fs->orphans;
    if (fs->orphans)
        fs->orphans->oprev = ip;
    fs->orphans = ip;
    ip->flags |= I_ORPHAN;
    return iupdate(ip);
}

int orphan_del(struct inode *ip)
{
    struct fs *fs = ip->fs;
    int r;
    if (!(ip->flags & I_ORPHAN))
        return 0;
    uint32_t next = ip->d.i_dtime;
    if (!ip->oprev) {
        if ((r = jdirty(fs, fs->sbb)) < 0)
            return r;
        fs->sb->s_last_orphan = next;
        fs->orphans = ip->onext;
    } else {
        ip->oprev->d.i_dtime = next;
        if ((r = iupdate(ip->oprev)) < 0)
            return r;
        ip->oprev->onext = ip->onext;
    }
    if (ip->onext)
        ip->onext->oprev = ip->oprev;
    ip->onext = ip->oprev = 0;
    ip->flags &= ~I_ORPHAN;
    ip->d.i_dtime = 0;
    return iupdate(ip);
}

/* An extended-attribute block: one reference less, freed with the last. */
static int drop_xattr(struct inode *ip)
{
    struct fs *fs = ip->fs;
    uint32_t b = ip->d.i_file_acl;
    uint32_t spb = 1u << fs->spb_shift;
    struct buf *bp;
    int r;
    if (!b)
        return 0;
    ip->d.i_file_acl = 0;
    if (fsblk_check(fs, b, "extended attribute block", ip->ino) < 0)
        return 0;                       /* not ours to free: left alone */
    if ((r = bread(fs, b, &bp)) < 0)
        return r;
    struct ext2_xattr_hdr *h = (struct ext2_xattr_hdr *)bp->data;
    if (h->h_magic != EXT2_XATTR_MAGIC || h->h_blocks != 1 || h->h_refcount == 0) {
        brelse(fs, bp);
        fs_corrupt(fs, "extended attribute block header", ip->ino, b);
        return 0;
    }
    if (h->h_refcount > 1) {
        if ((r = jdirty(fs, bp)) == 0)
            h->h_refcount--;
        brelse(fs, bp);
    } else {
        brelse(fs, bp);
        r = bfree(fs, b);
    }
    if (r == 0 && ip->d.i_blocks >= spb)
        ip->d.i_blocks -= spb;
    return r;
}

/* The last reference to an unlinked inode: its blocks, attributes and the
 * inode itself are freed, in as many handles as the blocks need. */
/* Can the last link of ip go and ip be freed in the current handle?  Only
 * when nobody else holds it and its blocks are few (direct ones, an
 * attribute block): then no orphan list is needed, the handle is atomic. */
int ifree_fits(struct inode *ip)
{
    uint32_t spb = 1u << ip->fs->spb_shift;
    return ip->ref == 1 && ip->d.i_blocks <= (EXT2_NDIR + 1) * spb && !ip->d.i_block[EXT2_IND] &&
           !ip->d.i_block[EXT2_DIND] && !ip->d.i_block[EXT2_TIND] && tx_room(ip->fs) > 48;
}

/* Frees ip's blocks, attributes and ip itself (in the current handle, which
 * the truncation may renew when ip is on the orphan list). */
static int ifree_all(struct inode *ip)
{
    struct fs *fs = ip->fs;
    int r = 0;
    isize_set(ip, 0);
    if (has_blockmap(ip))
        r = itrunc_blocks(ip, 0);
    if (r == 0)
        r = drop_xattr(ip);
    if (r == 0)
        r = orphan_del(ip);
    if (r == 0) {
        uint32_t now = fs_now();
        ip->d.i_dtime = now ? now : 1;
        ip->d.i_links_count = 0;
        r = iupdate(ip);
    }
    if (r == 0)
        r = ifree(fs, ip->ino, S_ISDIR(ip->d.i_mode));
    return r;
}

/* the last link went now, in this handle (ifree_fits said so) */
int ifree_now(struct inode *ip)
{
    ip->d.i_links_count = 0;
    int r = ifree_all(ip);
    if (r == 0)
        ip->flags &= ~I_VALID;
    return r;
}

/* The last reference to an unlinked inode on the orphan list. */
static int idelete(struct inode *ip)
{
    int r = tx_begin(ip->fs, CR_TRUNC);
    if (r < 0)
        return r;
    r = tx_end(ip->fs, ifree_all(ip));
    if (r == 0)
        ip->flags &= ~I_VALID;
    return r;
}

int iput(struct inode *ip)
{
    int r = 0;
    struct fs *fs = ip->fs;
    if (ip->ref == 1 && (ip->flags & I_ORPHAN) && ip->d.i_links_count == 0 &&
        !fs->rdonly && !fs->aborted)
        r = idelete(ip);
    if (ip->ref == 1 && !(ip->flags & I_VALID))
        invalidate(ip);
    unref(ip);
    return r;
}

static int inode_in_use(struct fs *fs, uint32_t ino)
{
    uint32_t g = (ino - 1) / fs->ipg, bit = (ino - 1) % fs->ipg;
    struct buf *bp;
    if (bread(fs, gd_get(fs, g)->bg_inode_bitmap, &bp) < 0)
        return 0;
    int used = (bp->data[bit >> 3] >> (bit & 7)) & 1;
    brelse(fs, bp);
    return used;
}

/* At mount: every inode on the on-disk orphan list is freed (no links
 * left) or has its blocks past its size freed. */
int orphans_process(struct fs *fs)
{
    uint32_t n = 0, ino;
    int r = 0;
    while ((ino = fs->sb->s_last_orphan) != 0) {
        struct inode *ip = 0;
        int bad = ++n > fs->ninodes || ino < fs->first_ino || ino > fs->ninodes ||
                  !inode_in_use(fs, ino);
        if (!bad && (r = iget(fs, ino, &ip)) < 0) {
            if (r != -EUCLEAN)
                return r;
            bad = 1;
            ip = 0;
        }
        if (!bad && (ip->d.i_mode == 0 || ip->d.i_dtime == ino || (ip->flags & I_ORPHAN)))
            bad = 1;
        if (bad) {
            FS_LOG("fs: %s: corrupt orphan list at inode %u: the rest is left to e2fsck",
                   fs->dev->name, ino);
            if (ip)
                unref(ip);
            if ((r = tx_begin(fs, 4)) == 0) {
                if ((r = jdirty(fs, fs->sbb)) == 0)
                    fs->sb->s_last_orphan = 0;
                r = tx_end(fs, r);
            }
            return r;
        }
        ip->flags |= I_ORPHAN;
        ip->oprev = ip->onext = 0;
        fs->orphans = ip;
        if (ip->d.i_links_count == 0) {
            FS_LOG("fs: %s: orphan inode %u freed", fs->dev->name, ino);
            r = iput(ip);
        } else {
            FS_LOG("fs: %s: orphan inode %u: blocks past its size freed", fs->dev->name, ino);
            if ((r = tx_begin(fs, CR_TRUNC)) == 0) {
                uint64_t size = isize_get(ip);
                if (has_blockmap(ip))
                    r = itrunc_blocks(ip, (uint32_t)((size + fs->bsize - 1) >> fs->bshift));
                if (r == 0)
                    r = orphan_del(ip);
                r = tx_end(fs, r);
            }
            iput(ip);
        }
        if (r < 0)
            return r;
    }
    return 0;
}

void icache_drop(struct fs *fs)
{
    for (int i = 0; i < NINODE; i++)
        if (itab[i].fs == fs)
            invalidate(&itab[i]);
}

int icache_busy(struct fs *fs)
{
    for (int i = 0; i < NINODE; i++)
        if (itab[i].fs == fs && itab[i].ref > (&itab[i] == fs->root ? 1 : 0))
            return 1;
    return 0;
}
