/* What the block-device drivers share besides os/drivers/blkdev.h. */
#ifndef BLKDRV_H
#define BLKDRV_H
#include <stdint.h>
#include "drivers/blkdev.h"

int blk_check(const struct blkdev *d, uint64_t lba, uint32_t count, int write);
void ata_init(void);            /* ata.c: the PCI IDE channels */
void ramdisk_init(void);        /* ramdisk.c: disk=NAME */

struct ata_stats {              /* since boot: for the tests and the curious */
    uint32_t read, written;     /* sectors moved */
    uint32_t sleeps;            /* a thread blocked until the disk's IRQ */
    uint32_t polls;             /* a command waited for by polling (start-up) */
    uint32_t lock_waits;        /* a thread waited for a channel another one used */
};
extern struct ata_stats ata_stats;
extern int ata_deaf;            /* test kernel (atatest=deaf): IRQs dropped, a dead device */
#endif
