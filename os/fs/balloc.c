/* Block and inode allocation by the group bitmaps.  Each change updates the
 * bitmap, the group descriptor's free (and directory) counts and the
 * superblock's free counts in the same handle, so the counts stay exact
 * (e2fsck checks them).  A bit the bitmap shows free on a metadata block,
 * or a block freed twice, is corruption: a line, and -EUCLEAN. */
#include "fsint.h"

/* The first clear bit in [from, nbits) of a bitmap, or -1. */
static int32_t find_zero(const uint8_t *map, uint32_t nbits, uint32_t from)
{
    const uint32_t *w = (const uint32_t *)map;
    for (uint32_t i = from; i < nbits; i = (i & ~31u) + 32) {
        uint32_t v = w[i >> 5] | ((1u << (i & 31)) - 1);
        if (v != 0xFFFFFFFFu) {
            uint32_t bit = (i & ~31u) + (uint32_t)__builtin_ctz(~v);
            return bit < nbits ? (int32_t)bit : -1;
        }
    }
    return -1;
}

static inline int test_bit(const uint8_t *map, uint32_t i)
{
    return (map[i >> 3] >> (i & 7)) & 1;
}

/* bitmap, descriptor block and superblock join the handle */
static int dirty3(struct fs *fs, struct buf *map, uint32_t g)
{
    int r = jdirty(fs, map);
    if (r == 0)
        r = jdirty(fs, gd_buf(fs, g));
    if (r == 0)
        r = jdirty(fs, fs->sbb);
    return r;
}

static uint32_t group_blocks(struct fs *fs, uint32_t g)
{
    return g == fs->ngroups - 1 ? fs->nblocks - fs->first_data - g * fs->bpg : fs->bpg;
}

int balloc(struct fs *fs, uint32_t goal, uint32_t *out)
{
    if (goal < fs->first_data || goal >= fs->nblocks)
        goal = fs->first_data;
    uint32_t g0 = (goal - fs->first_data) / fs->bpg;
    for (uint32_t i = 0; i < fs->ngroups; i++) {
        uint32_t g = g0 + i < fs->ngroups ? g0 + i : g0 + i - fs->ngroups;
        struct ext2_gd *d = gd_get(fs, g);
        if (!d->bg_free_blocks_count)
            continue;
        uint32_t base = fs->first_data + g * fs->bpg, nbits = group_blocks(fs, g);
        struct buf *bp;
        int r = bread(fs, d->bg_block_bitmap, &bp);
        if (r < 0)
            return r;
        int32_t bit = -1;
        if (i == 0 && goal - base < nbits)
            bit = find_zero(bp->data, nbits, goal - base);
        if (bit < 0)
            bit = find_zero(bp->data, nbits, 0);
        if (bit < 0) {
            brelse(fs, bp);
            fs_corrupt(fs, "group has free blocks, its bitmap none", 0, g);
            continue;
        }
        uint32_t b = base + (uint32_t)bit;
        if (blk_is_meta(fs, b)) {
            brelse(fs, bp);
            return fs_corrupt(fs, "block bitmap shows metadata free", 0, b);
        }
        if ((r = dirty3(fs, bp, g)) == 0) {
            bp->data[bit >> 3] |= 1 << (bit & 7);
            d->bg_free_blocks_count--;
            if (fs->sb->s_free_blocks_count)
                fs->sb->s_free_blocks_count--;
            *out = b;
        }
        brelse(fs, bp);
        return r;
    }
    return -ENOSPC;
}

int bfree(struct fs *fs, uint32_t b)
{
    if (b < fs->first_data || b >= fs->nblocks || blk_is_meta(fs, b))
        return fs_corrupt(fs, "freeing a metadata or out-of-range block", 0, b);
    uint32_t g = (b - fs->first_data) / fs->bpg, bit = b - fs->first_data - g * fs->bpg;
    struct ext2_gd *d = gd_get(fs, g);
    struct buf *bp;
    int r = bread(fs, d->bg_block_bitmap, &bp);
    if (r < 0)
        return r;
    if (!test_bit(bp->data, bit)) {
        brelse(fs, bp);
        return fs_corrupt(fs, "freeing a free block", 0, b);
    }
    if ((r = dirty3(fs, bp, g)) == 0) {
        bp->data[bit >> 3] &= ~(1 << (bit & 7));
        if (d->bg_free_blocks_count < group_blocks(fs, g))
            d->bg_free_blocks_count++;
        if (fs->sb->s_free_blocks_count < fs->nblocks)
            fs->sb->s_free_blocks_count++;
    }
    brelse(fs, bp);
    return r;
}

int ialloc(struct fs *fs, uint32_t near_group, int isdir, uint32_t *out)
{
    if (near_group >= fs->ngroups)
        near_group = 0;
    for (uint32_t i = 0; i < fs->ngroups; i++) {
        uint32_t g = near_group + i < fs->ngroups ? near_group + i : near_group + i - fs->ngroups;
        struct ext2_gd *d = gd_get(fs, g);
        if (!d->bg_free_inodes_count)
            continue;
        struct buf *bp;
        int r = bread(fs, d->bg_inode_bitmap, &bp);
        if (r < 0)
            return r;
        /* the reserved inodes (below s_first_ino) are never handed out */
        uint32_t from = g * fs->ipg + 1 < fs->first_ino ? fs->first_ino - 1 - g * fs->ipg : 0;
        int32_t bit = from < fs->ipg ? find_zero(bp->data, fs->ipg, from) : -1;
        if (bit < 0) {
            brelse(fs, bp);
            fs_corrupt(fs, "group has free inodes, its bitmap none", 0, g);
            continue;
        }
        if ((r = dirty3(fs, bp, g)) == 0) {
            bp->data[bit >> 3] |= 1 << (bit & 7);
            d->bg_free_inodes_count--;
            if (isdir)
                d->bg_used_dirs_count++;
            if (fs->sb->s_free_inodes_count)
                fs->sb->s_free_inodes_count--;
            *out = g * fs->ipg + (uint32_t)bit + 1;
        }
        brelse(fs, bp);
        return r;
    }
    return -ENOSPC;
}

int ifree(struct fs *fs, uint32_t ino, int isdir)
{
    if (ino < fs->first_ino || ino > fs->ninodes)
        return fs_corrupt(fs, "freeing a reserved or out-of-range inode", ino, ino);
    uint32_t g = (ino - 1) / fs->ipg, bit = (ino - 1) % fs->ipg;
    struct ext2_gd *d = gd_get(fs, g);
    struct buf *bp;
    int r = bread(fs, d->bg_inode_bitmap, &bp);
    if (r < 0)
        return r;
    if (!test_bit(bp->data, bit)) {
        brelse(fs, bp);
        return fs_corrupt(fs, "freeing a free inode", ino, ino);
    }
    if ((r = dirty3(fs, bp, g)) == 0) {
        bp->data[bit >> 3] &= ~(1 << (bit & 7));
        if (d->bg_free_inodes_count < fs->ipg)
            d->bg_free_inodes_count++;
        if (isdir && d->bg_used_dirs_count)
            d->bg_used_dirs_count--;
        if (fs->sb->s_free_inodes_count < fs->ninodes)
            fs->sb->s_free_inodes_count++;
    }
    brelse(fs, bp);
    return r;
}
