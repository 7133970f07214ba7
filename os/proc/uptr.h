/* App pointers: an app may pass only addresses it could itself reach
 * through DSAPP.  Checked with 64-bit arithmetic, so a range that wraps past
 * 4 GiB fails too.  Pure logic (host unit-tested). */
#ifndef UPTR_H
#define UPTR_H
#include <stdint.h>
#include "klos.h"

static inline int uptr_ok(uint32_t p, uint32_t len)
{
    return (uint64_t)p + len <= (uint64_t)DSAPP_LIMIT + 1 && p >= 4096;
}
#endif
