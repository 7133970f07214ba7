/* Port I/O from ring 3.  IOPL is 0, so every IN/OUT is checked against the
 * current process's I/O bitmap (SDM 18.5).  A driver opens the bits of its
 * own ports around its accesses and puts them back as they were before it
 * returns, so an app never runs with a port open that it was not granted. */
#ifndef IO_H
#define IO_H
#include <stdint.h>
#include "klos.h"
#include "io/iobitmap.h"
#include "portio.h"

#define IOMAP ((uint8_t *)IOBITMAP_VA)

/* io_open returns the bits it changed (n <= 32); io_close puts them back. */
static inline uint32_t io_open(uint16_t first, int n)
{
    uint32_t saved = iobitmap_get(IOMAP, first, n);
    iobitmap_set(IOMAP, first, n, 0);
    return saved;
}

static inline void io_close(uint16_t first, int n, uint32_t saved)
{
    iobitmap_put(IOMAP, first, n, saved);
}

#endif
