/* The block map: 12 direct pointers, then single, double and triple
 * indirect blocks.  bmap finds (and with BM_ALLOC allocates) the disk block
 * of a logical block; every pointer read from the disk is checked against
 * the file system's size, and on a write path (BM_WRITE) also against the
 * metadata, so a corrupt map never makes a write land on the superblock, a
 * bitmap, an inode table or the journal.
 *
 * itrunc_blocks frees every block from a logical block on, walking the
 * indirect tree with an explicit stack of 3 frames (no recursion), zeroing
 * each pointer as it frees its block, so that the file stays consistent at
 * every handle boundary; when the transaction fills it ends the handle,
 * starts another and walks again from the top (freed parts read as holes). */
#include "fsint.h"

/* The path to logical block lb: off[0] indexes i_block, off[1..depth] the
 * indirect blocks; returns the depth (0 = direct), or -EFBIG. */
int bmap_path(uint32_t shift, uint32_t lb, uint32_t off[4])
{
    uint32_t mask = (1u << shift) - 1;
    if (lb < EXT2_NDIR) {
        off[0] = lb;
        return 0;
    }
    lb -= EXT2_NDIR;
    if (lb < (1u << shift)) {
        off[0] = EXT2_IND;
        off[1] = lb;
        return 1;
    }
    lb -= 1u << shift;
    if (lb < (1u << 2 * shift)) {
        off[0] = EXT2_DIND;
        off[1] = lb >> shift;
        off[2] = lb & mask;
        return 2;
    }
    lb -= 1u << 2 * shift;
    if (3 * shift < 32 && lb >= (1u << 3 * shift))
        return -EFBIG;
    off[0] = EXT2_TIND;
    off[1] = lb >> 2 * shift;
    off[2] = (lb >> shift) & mask;
    off[3] = lb & mask;
    return 3;
}

static uint32_t goal_for(struct inode *ip, uint32_t lb, const uint32_t *slot, uint32_t idx)
{
    struct fs *fs = ip->fs;
    if (ip->hint_p && ip->hint_l + 1 == lb)
        return ip->hint_p + 1;
    if (idx > 0 && slot[-1] && slot[-1] < fs->nblocks)
        return slot[-1] + 1;
    uint32_t g = (ip->ino - 1) / fs->ipg;
    return fs->first_data + g * fs->bpg;
}

int bmap(struct inode *ip, uint32_t lb, int flags, uint32_t *out, int *fresh)
{
    struct fs *fs = ip->fs;
    uint32_t off[4];
    int depth = bmap_path(fs->ppb_shift, lb, off);
    if (depth < 0)
        return depth;
    uint32_t *slot = &ip->d.i_block[off[0]];
    uint32_t idx = off[0] < EXT2_NDIR ? off[0] : 0;
    struct buf *bp = 0;                 /* the indirect block holding slot */
    uint32_t b = *slot;
    int r = 0;
    if (fresh)
        *fresh = 0;
    for (int d = 0;; d++) {
        if (b == 0) {
            if (!(flags & BM_ALLOC))
                break;
            struct buf *nb;
            if ((r = balloc(fs, goal_for(ip, lb, slot, idx), &b)) < 0)
                break;
            if ((r = bzero_get(fs, b, &nb)) == 0) {
                r = jdirty(fs, nb);
                brelse(fs, nb);
            }
            if (r == 0 && bp)
                r = jdirty(fs, bp);
            if (r < 0) {
                bfree(fs, b);
                b = 0;
                break;
            }
            *slot = b;
            ip->d.i_blocks += 1u << fs->spb_shift;
            ip->hint_l = lb;
            ip->hint_p = b;
            if (d == depth && fresh)
                *fresh = 1;
        } else if (flags & BM_WRITE ? fsblk_check(fs, b, "block pointer", ip->ino) < 0
                                    : b >= fs->nblocks) {
            r = fs_corrupt(fs, "block pointer out of range", ip->ino, b);
            break;
        }
        if (d == depth)
            break;
        if (bp)
            brelse(fs, bp);
        if ((r = bread(fs, b, &bp)) < 0) {
            bp = 0;
            break;
        }
        idx = off[d + 1];
        slot = (uint32_t *)bp->data + idx;
        b = *slot;
    }
    if (bp)
        brelse(fs, bp);
    *out = r < 0 ? 0 : b;
    return r;
}

/* ---- truncation ---- */

struct tframe {
    struct buf *bp;
    uint32_t idx;       /* next entry */
    uint32_t start;     /* first block of the subtree to free (0: the whole subtree) */
};

#define ROOM_NEEDED 6   /* a bitmap, a descriptor, the superblock, an indirect block, slack */

/* One walk over the tree under *root (level 1..3) freeing from block start
 * of the subtree on; -EAGAIN when the transaction needs renewing. */
static int tree_pass(struct inode *ip, uint32_t *root, int level, uint32_t start)
{
    struct fs *fs = ip->fs;
    uint32_t spb = 1u << fs->spb_shift, sh = fs->ppb_shift;
    struct tframe f[3];
    int d = 0, r = 0;
    if (!*root)
        return 0;
    if ((r = fsblk_check(fs, *root, "indirect block", ip->ino)) < 0 || (r = bread(fs, *root, &f[0].bp)) < 0)
        return r;
    f[0].start = start;
    f[0].idx = start >> (sh * (level - 1));
    while (d >= 0) {
        struct tframe *t = &f[d];
        int L = level - d;
        uint32_t *p = (uint32_t *)t->bp->data;
        if (t->idx < fs->ppb) {
            uint32_t c = p[t->idx];
            if (!c) {
                t->idx++;
                continue;
            }
            if ((r = fsblk_check(fs, c, "block pointer", ip->ino)) < 0)
                break;
            if (L == 1) {
                if (tx_room(fs) < ROOM_NEEDED) {
                    r = -EAGAIN;
                    break;
                }
                if ((r = jdirty(fs, t->bp)) < 0 || (r = bfree(fs, c)) < 0)
                    break;
                p[t->idx++] = 0;
                ip->d.i_blocks -= ip->d.i_blocks >= spb ? spb : ip->d.i_blocks;
                continue;
            }
            uint32_t csh = sh * (L - 1);                /* blocks under one entry: 1 << csh */
            uint32_t sub = t->start && t->idx == t->start >> csh ? t->start & ((1u << csh) - 1) : 0;
            if ((r = bread(fs, c, &f[d + 1].bp)) < 0)
                break;
            d++;
            f[d].start = sub;
            f[d].idx = sub >> (sh * (L - 2));
            continue;
        }
        /* done with this block: free it too when its whole subtree went */
        if (t->start == 0) {
            if (tx_room(fs) < ROOM_NEEDED) {
                r = -EAGAIN;
                break;
            }
            if (d > 0 && (r = jdirty(fs, f[d - 1].bp)) < 0)
                break;
            if ((r = bfree(fs, t->bp->blockno)) < 0)
                break;
            if (d > 0)
                ((uint32_t *)f[d - 1].bp->data)[f[d - 1].idx] = 0;
            else
                *root = 0;
            ip->d.i_blocks -= ip->d.i_blocks >= spb ? spb : ip->d.i_blocks;
        }
        brelse(fs, t->bp);
        if (--d >= 0)
            f[d].idx++;
    }
    for (; d >= 0; d--)
        brelse(fs, f[d].bp);
    return r;
}

/* The handle fills: write the inode, commit if need be, go on in a new one. */
static int renew(struct inode *ip)
{
    int r = iupdate(ip);
    r = tx_end(ip->fs, r);
    return r < 0 ? r : tx_begin(ip->fs, CR_TRUNC);
}

int itrunc_blocks(struct inode *ip, uint32_t from)
{
    struct fs *fs = ip->fs;
    uint32_t spb = 1u << fs->spb_shift, sh = fs->ppb_shift;
    int r;
    for (uint32_t i = from; i < EXT2_NDIR; i++) {
        uint32_t b = ip->d.i_block[i];
        if (!b)
            continue;
        if (tx_room(fs) < ROOM_NEEDED && (r = renew(ip)) < 0)
            return r;
        if ((r = fsblk_check(fs, b, "block pointer", ip->ino)) < 0 || (r = bfree(fs, b)) < 0)
            return r;
        ip->d.i_block[i] = 0;
        ip->d.i_blocks -= ip->d.i_blocks >= spb ? spb : ip->d.i_blocks;
    }
    uint64_t base = EXT2_NDIR;
    for (int level = 1; level <= 3; level++) {
        uint64_t span = 1ull << (sh * level);
        if ((uint64_t)from < base + span) {
            uint32_t start = from > base ? (uint32_t)(from - base) : 0;
            for (;;) {
                r = tree_pass(ip, &ip->d.i_block[EXT2_IND + level - 1], level, start);
                if (r != -EAGAIN)
                    break;
                if ((r = renew(ip)) < 0)
                    return r;
                if (tx_room(fs) < ROOM_NEEDED)
                    return -EIO;        /* a fresh transaction always has room */
            }
            if (r < 0)
                return r;
        }
        base += span;
    }
    return iupdate(ip);
}
