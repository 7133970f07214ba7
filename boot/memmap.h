/* The direct map's page-table entries from the multiboot memory map (pure:
 * host unit-tested, tests/unit/test_memmap.c). */
#ifndef MEMMAP_H
#define MEMMAP_H
#include <stdint.h>

/* pte[f] for each frame f < nframes: (f << 12) | flags where the map says
 * RAM, else 0.  Returns the number of RAM frames. */
uint32_t memmap_ptes(const void *mmap, uint32_t len, uint32_t *pte, uint32_t nframes,
                     uint32_t flags);
#endif
