/* Reading, writing and truncating an open inode.  A hole reads as zeros; a
 * write past the end leaves a hole (the old last block's tail is zeroed
 * first, so nothing stale shows).  A write is one handle per W_CHUNK
 * blocks: each chunk is atomic, and a write larger than the journal can
 * take goes in several transactions, as in ext3. */
#include "fsint.h"

static const uint8_t zeros[4096];

int fs_read(struct inode *ip, uint64_t off, void *buf, uint32_t n)
{
    struct fs *fs = ip->fs;
    if (!S_ISREG(ip->d.i_mode))
        return S_ISDIR(ip->d.i_mode) ? -EISDIR : -EINVAL;
    uint64_t size = isize_get(ip);
    if (size > fs->maxsize)
        size = fs->maxsize;
    if (off >= size)
        return 0;
    if (n > size - off)
        n = (uint32_t)(size - off);
    if (n > 0x40000000u)
        n = 0x40000000u;
    uint32_t done = 0;
    while (done < n) {
        uint64_t pos = off + done;
        uint32_t boff = (uint32_t)pos & (fs->bsize - 1), m = fs->bsize - boff, b;
        if (m > n - done)
            m = n - done;
        int r = bmap(ip, (uint32_t)(pos >> fs->bshift), 0, &b, 0);
        if (r == 0) {
            if (b == 0) {
                r = fs_copy_out((uint8_t *)buf + done, zeros, m);
            } else {
                struct buf *bp;
                if ((r = bread(fs, b, &bp)) == 0) {
                    r = fs_copy_out((uint8_t *)buf + done, bp->data + boff, m);
                    brelse(fs, bp);
                }
            }
        }
        if (r < 0)
            return done ? (int)done : r;
        done += m;
    }
    return (int)done;
}

/* Zeroes [from, to) within one block of the file (if it has the block). */
int zero_range(struct inode *ip, uint64_t from, uint64_t to)
{
    struct fs *fs = ip->fs;
    uint32_t b;
    struct buf *bp;
    if (to <= from)
        return 0;
    int r = bmap(ip, (uint32_t)(from >> fs->bshift), BM_WRITE, &b, 0);
    if (r < 0 || b == 0)
        return r;
    if ((r = bread(fs, b, &bp)) < 0)
        return r;
    if ((r = jdirty(fs, bp)) == 0)
        memset(bp->data + (from & (fs->bsize - 1)), 0, (size_t)(to - from));
    brelse(fs, bp);
    return r;
}

static uint64_t round_block(struct fs *fs, uint64_t x)
{
    return (x + fs->bsize - 1) & ~(uint64_t)(fs->bsize - 1);
}

/* blocks [0, this) hold the file's bytes */
static uint32_t blocks_of(struct fs *fs, uint64_t size)
{
    uint64_t n = round_block(fs, size) >> fs->bshift;
    return n > 0xFFFFFFFFu ? 0xFFFFFFFFu : (uint32_t)n;
}

int fs_write(struct inode *ip, uint64_t off, const void *buf, uint32_t n)
{
    struct fs *fs = ip->fs;
    if (!S_ISREG(ip->d.i_mode))
        return S_ISDIR(ip->d.i_mode) ? -EISDIR : -EINVAL;
    if (fs->rdonly)
        return -EROFS;
    if (fs->aborted)
        return -EIO;
    if (!has_blockmap(ip))
        return fs_corrupt(fs, "regular file without a block map", ip->ino, ip->d.i_flags);
    if (n == 0)
        return 0;
    if (off >= fs->maxsize)
        return -EFBIG;
    if (n > fs->maxsize - off)
        n = (uint32_t)(fs->maxsize - off);
    if (n > 0x40000000u)
        n = 0x40000000u;
    uint32_t k = fs->j.tmax > 20 ? (fs->j.tmax - 16) / 4 : 1;
    if (k > W_CHUNK)
        k = W_CHUNK;
    uint32_t done = 0;
    int r = 0;
    while (done < n && r == 0) {
        if ((r = tx_begin(fs, CR_WRITE(k))) < 0)
            break;
        uint64_t size = isize_get(ip), pos = off + done;
        if (pos > size && (size & (fs->bsize - 1))) {
            uint64_t end = round_block(fs, size);
            r = zero_range(ip, size, pos < end ? pos : end);
        }
        for (uint32_t i = 0; i < k && done < n && r == 0; i++) {
            pos = off + done;
            uint32_t boff = (uint32_t)pos & (fs->bsize - 1), m = fs->bsize - boff, b;
            struct buf *bp;
            int fresh;
            if (m > n - done)
                m = n - done;
            if ((r = bmap(ip, (uint32_t)(pos >> fs->bshift), BM_ALLOC | BM_WRITE, &b, &fresh)) < 0)
                break;
            if ((r = bread(fs, b, &bp)) < 0)
                break;
            if ((r = jdirty(fs, bp)) == 0)
                r = fs_copy_in(bp->data + boff, (const uint8_t *)buf + done, m);
            brelse(fs, bp);
            if (r < 0)
                break;
            done += m;
            if (pos + m > size)
                isize_set(ip, size = pos + m);
        }
        if (r < 0 && (r == -ENOSPC || r == -EFAULT)) {
            /* blocks allocated past the end for nothing go back */
            int r2 = itrunc_blocks(ip, blocks_of(fs, isize_get(ip)));
            if (r2 < 0)
                r = r2;
        }
        itimes(ip, 1, 1);
        int r2 = iupdate(ip);
        if (r == 0)
            r = r2;
        r = tx_end(fs, r);
    }
    return done ? (int)done : r;
}

int file_truncate(struct inode *ip, uint64_t size)
{
    struct fs *fs = ip->fs;
    if (!S_ISREG(ip->d.i_mode))
        return S_ISDIR(ip->d.i_mode) ? -EISDIR : -EINVAL;
    if (size > fs->maxsize)
        return -EFBIG;
    if (!has_blockmap(ip))
        return fs_corrupt(fs, "regular file without a block map", ip->ino, ip->d.i_flags);
    uint64_t old = isize_get(ip);
    int r = tx_begin(fs, CR_TRUNC);
    if (r < 0)
        return r;
    if (size < old) {
        /* a crash part way leaves it on the orphan list: the next mount finishes */
        int added = !(ip->flags & I_ORPHAN);
        if ((r = orphan_add(ip)) == 0 && (size & (fs->bsize - 1)))
            r = zero_range(ip, size, round_block(fs, size));
        if (r == 0) {
            isize_set(ip, size);
            itimes(ip, 1, 1);
            if ((r = iupdate(ip)) == 0)
                r = itrunc_blocks(ip, blocks_of(fs, size));
        }
        if (r == 0 && added)
            r = orphan_del(ip);
    } else if (size > old) {
        if (old & (fs->bsize - 1)) {
            uint64_t end = round_block(fs, old);
            r = zero_range(ip, old, size < end ? size : end);
        }
        if (r == 0) {
            isize_set(ip, size);
            itimes(ip, 1, 1);
            r = iupdate(ip);
        }
    }
    r = tx_end(fs, r);
    return r;
}

int fs_truncate(struct inode *ip, uint64_t size)
{
    if (ip->fs->rdonly)
        return -EROFS;
    return file_truncate(ip, size);
}

int fs_fsync(struct inode *ip)
{
    return fs_commit(ip->fs);
}

int fs_fstat(struct inode *ip, struct klos_stat *st)
{
    memset(st, 0, sizeof *st);
    st->st_ino = ip->ino;
    st->st_mode = ip->d.i_mode;
    st->st_nlink = ip->d.i_links_count;
    st->st_uid = ip->d.i_uid;
    st->st_gid = ip->d.i_gid;
    st->st_blksize = ip->fs->bsize;
    st->st_size = isize_get(ip);
    st->st_blocks = ip->d.i_blocks;
    st->st_atime = ip->d.i_atime;
    st->st_mtime = ip->d.i_mtime;
    st->st_ctime = ip->d.i_ctime;
    return 0;
}

uint64_t fs_size(struct inode *ip)
{
    return isize_get(ip);
}

int fs_isdir(struct inode *ip)
{
    return S_ISDIR(ip->d.i_mode);
}

uint32_t fs_ino(struct inode *ip)
{
    return ip->ino;
}

void fs_iref(struct inode *ip)
{
    iref(ip);
}

int fs_iput(struct inode *ip)
{
    return iput(ip);
}
