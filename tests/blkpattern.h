/* The byte pattern the host writes into test disk images (tests/run.py,
 * disks=) and the OS's test=blk mode checks (os/tests/blk_tests.c): sector
 * lba starts with lba (8 bytes, little-endian), the rest depends on lba and
 * the offset.  A sector the OS writes back carries the pattern inverted. */
#ifndef BLKPATTERN_H
#define BLKPATTERN_H
#include <stdint.h>

#define BLKPAT_FILL      2048            /* sectors [0, 2048): the host's pattern */
#define BLKPAT_WRITE     4096            /* [4096, 4096+300): where test=blk writes */
#define BLKPAT_NWRITE    300
#define BLKPAT_ERR_READ  3000            /* blkdebug: a read error here (once) */
#define BLKPAT_ERR_WRITE 3001            /* blkdebug: a write error here (once) */
#define BLKPAT_LBA48     0x10000000ull   /* 2^28: the first sector LBA28 cannot name */
#define BLKPAT_EDGE      64              /* [2^28 - 64, 2^28 + 64): patterned too, big images */

static inline uint8_t blkpat(uint64_t lba, int i)
{
    if (i < 8)
        return (uint8_t)(lba >> (8 * i));
    return (uint8_t)((uint32_t)lba * 31u + (uint32_t)(lba >> 8) * 13u + (uint32_t)i * 7u) ^ 0x5C;
}
#endif
