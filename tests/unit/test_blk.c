// The block-device table and the drivers' range check (os/drivers/blk.c).
// SOURCES: os/drivers/blk.c
#include <stdint.h>
#include "check.h"
#include "klos_errno.h"
#include "drivers/blkdev.h"
#include "drivers/blkdrv.h"

int main(void)
{
    static struct blkdev d[NBLKDEV + 1];
    for (int i = 0; i <= NBLKDEV; i++) {
        d[i].name[0] = 'd';
        d[i].name[1] = '0' + i;
        d[i].nsect = 1000;
    }
    int r = 0;
    for (int i = 0; i < NBLKDEV; i++)
        r |= blk_register(&d[i]);
    CHECK("blk.register", r == 0);
    CHECK("blk.table-full", blk_register(&d[NBLKDEV]) == -ENOSPC);
    CHECK("blk.find", blk_find("d3") == &d[3] && blk_find("d9") == 0 && blk_find("") == 0);
    CHECK("blk.get", blk_get(0) == &d[0] && blk_get(NBLKDEV - 1) == &d[NBLKDEV - 1] &&
                     blk_get(NBLKDEV) == 0 && blk_get(-1) == 0);
    /* the range check: 64-bit, no sum that wraps */
    CHECK("blk.check-inside", blk_check(&d[0], 0, 1000, 0) == 0 && blk_check(&d[0], 999, 1, 1) == 0);
    CHECK("blk.check-zero", blk_check(&d[0], 5, 0, 0) == 0);
    CHECK("blk.check-past", blk_check(&d[0], 1000, 1, 0) == -EINVAL &&
                            blk_check(&d[0], 999, 2, 0) == -EINVAL);
    CHECK("blk.check-wrap", blk_check(&d[0], ~0ull, 2, 0) == -EINVAL &&
                            blk_check(&d[0], ~0ull - 1, 0xFFFFFFFF, 0) == -EINVAL &&
                            blk_check(&d[0], 1, 0xFFFFFFFF, 1) == -EINVAL);
    d[1].readonly = 1;
    CHECK("blk.check-readonly", blk_check(&d[1], 0, 1, 1) == -EROFS &&
                                blk_check(&d[1], 0, 1, 0) == 0 &&
                                blk_check(&d[1], 1000, 1, 1) == -EINVAL);
    return check_exit();
}
