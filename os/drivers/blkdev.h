/* A block device as the file system sees it: 512-byte sectors, read,
 * write and flush.  A driver (os/drivers/ata.c, os/drivers/ramdisk.c; on the
 * host, the unit tests' file-backed device) fills one in and registers it.
 *
 * The calls are synchronous for the caller: a driver that waits for the
 * hardware blocks the calling thread (sched_block) and others run.  Buffers
 * are OS memory (the direct map, so V2P gives their physical address for
 * DMA); a driver may ask for 4-byte alignment.  Every call returns 0 or a
 * negative errno (-EIO, -EINVAL for a range outside the device, -EROFS).
 * flush returns only when everything written before it is on the medium
 * (ATA FLUSH CACHE); the journal depends on it. */
#ifndef BLKDEV_H
#define BLKDEV_H
#include <stdint.h>

#define BLK_SECTOR 512

struct blkdev {
    char name[16];              /* "ata0", "ata2", "ram0" */
    uint64_t nsect;             /* size in sectors */
    int readonly;
    int (*read)(struct blkdev *d, uint64_t lba, uint32_t count, void *buf);
    int (*write)(struct blkdev *d, uint64_t lba, uint32_t count, const void *buf);
    int (*flush)(struct blkdev *d);
    void *priv;                 /* the driver's */
};

#define NBLKDEV 8
int blk_register(struct blkdev *d);             /* 0, or -ENOSPC when the table is full */
struct blkdev *blk_find(const char *name);      /* or 0 */
struct blkdev *blk_get(int i);                  /* i-th registered, or 0 */
#endif
