/* App pointers: an app may pass only addresses it could itself reach
 * through DSAPP, which is expand-down: DSAPP_LIMIT+1 (APP_DATA_BASE) up to
 * 4 GiB-1.  Checked with 64-bit arithmetic, so a range that wraps past 4 GiB
 * fails too.  Pure logic (host unit-tested). */
#ifndef UPTR_H
#define UPTR_H
#include <stdint.h>
#include "klos.h"

static inline int uptr_ok(uint32_t p, uint32_t len)
{
    return p >= APP_DATA_BASE && (uint64_t)p + len <= 0x100000000ull;
}
#endif
