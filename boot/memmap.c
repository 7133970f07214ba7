/* The multiboot memory map (flag bit 6) is the truth about RAM; mem_upper is
 * only the RAM below the first hole (DESIGN.md §9).  Real maps list holes
 * anywhere (the ISA hole at 15-16 MiB, 512-514 MiB on Sandy/Ivy Bridge, the
 * ACPI and firmware ranges of every UEFI machine), out of order, and now and
 * then overlapping: a frame is RAM only if an entry of type 1 covers it whole
 * and no entry of another type touches it (reserved wins, as in Linux's
 * sanitize_e820). */
#include "multiboot.h"
#include "memmap.h"

/* Set or clear pte[] over the frames of [a, a + l) within [0, nframes):
 * whole frames only when setting, every touched frame when clearing. */
static void span(uint64_t a, uint64_t l, uint32_t *pte, uint32_t nframes, uint32_t flags, int ram)
{
    uint64_t end = a + l < a ? ~0ull : a + l;           /* a length that wraps: to the top */
    uint64_t f0 = ram ? (a + 4095) >> 12 : a >> 12;
    uint64_t f1 = ram ? end >> 12 : (end + 4095) >> 12;
    if (f1 > nframes)
        f1 = nframes;
    for (uint64_t f = f0; f < f1; f++)
        pte[f] = ram ? (uint32_t)(f << 12) | flags : 0;
}

/* The entries of the map, in order; each is at least 20 bytes, wholly in it. */
static void walk(const uint8_t *m, uint32_t len, uint32_t *pte, uint32_t nframes, uint32_t flags,
                 int ram)
{
    for (uint32_t p = 0; len >= 24 && p <= len - 24;) {
        const struct mb_mmap *e = (const struct mb_mmap *)(m + p);
        if (e->size < 20 || e->size > len - p - 4)
            break;
        uint64_t a = ((uint64_t)e->addr_hi << 32) | e->addr_lo;
        uint64_t l = ((uint64_t)e->len_hi << 32) | e->len_lo;
        if ((e->type == MB_MMAP_RAM) == ram && l)
            span(a, l, pte, nframes, flags, ram);
        p += e->size + 4;
    }
}

uint32_t memmap_ptes(const void *mmap, uint32_t len, uint32_t *pte, uint32_t nframes,
                     uint32_t flags)
{
    for (uint32_t f = 0; f < nframes; f++)
        pte[f] = 0;
    walk(mmap, len, pte, nframes, flags, 1);
    walk(mmap, len, pte, nframes, flags, 0);
    uint32_t n = 0;
    for (uint32_t f = 0; f < nframes; f++)
        n += pte[f] != 0;
    return n;
}
