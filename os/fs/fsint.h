/* The file system core's internals, shared by its files:
 *   bcache.c   block cache: hashed, LRU, pinned and transaction buffers
 *   journal.c  the running transaction, commit and checkpoint
 *   recover.c  journal replay at mount
 *   super.c    mount, umount, the superblock and group descriptors, statfs
 *   balloc.c   block and inode bitmaps
 *   inode.c    inode cache, inode I/O, orphans, freeing an inode
 *   bmap.c     logical to physical blocks, truncation
 *   file.c     read, write, truncate, stat of an open inode
 *   dir.c      directory entries
 *   namei.c    paths and the operations on names */
#ifndef FSINT_H
#define FSINT_H
#include <stdint.h>
#include <stddef.h>
#include "fs.h"
#include "fsenv.h"
#include "ext2.h"
#include "jbd.h"
#include "drivers/blkdev.h"
#include "klos_errno.h"
#include "string.h"

/* ---- block cache ---- */
struct buf {
    uint32_t blockno;
    uint16_t ref;               /* holders; a pinned buffer keeps one for good */
    uint16_t flags;
    uint8_t *data;
    struct buf *hnext;          /* hash chain */
    struct buf *prev, *next;    /* LRU list: only clean buffers nobody holds */
    struct buf *tnext;          /* the running transaction's list */
};
#define B_VALID 1               /* data holds the block */
#define B_TRANS 2               /* changed in the running transaction (kept until checkpointed) */

#define BC_HPAGES 16            /* hash buckets: up to 16 pages of 1024 */

struct bcache {
    struct buf **hash[BC_HPAGES];
    uint32_t hmask;
    struct buf lru;             /* sentinel: lru.next is the least recently used */
    uint32_t nbuf;
    void **hdrpages;            /* the pages holding the struct bufs (one page of pointers) */
    uint32_t nhdrpages;
};

/* ---- journal ---- */
struct jext { uint32_t l, p, n; };     /* n blocks: logical l.. at physical p.. */
#define J_MAXEXT 160                   /* per list; the two lists share one page */

struct journal {
    int usable;                 /* a journal we can write */
    uint32_t jsb_block;         /* physical block of the journal superblock */
    uint32_t first, maxlen;     /* log area: journal blocks [first, maxlen) */
    uint32_t head;              /* where the next transaction goes */
    uint32_t seq;               /* the running transaction's sequence number */
    uint32_t committed;         /* the last durable one */
    struct jext *map;           /* journal block -> disk block */
    uint32_t nmap;
    struct jext *own;           /* every disk block of the journal inode, indirect ones too */
    uint32_t nown;
    uint8_t *desc;              /* a block to build descriptors and commit blocks in */
    uint8_t *esc;               /* a block for escaped copies */
    uint8_t *jsb;               /* the journal superblock as read */
    struct buf *thead;          /* the running transaction's buffers */
    struct buf **ttail;
    uint32_t tn;                /* how many */
    uint32_t tmax;              /* a handle starts a new transaction beyond this */
    uint32_t thard;             /* the most one transaction can hold */
    int in_handle;
    int hmod;                   /* the current handle changed a block */
};

/* ---- inode cache ---- */
struct inode {
    struct fs *fs;
    uint32_t ino;
    uint16_t ref;
    uint16_t flags;
    struct inode *hnext;                /* hash chain */
    struct inode *lprev, *lnext;        /* free list: ref 0, reusable */
    struct inode *onext, *oprev;        /* the orphan list, as on disk */
    struct inode *dnext;                /* changed in the current handle: written at tx_end */
    uint32_t hint_l, hint_p;            /* last block allocated: logical, physical */
    struct ext2_inode d;                /* as on disk */
    struct ext2_inode_extra x;          /* bytes 128.. of a large inode (i_extra_isize of them kept) */
};
#define I_VALID   1
#define I_ORPHAN  2                     /* on the orphan list */
#define I_DIRTY   4                     /* on fs->dirty */

#ifndef NINODE
#define NINODE 256                      /* inode cache entries (open files, cwds, cached) */
#endif
#define IHASH 128

/* ---- the mounted file system ---- */
struct fs {
    struct blkdev *dev;
    int rdonly;                 /* mounted read-only (asked, RO_COMPAT, no usable journal) */
    int aborted;                /* a write failed or corruption showed mid-change: no more changes */
    uint32_t bsize, bshift;     /* block size and its log2 */
    uint32_t spb_shift;         /* log2 of sectors per block */
    uint32_t ppb, ppb_shift;    /* block pointers per block */
    uint32_t nblocks, ninodes;
    uint32_t first_data, bpg, ipg, ngroups;
    uint32_t isize, ipb;        /* inode size, inodes per block */
    uint32_t itb;               /* inode table blocks per group */
    uint32_t first_ino;
    uint32_t compat, incompat, ro_compat;
    uint32_t gdpb, gdpb_shift;  /* group descriptors per block */
    uint32_t ngdb, resv_gdt;
    uint32_t resize_dind;       /* the resize inode's double indirect block (never allocated) */
    uint64_t maxsize;           /* largest file size */
    struct buf *sbb;            /* the superblock's buffer, pinned */
    struct ext2_super *sb;
    struct buf **gdb;           /* group descriptor buffers, pinned (one page of pointers) */
    struct bcache bc;
    struct journal j;
    struct inode *orphans;      /* head: the inode s_last_orphan names */
    struct inode *root;         /* referenced while mounted */
    struct inode *dirty;        /* inodes the current handle changed */
};

/* bcache.c */
int bc_init(struct fs *fs, uint32_t nbuf);
void bc_free(struct fs *fs);
int bread(struct fs *fs, uint32_t b, struct buf **out);
int bzero_get(struct fs *fs, uint32_t b, struct buf **out);   /* a zeroed buffer, no read */
void brelse(struct fs *fs, struct buf *bp);
void bc_forget_trans(struct fs *fs);                          /* after an abort */
void bc_trans_clean(struct fs *fs);                           /* after a checkpoint */
int dev_read_block(struct fs *fs, uint32_t b, void *data);
int dev_write_block(struct fs *fs, uint32_t b, const void *data);
int dev_flush(struct fs *fs);

/* journal.c */
int j_open(struct fs *fs);                      /* after recovery, for a read-write mount */
void j_close(struct fs *fs);
int tx_begin(struct fs *fs, uint32_t credits);
int tx_end(struct fs *fs, int err);             /* writes the handle's inodes; err, or theirs;
                                                   aborts on -EIO/-EUCLEAN/-ENOMEM after changes */
int tx_room(struct fs *fs);                     /* blocks the handle may still add */
int jdirty(struct fs *fs, struct buf *bp);      /* bp joins the running transaction */
int j_commit(struct fs *fs);
int j_mark_empty(struct fs *fs);
void fs_abort(struct fs *fs, const char *why);
int j_map(struct fs *fs, uint32_t jblk, uint32_t *pblk);
int j_owns(struct fs *fs, uint32_t pblk);
int j_load(struct fs *fs, const struct ext2_inode *jino, uint8_t *scratch);
int j_recover(struct fs *fs, int can_write);    /* recover.c */

/* super.c */
struct ext2_gd *gd_get(struct fs *fs, uint32_t g);
struct buf *gd_buf(struct fs *fs, uint32_t g);
int group_has_super(struct fs *fs, uint32_t g);
int blk_is_meta(struct fs *fs, uint32_t b);     /* superblock, descriptors, bitmaps, tables, journal */
int fsblk_check(struct fs *fs, uint32_t b, const char *what, uint32_t ino);  /* 0 or -EUCLEAN */
int fs_corrupt(struct fs *fs, const char *what, uint32_t ino, uint32_t val);  /* logs; -EUCLEAN */

/* balloc.c */
int balloc(struct fs *fs, uint32_t goal, uint32_t *out);
int bfree(struct fs *fs, uint32_t b);
int ialloc(struct fs *fs, uint32_t near_group, int isdir, uint32_t *out);
int ifree(struct fs *fs, uint32_t ino, int isdir);

/* inode.c */
int iget(struct fs *fs, uint32_t ino, struct inode **out);
void iref(struct inode *ip);
int iput(struct inode *ip);
int iupdate(struct inode *ip);                  /* the handle writes ip back at its end */
int iflush(struct fs *fs);
void idirty_drop(struct fs *fs);
int inew(struct fs *fs, uint32_t ino, uint16_t mode, struct inode **out);
int orphan_add(struct inode *ip);
int ifree_fits(struct inode *ip);
int ifree_now(struct inode *ip);
int orphan_del(struct inode *ip);
int orphans_process(struct fs *fs);
void icache_drop(struct fs *fs);
int icache_busy(struct fs *fs);
void itimes(struct inode *ip, int m, int c);
uint64_t isize_get(const struct inode *ip);
void isize_set(struct inode *ip, uint64_t size);
int has_blockmap(const struct inode *ip);

/* dcache.c: names looked up, (dir, name) -> inode */
int dc_lookup(struct inode *dp, const char *name, uint32_t len, uint32_t *ino);
void dc_add(struct inode *dp, const char *name, uint32_t len, uint32_t ino);
void dc_forget(struct inode *dp, const char *name, uint32_t len);
void dc_drop(struct fs *fs);

/* bmap.c */
#define BM_ALLOC 1              /* allocate what is missing (a write) */
#define BM_WRITE 2              /* the caller will change the block: no metadata allowed */
int bmap(struct inode *ip, uint32_t lb, int alloc, uint32_t *out, int *fresh);
int bmap_path(uint32_t ppb_shift, uint32_t lb, uint32_t off[4]);
int itrunc_blocks(struct inode *ip, uint32_t from);   /* frees blocks >= from, restarting handles */

/* file.c */
int file_truncate(struct inode *ip, uint64_t size);
int zero_range(struct inode *ip, uint64_t from, uint64_t to);

/* dir.c */
struct dirloc {
    uint32_t lb, off, prev;     /* the entry found (prev ~0: first in its block) */
    uint32_t ino;
    uint8_t type;
    /* after a whole scan that did not find the name (nscanned = the blocks):
     * the first entry with room for one of its length, free_lb ~0 if none */
    uint32_t nscanned, free_lb, free_off;
};
int dirent_ok(const uint8_t *blk, uint32_t off, uint32_t bsize, uint32_t ninodes);
/* the check itself, inline for the scans */
static inline int dirent_valid(const uint8_t *blk, uint32_t off, uint32_t bsize, uint32_t ninodes)
{
    if ((off & 3) || off + EXT2_DIRENT_HDR > bsize)
        return 0;
    const struct ext2_dirent *de = (const struct ext2_dirent *)(blk + off);
    uint32_t rl = de->rec_len;
    return rl >= 12 && !(rl & 3) && rl <= bsize - off && EXT2_DIRENT_LEN(de->name_len) <= rl &&
           de->inode <= ninodes && (de->inode == 0 || de->name_len > 0);
}
int dir_find(struct inode *dp, const char *name, uint32_t len, struct dirloc *loc);
int dir_add(struct inode *dp, const char *name, uint32_t len, uint32_t ino, uint8_t type,
            const struct dirloc *hint);
int dir_remove(struct inode *dp, const struct dirloc *loc);
int dir_set(struct inode *dp, const struct dirloc *loc, uint32_t ino, uint8_t type);
int dir_empty(struct inode *dp);
int dir_init(struct inode *dp, uint32_t parent);
int dir_name_of(struct inode *dp, uint32_t ino, char *name, uint32_t *len);
uint8_t ft_of_mode(uint16_t mode);
uint8_t dt_of_ft(uint8_t ft);

#define FS_LOG(...) fs_log(__VA_ARGS__)

/* Word moves for the inode-sized copies on hot paths (n a multiple of 4,
 * both 4-aligned); GCC must not turn the loops back into memcpy/memset, nor
 * into a MOVS, which would address through ES -- the app's inside a service
 * (tools/check/strscan.py). */
__attribute__((optimize("no-tree-loop-distribute-patterns")))
static inline void wcopy(void *d, const void *s, uint32_t n)
{
    uint32_t *dw = d;
    const uint32_t *sw = s;
    for (uint32_t i = 0; i < n / 4; i++) {
        uint32_t w = sw[i];
        asm("" : "+r"(w));              /* a load and a store, never a MOVS */
        dw[i] = w;
    }
}

__attribute__((optimize("no-tree-loop-distribute-patterns")))
static inline void wzero(void *d, uint32_t n)
{
    uint32_t *dw = d;
    for (n /= 4; n; n--)
        *dw++ = 0;
}

/* credits (journal blocks) a handle reserves */
#define CR_DIROP  24            /* create, unlink, mkdir: dir block, its map, bitmaps, descriptors, sb, inodes */
#define CR_RENAME 48
#define CR_TRUNC  16            /* one step of a truncation; it restarts as it goes */
#define W_CHUNK   16            /* blocks of file data per write handle */
#define CR_WRITE(k) (4 * (k) + 16)
#endif
