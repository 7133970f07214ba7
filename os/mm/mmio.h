#ifndef MMIO_H
#define MMIO_H
#include <stdint.h>

#define PTE_PWT 0x008
#define PTE_PCD 0x010           /* uncached: device registers (SDM 11.5.2.1) */

/* Map the device memory [pa, pa + len) at va in the MMIO window; returns
 * the address of pa there, or 0 if it does not fit (or lies above 4 GiB,
 * which non-PAE paging cannot reach). */
void *mmio_map(uint64_t pa, uint32_t len, uint32_t va, uint32_t flags);
#endif
