/* App pointers: an app may pass only addresses it could itself reach
 * through DSAPP, which is expand-down: DSAPP_LIMIT+1 (APP_DATA_BASE) up to
 * 4 GiB-1.  A range that wraps past 4 GiB fails too: p + len <= 2^32 is
 * checked as len <= 2^32 - p, which 32 bits hold exactly since p > 0 (the
 * same as the 64-bit sum, without it).  Pure logic (host unit-tested). */
#ifndef UPTR_H
#define UPTR_H
#include <stdint.h>
#include "klos.h"

static inline int uptr_ok(uint32_t p, uint32_t len)
{
    return p >= APP_DATA_BASE && len <= 0u - p;
}
#endif
