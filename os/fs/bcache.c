/* The block cache: a fixed pool of block-sized buffers, found through a
 * hash of the block number.  A buffer nobody holds and that is not part of
 * the running transaction sits on the LRU list; the least recently used
 * one is reused.  Held buffers (ref > 0, the superblock and group
 * descriptors forever) and transaction buffers (B_TRANS, until their
 * checkpoint) are off the list, so finding a victim is O(1). */
#include "fsint.h"

/* FS_GUARD_BUFFERS (the host fuzzer's build): one buffer per page, at its
 * end, so that AddressSanitizer sees a read or write past a block. */
#ifdef FS_GUARD_BUFFERS
#define GUARD 1
#else
#define GUARD 0
#endif

#define PTRS_PER_PAGE (FS_PAGE / sizeof(struct buf *))
#define BUFS_PER_PAGE (FS_PAGE / sizeof(struct buf))

static inline struct buf **bucket(struct bcache *bc, uint32_t b)
{
    uint32_t h = b & bc->hmask;
    return &bc->hash[h / PTRS_PER_PAGE][h % PTRS_PER_PAGE];
}

static inline void lru_remove(struct buf *bp)
{
    bp->prev->next = bp->next;
    bp->next->prev = bp->prev;
}

static inline void lru_append(struct bcache *bc, struct buf *bp)
{
    bp->prev = bc->lru.prev;
    bp->next = &bc->lru;
    bc->lru.prev->next = bp;
    bc->lru.prev = bp;
}

static void hash_remove(struct bcache *bc, struct buf *bp)
{
    struct buf **pp = bucket(bc, bp->blockno);
    while (*pp && *pp != bp)
        pp = &(*pp)->hnext;
    if (*pp)
        *pp = bp->hnext;
    bp->hnext = 0;
}

int bc_init(struct fs *fs, uint32_t nbuf)
{
    struct bcache *bc = &fs->bc;
    uint32_t per_data = GUARD ? 1 : FS_PAGE >> fs->bshift;
    memset(bc, 0, sizeof *bc);
    bc->lru.next = bc->lru.prev = &bc->lru;
    if (nbuf > PTRS_PER_PAGE * BUFS_PER_PAGE)
        nbuf = PTRS_PER_PAGE * BUFS_PER_PAGE;
    uint32_t nb = 1;
    while (nb < nbuf && nb < BC_HPAGES * PTRS_PER_PAGE)
        nb <<= 1;
    bc->hmask = nb - 1;
    for (uint32_t i = 0; i * PTRS_PER_PAGE < nb; i++)
        if (!(bc->hash[i] = fs_page_alloc()))
            return -ENOMEM;
    if (!(bc->hdrpages = fs_page_alloc()))
        return -ENOMEM;
    uint8_t *data = 0;
    uint32_t left = 0;
    for (uint32_t i = 0; i < nbuf; i++) {
        if (i % BUFS_PER_PAGE == 0) {
            if (!(bc->hdrpages[bc->nhdrpages] = fs_page_alloc()))
                return -ENOMEM;
            bc->nhdrpages++;
        }
        if (!left) {
            if (!(data = fs_page_alloc()))
                return -ENOMEM;
            if (GUARD)
                data += FS_PAGE - fs->bsize;
            left = per_data;
        }
        struct buf *bp = (struct buf *)bc->hdrpages[i / BUFS_PER_PAGE] + i % BUFS_PER_PAGE;
        bp->data = data;
        bp->blockno = 0xFFFFFFFFu;
        data += fs->bsize;
        left--;
        lru_append(bc, bp);
        bc->nbuf++;
    }
    return 0;
}

void bc_free(struct fs *fs)
{
    struct bcache *bc = &fs->bc;
    if (bc->hdrpages) {
        for (uint32_t i = 0; i < bc->nbuf; i++) {
            struct buf *bp = (struct buf *)bc->hdrpages[i / BUFS_PER_PAGE] + i % BUFS_PER_PAGE;
            if (GUARD || ((uintptr_t)bp->data & (FS_PAGE - 1)) == 0)
                fs_page_free((void *)((uintptr_t)bp->data & ~(uintptr_t)(FS_PAGE - 1)));
        }
        for (uint32_t i = 0; i < bc->nhdrpages; i++)
            fs_page_free(bc->hdrpages[i]);
        fs_page_free(bc->hdrpages);
    }
    for (int i = 0; i < BC_HPAGES; i++)
        if (bc->hash[i])
            fs_page_free(bc->hash[i]);
    memset(bc, 0, sizeof *bc);
}

int dev_read_block(struct fs *fs, uint32_t b, void *data)
{
    if (b >= fs->nblocks)
        return -EIO;
    int r = fs->dev->read(fs->dev, (uint64_t)b << fs->spb_shift, 1u << fs->spb_shift, data);
    if (r < 0)
        FS_LOG("fs: %s: read of block %u failed (%d)", fs->dev->name, b, r);
    return r < 0 ? -EIO : 0;
}

int dev_write_block(struct fs *fs, uint32_t b, const void *data)
{
    if (b >= fs->nblocks) {
        FS_LOG("fs: %s: write of block %u outside the file system refused", fs->dev->name, b);
        return -EIO;
    }
    int r = fs->dev->write(fs->dev, (uint64_t)b << fs->spb_shift, 1u << fs->spb_shift, data);
    if (r < 0)
        FS_LOG("fs: %s: write of block %u failed (%d)", fs->dev->name, b, r);
    return r < 0 ? -EIO : 0;
}

int dev_flush(struct fs *fs)
{
    int r = fs->dev->flush(fs->dev);
    if (r < 0)
        FS_LOG("fs: %s: cache flush failed (%d)", fs->dev->name, r);
    return r < 0 ? -EIO : 0;
}

/* The buffer of block b, held, or 0 with a victim taken off the LRU list. */
static struct buf *get(struct fs *fs, uint32_t b, struct buf **victim)
{
    struct bcache *bc = &fs->bc;
    struct buf *bp = *bucket(bc, b);
    while (bp && bp->blockno != b)
        bp = bp->hnext;
    if (bp) {
        if (bp->ref == 0 && !(bp->flags & B_TRANS))
            lru_remove(bp);
        bp->ref++;
        return bp;
    }
    bp = bc->lru.next;
    if (bp == &bc->lru) {
        *victim = 0;
        return 0;
    }
    lru_remove(bp);
    if (bp->flags & B_VALID)
        hash_remove(bc, bp);
    bp->flags = 0;
    bp->blockno = b;
    *victim = bp;
    return 0;
}

static int cache_full(struct fs *fs)
{
    FS_LOG("fs: %s: block cache exhausted (%u buffers)", fs->dev->name, fs->bc.nbuf);
    return -ENOMEM;
}

static void install(struct fs *fs, struct buf *bp)
{
    struct buf **h = bucket(&fs->bc, bp->blockno);
    bp->hnext = *h;
    *h = bp;
    bp->flags = B_VALID;
    bp->ref = 1;
}

int bread(struct fs *fs, uint32_t b, struct buf **out)
{
    struct buf *bp;
    if (b >= fs->nblocks)
        return fs_corrupt(fs, "block number out of range", 0, b);
    if ((*out = get(fs, b, &bp)))
        return 0;
    if (!bp)
        return cache_full(fs);
    int r = dev_read_block(fs, b, bp->data);
    if (r < 0) {
        bp->blockno = 0xFFFFFFFFu;
        lru_append(&fs->bc, bp);
        return r;
    }
    install(fs, bp);
    *out = bp;
    return 0;
}

int bzero_get(struct fs *fs, uint32_t b, struct buf **out)
{
    struct buf *bp, *v;
    if (b >= fs->nblocks)
        return fs_corrupt(fs, "block number out of range", 0, b);
    if (!(bp = get(fs, b, &v))) {
        if (!(bp = v))
            return cache_full(fs);
        install(fs, bp);
    }
    memset(bp->data, 0, fs->bsize);
    *out = bp;
    return 0;
}

void brelse(struct fs *fs, struct buf *bp)
{
    if (--bp->ref == 0 && !(bp->flags & B_TRANS))
        lru_append(&fs->bc, bp);
}

/* After an abort: the running transaction's changes are dropped, and with
 * them the buffers that hold them (they no longer match the disk). */
void bc_forget_trans(struct fs *fs)
{
    struct buf *bp = fs->j.thead, *next;
    for (; bp; bp = next) {
        next = bp->tnext;
        bp->tnext = 0;
        bp->flags &= ~B_TRANS;
        if (bp->ref == 0) {
            hash_remove(&fs->bc, bp);
            bp->flags = 0;
            bp->blockno = 0xFFFFFFFFu;
            lru_append(&fs->bc, bp);
        }
    }
    fs->j.thead = 0;
    fs->j.ttail = &fs->j.thead;
    fs->j.tn = 0;
}

/* After a checkpoint: the transaction's buffers are clean again. */
void bc_trans_clean(struct fs *fs)
{
    struct buf *bp = fs->j.thead, *next;
    for (; bp; bp = next) {
        next = bp->tnext;
        bp->tnext = 0;
        bp->flags &= ~B_TRANS;
        if (bp->ref == 0)
            lru_append(&fs->bc, bp);
    }
    fs->j.thead = 0;
    fs->j.ttail = &fs->j.thead;
    fs->j.tn = 0;
}
