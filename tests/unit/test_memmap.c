// The direct map's PTEs from the multiboot memory map (boot/memmap.c).
// SOURCES: boot/memmap.c
#include <stdint.h>
#include <string.h>
#include "check.h"
#include "multiboot.h"
#include "../../boot/memmap.h"

#define NF 4096                         /* the frames of 16 MiB: the table ends there */
static uint32_t pte[NF];
static struct mb_mmap map[16];
static int n;

static void add(uint64_t a, uint64_t l, uint32_t type)
{
    map[n++] = (struct mb_mmap){ 20, (uint32_t)a, (uint32_t)(a >> 32), (uint32_t)l,
                                 (uint32_t)(l >> 32), type };
}

static uint32_t run(void)
{
    return memmap_ptes(map, n * sizeof map[0], pte, NF, 7);
}

static int mapped(uint64_t a) { return pte[a >> 12] != 0; }

int main(void)
{
    /* a BIOS map with the ISA hole cut out (GRUB cutmem 15M 16M) */
    n = 0;
    add(0, 0x9FC00, 1);
    add(0x9FC00, 0x400, 2);
    add(0xF0000, 0x10000, 2);
    add(0x100000, 0xE00000, 1);
    add(0xF00000, 0x100000, 5);                 /* BadRAM */
    add(0x1000000, 0x7000000, 1);
    uint32_t k = run();
    CHECK("memmap.count", k == 0x9F + 0xE00 + (NF - 0x1000));
    CHECK("memmap.partial-frame-below-640k-not-mapped", !mapped(0x9F000));
    CHECK("memmap.low-ram", mapped(0) && mapped(0x9E000));
    CHECK("memmap.bios-area-unmapped", !mapped(0xA0000) && !mapped(0xF0000));
    CHECK("memmap.hole-unmapped", !mapped(0xF00000) && !mapped(0xFFF000));
    CHECK("memmap.pte-value", pte[0x123] == ((0x123u << 12) | 7) && pte[0] == 7);
    CHECK("memmap.clipped-to-nframes", mapped(0xEFF000) && !mapped(0xF00000));

    /* overlapping entries, out of order: reserved wins, a touched frame is lost */
    n = 0;
    add(0x200000, 0x10, 2);                     /* 16 bytes reserved inside RAM */
    add(0x100000, 0x400000, 1);
    add(0x380800, 0x1000, 4);                   /* ACPI NVS straddling two frames */
    k = run();
    CHECK("memmap.overlap-reserved-wins", !mapped(0x200000) && mapped(0x1FF000) && mapped(0x201000));
    CHECK("memmap.straddle-clears-both", !mapped(0x380000) && !mapped(0x381000) && mapped(0x382000));
    CHECK("memmap.overlap-count", k == 0x400 - 3);

    /* unaligned RAM: whole frames only */
    n = 0;
    add(0x100800, 0x2000, 1);
    k = run();
    CHECK("memmap.unaligned", k == 1 && mapped(0x101000) && !mapped(0x100000) && !mapped(0x102000));

    /* above the table, above 4 GiB, a length that wraps */
    n = 0;
    add(0x100000000ull, 0x40000000ull, 1);
    add(0xFFFFF000, 0x2000, 1);
    add(0xFFFFFFFFFFFFF000ull, 0x2000, 1);
    CHECK("memmap.high-ignored", run() == 0);

    /* a malformed map: size too small stops the walk; an entry running past the end too */
    n = 0;
    add(0x100000, 0x100000, 1);
    add(0x300000, 0x100000, 1);
    map[1].size = 8;
    CHECK("memmap.bad-size-stops", run() == 0x100 && !mapped(0x300000));
    map[1].size = 20;
    CHECK("memmap.truncated-map", memmap_ptes(map, sizeof map[0] + 10, pte, NF, 7) == 0x100);
    CHECK("memmap.empty", memmap_ptes(map, 0, pte, NF, 7) == 0);
    return check_exit();
}
