/* The block devices the drivers registered (os/drivers/blkdev.h): ata0..ata3
 * (os/drivers/ata.c) and ram0 (os/drivers/ramdisk.c), in registration order.
 * Pure logic (host unit-tested: tests/unit/test_blk.c). */
#include "string.h"
#include "klos_errno.h"
#include "drivers/blkdev.h"
#include "drivers/blkdrv.h"

static struct blkdev *devs[NBLKDEV];
static int ndevs;

int blk_register(struct blkdev *d)
{
    if (ndevs == NBLKDEV)
        return -ENOSPC;
    devs[ndevs++] = d;
    return 0;
}

struct blkdev *blk_find(const char *name)
{
    for (int i = 0; i < ndevs; i++)
        if (!strcmp(devs[i]->name, name))
            return devs[i];
    return 0;
}

struct blkdev *blk_get(int i)
{
    return i >= 0 && i < ndevs ? devs[i] : 0;
}

/* For the drivers: 0 if [lba, lba+count) lies on d (and d may be written,
 * for a write); else -EINVAL or -EROFS.  In 64 bits, with no sum that wraps. */
int blk_check(const struct blkdev *d, uint64_t lba, uint32_t count, int write)
{
    if (lba >= d->nsect || count > d->nsect - lba)
        return -EINVAL;
    if (write && d->readonly)
        return -EROFS;
    return 0;
}
