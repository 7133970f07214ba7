/* Directories: linear lists of entries {inode, rec_len, name_len,
 * file_type, name} that tile each block exactly.  Every entry is checked
 * before it is used (rec_len at least 12, a multiple of 4, inside the
 * block, long enough for its name; the inode number in range).  A hashed
 * (dir_index) directory reads as a linear one: its index blocks look like
 * empty entries.  KLOS does not keep the index, so a change to such a
 * directory clears EXT2_INDEX_FL, as old ext2 drivers did, and e2fsck
 * accepts it.  A getdents cookie is the byte offset of the entry: entries
 * never move, so each is listed once. */
#include "fsint.h"

uint8_t ft_of_mode(uint16_t mode)
{
    switch (mode & S_IFMT) {
    case S_IFREG: return EXT2_FT_REG;
    case S_IFDIR: return EXT2_FT_DIR;
    case S_IFLNK: return EXT2_FT_SYMLINK;
    case S_IFCHR: return EXT2_FT_CHRDEV;
    case S_IFBLK: return EXT2_FT_BLKDEV;
    case S_IFIFO: return EXT2_FT_FIFO;
    case S_IFSOCK: return EXT2_FT_SOCK;
    }
    return EXT2_FT_UNKNOWN;
}

uint8_t dt_of_ft(uint8_t ft)
{
    static const uint8_t dt[8] = {DT_UNKNOWN, DT_REG, DT_DIR, DT_CHR, DT_BLK, DT_FIFO, DT_SOCK, DT_LNK};
    return ft < 8 ? dt[ft] : DT_UNKNOWN;
}

/* The entry at off is sane (see the top); name length with the filetype
 * feature is one byte, without it two. */
int dirent_ok(const uint8_t *blk, uint32_t off, uint32_t bsize, uint32_t ninodes)
{
    return dirent_valid(blk, off, bsize, ninodes);
}

static inline uint32_t namelen(struct fs *fs, const struct ext2_dirent *de)
{
    return (fs->incompat & EXT2_INCOMPAT_FILETYPE) ? de->name_len
                                                   : de->name_len | (uint32_t)de->file_type << 8;
}

static int bad_entry(struct inode *dp, uint32_t lb, uint32_t off)
{
    return fs_corrupt(dp->fs, "directory entry", dp->ino, (lb << dp->fs->bshift) + off);
}

/* Blocks of a directory, checked against what it has allocated (a
 * directory has no holes): a huge i_size cannot make a long walk. */
static int dir_blocks(struct inode *dp, uint32_t *n)
{
    struct fs *fs = dp->fs;
    uint32_t nb = dp->d.i_size >> fs->bshift;
    if ((uint64_t)nb << fs->spb_shift > dp->d.i_blocks || !has_blockmap(dp))
        return fs_corrupt(fs, "directory size larger than its blocks", dp->ino, dp->d.i_size);
    *n = nb;
    return 0;
}

/* Block lb of a directory, held; *out 0 for a hole. */
static int dir_block(struct inode *dp, uint32_t lb, int flags, struct buf **out)
{
    uint32_t b;
    *out = 0;
    int r = bmap(dp, lb, flags, &b, 0);
    if (r < 0 || b == 0)
        return r;
    return bread(dp->fs, b, out);
}

int dir_find(struct inode *dp, const char *name, uint32_t len, struct dirloc *loc)
{
    struct fs *fs = dp->fs;
    uint32_t nb, need = EXT2_DIRENT_LEN(len), bsize = fs->bsize, ninodes = fs->ninodes;
    uint32_t hibyte = (fs->incompat & EXT2_INCOMPAT_FILETYPE) ? 0 : 8;   /* name_len's high byte */
    int r = dir_blocks(dp, &nb);
    if (r < 0)
        return r;
    uint32_t free_lb = 0xFFFFFFFFu, free_off = 0;
    for (uint32_t lb = 0; lb < nb; lb++) {
        struct buf *bp;
        if ((r = dir_block(dp, lb, 0, &bp)) < 0)
            return r;
        if (!bp)
            continue;
        const uint8_t *data = bp->data;
        uint32_t prev = 0xFFFFFFFFu;
        for (uint32_t off = 0; off < bsize;) {
            if (!dirent_valid(data, off, bsize, ninodes)) {
                brelse(fs, bp);
                return bad_entry(dp, lb, off);
            }
            const struct ext2_dirent *de = (const struct ext2_dirent *)(data + off);
            uint32_t nl = hibyte ? de->name_len | (uint32_t)de->file_type << 8 : de->name_len;
            if (de->inode) {
                if (nl == len && de->name[0] == name[0] && memcmp(de->name, name, len) == 0) {
                    loc->lb = lb;
                    loc->off = off;
                    loc->prev = prev;
                    loc->ino = de->inode;
                    loc->type = hibyte ? 0 : de->file_type;
                    loc->nscanned = 0xFFFFFFFFu;
                    brelse(fs, bp);
                    return 0;
                }
                if (free_lb == 0xFFFFFFFFu && de->rec_len - EXT2_DIRENT_LEN(nl) >= need)
                    free_lb = lb, free_off = off;
            } else if (free_lb == 0xFFFFFFFFu && de->rec_len >= need) {
                free_lb = lb, free_off = off;
            }
            prev = off;
            off += de->rec_len;
        }
        brelse(fs, bp);
    }
    loc->nscanned = nb;
    loc->free_lb = free_lb;
    loc->free_off = free_off;
    return -ENOENT;
}

static void put_entry(struct fs *fs, struct ext2_dirent *de, const char *name, uint32_t len,
                      uint32_t ino, uint8_t type)
{
    de->inode = ino;
    de->name_len = (uint8_t)len;
    de->file_type = (fs->incompat & EXT2_INCOMPAT_FILETYPE) ? type : 0;
    memcpy(de->name, name, len);
}

/* the directory changed: times, and the index it no longer matches */
static int dir_changed(struct inode *dp)
{
    dp->d.i_flags &= ~EXT2_INDEX_FL;
    itimes(dp, 1, 1);
    return iupdate(dp);
}

/* The entry at off of bp takes the new one if it has room: 1 (*r set), else 0. */
static int try_slot(struct inode *dp, struct buf *bp, uint32_t off, const char *name, uint32_t len,
                    uint32_t ino, uint8_t type, int *r)
{
    struct fs *fs = dp->fs;
    struct ext2_dirent *de = (struct ext2_dirent *)(bp->data + off);
    uint32_t used = de->inode ? EXT2_DIRENT_LEN(namelen(fs, de)) : 0;
    if (de->rec_len - used < EXT2_DIRENT_LEN(len))
        return 0;
    if ((*r = jdirty(fs, bp)) == 0) {
        if (used) {
            struct ext2_dirent *nd = (struct ext2_dirent *)(bp->data + off + used);
            nd->rec_len = de->rec_len - used;
            de->rec_len = used;
            de = nd;
        }
        put_entry(fs, de, name, len, ino, type);
        *r = dir_changed(dp);
    }
    return 1;
}

/* Adds name -> ino; hint: what a dir_find of the same name just found (or 0). */
int dir_add(struct inode *dp, const char *name, uint32_t len, uint32_t ino, uint8_t type,
            const struct dirloc *hint)
{
    struct fs *fs = dp->fs;
    uint32_t nb;
    struct buf *bp;
    int r = dir_blocks(dp, &nb), done = 0;
    if (r < 0)
        return r;
    if (hint && hint->nscanned == nb && hint->free_lb < nb) {
        if ((r = dir_block(dp, hint->free_lb, BM_WRITE, &bp)) < 0)
            return r;
        if (bp && dirent_valid(bp->data, hint->free_off, fs->bsize, fs->ninodes))
            done = try_slot(dp, bp, hint->free_off, name, len, ino, type, &r);
        if (bp)
            brelse(fs, bp);
        if (done)
            return r;
    }
    for (uint32_t lb = 0; lb < nb && !(hint && hint->nscanned == nb && hint->free_lb == 0xFFFFFFFFu); lb++) {
        if ((r = dir_block(dp, lb, BM_WRITE, &bp)) < 0)
            return r;
        if (!bp)
            continue;
        for (uint32_t off = 0; off < fs->bsize && !done;) {
            if (!dirent_valid(bp->data, off, fs->bsize, fs->ninodes)) {
                brelse(fs, bp);
                return bad_entry(dp, lb, off);
            }
            done = try_slot(dp, bp, off, name, len, ino, type, &r);
            off += ((struct ext2_dirent *)(bp->data + off))->rec_len;
        }
        brelse(fs, bp);
        if (done)
            return r;
    }
    /* no room: a new block at the end */
    uint32_t b;
    if ((uint64_t)(nb + 1) << fs->bshift > 0xFFFFFFFFull)
        return -ENOSPC;
    if ((r = bmap(dp, nb, BM_ALLOC | BM_WRITE, &b, 0)) < 0)
        return r;
    if ((r = bread(fs, b, &bp)) < 0)
        return r;
    if ((r = jdirty(fs, bp)) == 0) {
        memset(bp->data, 0, fs->bsize);
        struct ext2_dirent *de = (struct ext2_dirent *)bp->data;
        de->rec_len = fs->bsize;
        put_entry(fs, de, name, len, ino, type);
        dp->d.i_size = (nb + 1) << fs->bshift;
    }
    brelse(fs, bp);
    return r < 0 ? r : dir_changed(dp);
}

static int entry_block(struct inode *dp, const struct dirloc *loc, struct buf **bp)
{
    int r = dir_block(dp, loc->lb, BM_WRITE, bp);
    if (r == 0 && !*bp)
        r = -EIO;
    if (r == 0 && (r = jdirty(dp->fs, *bp)) < 0)
        brelse(dp->fs, *bp);
    return r;
}

int dir_remove(struct inode *dp, const struct dirloc *loc)
{
    struct buf *bp;
    int r = entry_block(dp, loc, &bp);
    if (r < 0)
        return r;
    struct ext2_dirent *de = (struct ext2_dirent *)(bp->data + loc->off);
    if (loc->prev != 0xFFFFFFFFu)
        ((struct ext2_dirent *)(bp->data + loc->prev))->rec_len += de->rec_len;
    else
        de->inode = 0;
    brelse(dp->fs, bp);
    return dir_changed(dp);
}

int dir_set(struct inode *dp, const struct dirloc *loc, uint32_t ino, uint8_t type)
{
    struct buf *bp;
    int r = entry_block(dp, loc, &bp);
    if (r < 0)
        return r;
    struct ext2_dirent *de = (struct ext2_dirent *)(bp->data + loc->off);
    de->inode = ino;
    if (dp->fs->incompat & EXT2_INCOMPAT_FILETYPE)
        de->file_type = type;
    brelse(dp->fs, bp);
    itimes(dp, 1, 1);
    return iupdate(dp);
}

static int is_dot(const struct ext2_dirent *de, uint32_t len)
{
    return (len == 1 && de->name[0] == '.') || (len == 2 && de->name[0] == '.' && de->name[1] == '.');
}

/* Calls visit on every entry of dp, in order, with its block held, until it returns
 * nonzero; returns that, 0 after the last entry, or -errno for a corrupt entry. */
static int dir_each(struct inode *dp, int (*visit)(struct ext2_dirent *, uint32_t, void *), void *arg)
{
    struct fs *fs = dp->fs;
    uint32_t nb;
    int r = dir_blocks(dp, &nb);
    if (r < 0)
        return r;
    for (uint32_t lb = 0; lb < nb; lb++) {
        struct buf *bp;
        if ((r = dir_block(dp, lb, 0, &bp)) < 0)
            return r;
        if (!bp)
            continue;
        for (uint32_t off = 0; off < fs->bsize;) {
            if (!dirent_valid(bp->data, off, fs->bsize, fs->ninodes)) {
                brelse(fs, bp);
                return bad_entry(dp, lb, off);
            }
            struct ext2_dirent *de = (struct ext2_dirent *)(bp->data + off);
            if ((r = visit(de, namelen(fs, de), arg)) != 0) {
                brelse(fs, bp);
                return r;
            }
            off += de->rec_len;
        }
        brelse(fs, bp);
    }
    return 0;
}

static int not_dot(struct ext2_dirent *de, uint32_t nl, void *arg)
{
    (void)arg;
    return de->inode && !is_dot(de, nl);
}

/* 1 when only "." and ".." are left, 0 if not, or -errno */
int dir_empty(struct inode *dp)
{
    int r = dir_each(dp, not_dot, 0);
    return r < 0 ? r : !r;
}

/* A new directory's first block: "." and "..". */
int dir_init(struct inode *dp, uint32_t parent)
{
    struct fs *fs = dp->fs;
    uint32_t b;
    struct buf *bp;
    int r = bmap(dp, 0, BM_ALLOC | BM_WRITE, &b, 0);
    if (r < 0)
        return r;
    if ((r = bread(fs, b, &bp)) < 0)
        return r;
    if ((r = jdirty(fs, bp)) == 0) {
        memset(bp->data, 0, fs->bsize);
        struct ext2_dirent *de = (struct ext2_dirent *)bp->data;
        de->rec_len = 12;
        put_entry(fs, de, ".", 1, dp->ino, EXT2_FT_DIR);
        de = (struct ext2_dirent *)(bp->data + 12);
        de->rec_len = fs->bsize - 12;
        put_entry(fs, de, "..", 2, parent, EXT2_FT_DIR);
        dp->d.i_size = fs->bsize;
    }
    brelse(fs, bp);
    return r < 0 ? r : iupdate(dp);
}

struct name_of {
    uint32_t ino;
    char *name_end;
    uint32_t *len;
};

static int copy_name_of(struct ext2_dirent *de, uint32_t nl, void *arg)
{
    struct name_of *w = arg;
    if (de->inode != w->ino || is_dot(de, nl))
        return 0;
    if (nl > *w->len)
        return -ERANGE;
    memcpy(w->name_end - nl, de->name, nl);
    *w->len = nl;
    return 1;
}

/* The name of inode ino in dp, copied to end just before name_end. */
int dir_name_of(struct inode *dp, uint32_t ino, char *name_end, uint32_t *len)
{
    struct name_of w = { ino, name_end, len };
    int r = dir_each(dp, copy_name_of, &w);
    return r < 0 ? r : r ? 0 : -ENOENT;
}

int fs_getdents(struct inode *dp, uint32_t *cookie, void *buf, uint32_t n)
{
    struct fs *fs = dp->fs;
    uint32_t nb, filled = 0;
    if (!S_ISDIR(dp->d.i_mode))
        return -ENOTDIR;
    int r = dir_blocks(dp, &nb);
    if (r < 0)
        return r;
    uint32_t pos = *cookie;
    while ((pos >> fs->bshift) < nb) {
        uint32_t lb = pos >> fs->bshift, from = pos & (fs->bsize - 1);
        struct buf *bp;
        if ((r = dir_block(dp, lb, 0, &bp)) < 0)
            break;
        if (bp) {
            /* walk from the block's start: the cookie may point into a merged entry */
            for (uint32_t off = 0; off < fs->bsize;) {
                if (!dirent_valid(bp->data, off, fs->bsize, fs->ninodes)) {
                    r = bad_entry(dp, lb, off);
                    break;
                }
                struct ext2_dirent *de = (struct ext2_dirent *)(bp->data + off);
                uint32_t nl = namelen(fs, de);
                if (off >= from && de->inode && nl <= KLOS_NAME_MAX) {
                    uint32_t rl = KLOS_DIRENT_SIZE(nl);
                    if (filled + rl > n) {
                        *cookie = (lb << fs->bshift) + off;
                        brelse(fs, bp);
                        return filled ? (int)filled : -EINVAL;
                    }
                    struct klos_dirent h;
                    h.d_ino = de->inode;
                    h.d_off = (lb << fs->bshift) + off + de->rec_len;
                    h.d_reclen = (uint16_t)rl;
                    h.d_type = (fs->incompat & EXT2_INCOMPAT_FILETYPE) ? dt_of_ft(de->file_type) : DT_UNKNOWN;
                    h.d_namelen = (uint8_t)nl;
                    uint8_t *dst = (uint8_t *)buf + filled;
                    if ((r = fs_copy_out(dst, &h, sizeof h)) < 0 ||
                        (r = fs_copy_out(dst + sizeof h, de->name, nl)) < 0 ||
                        (r = fs_copy_out(dst + sizeof h + nl, "\0\0\0\0", rl - sizeof h - nl)) < 0)
                        break;
                    filled += rl;
                    *cookie = h.d_off;
                }
                off += de->rec_len;
            }
            brelse(fs, bp);
            if (r < 0)
                break;
        }
        pos = (lb + 1) << fs->bshift;
        *cookie = pos;
    }
    if (r < 0 && !filled)
        return r;
    return (int)filled;
}
