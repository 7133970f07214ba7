/* Physical frames: a bitmap over the RAM the direct map reaches.  A frame is
 * free to hand out only if the direct map maps it -- boot built that map
 * from the multiboot memory map (boot/memmap.c), so the allocator and the
 * map agree by construction and a hole is never handed out.  The low 1 MiB,
 * the kernel image, the modules and the multiboot data are reserved.  RAM
 * above DIRECTMAP_MAX is not used (reported). */
#include "os.h"
#include "multiboot.h"
#include "machine.h"
#include "mm/frame.h"

static uint32_t used[NFRAMES / 32];     /* bit set = not free */
static uint32_t nfree, top;

static void mark(uint32_t pa0, uint32_t pa1, int isused)
{
    for (uint32_t f = pa0 / 4096; f < (pa1 + 4095) / 4096 && f < NFRAMES; f++) {
        int was = (used[f / 32] >> (f % 32)) & 1;
        if (isused && !was) {
            used[f / 32] |= 1u << (f % 32);
            nfree--;
        } else if (!isused && was && (DIRECT_PTE[f] & PTE_P)) {
            used[f / 32] &= ~(1u << (f % 32));
            nfree++;
        }
    }
}

/* RAM the memory map lists above what the direct map can reach. */
static uint64_t ram_above_directmap(struct mb_info *mbi)
{
    uint64_t above = 0;
    if (!(mbi->flags & MBI_MMAP))
        return (uint64_t)(mbi->mem_upper + 1024) * 1024 > DIRECTMAP_MAX
                   ? (uint64_t)(mbi->mem_upper + 1024) * 1024 - DIRECTMAP_MAX : 0;
    for (uint32_t p = 0; p + 24 <= mbi->mmap_length;) {
        struct mb_mmap *m = P2V(mbi->mmap_addr + p);
        uint64_t a = ((uint64_t)m->addr_hi << 32) | m->addr_lo;
        uint64_t e = a + (((uint64_t)m->len_hi << 32) | m->len_lo);
        if (m->type == MB_MMAP_RAM && e > DIRECTMAP_MAX)
            above += e - (a > DIRECTMAP_MAX ? a : DIRECTMAP_MAX);
        if (m->size < 20)
            break;
        p += m->size + 4;
    }
    return above;
}

void frame_init(struct mb_info *mbi, uint64_t *ram_total, uint64_t *ram_unused)
{
    memset(used, 0xFF, sizeof used);
    nfree = 0;
    mark(0, DIRECTMAP_MAX, 0);                          /* what the direct map maps */
    uint32_t ram = nfree;
    mark(0, 0x100000, 1);                               /* BIOS data, EBDA, mbi */
    mark((uint32_t)_kernel_start, V2P(_kernel_end), 1);       /* code VMA = phys */
    if (mbi->flags & MBI_MODS) {
        struct mb_module *mod = P2V(mbi->mods_addr);
        for (uint32_t i = 0; i < mbi->mods_count; i++)
            mark(mod[i].start, mod[i].end, 1);
    }
    /* GRUB keeps these below 640 KiB (reserved anyway); another loader may not */
    mark(V2P(mbi), V2P(mbi) + sizeof *mbi, 1);
    if (mbi->flags & MBI_MMAP)
        mark(mbi->mmap_addr, mbi->mmap_addr + mbi->mmap_length, 1);
    if (mbi->flags & MBI_MODS)
        mark(mbi->mods_addr, mbi->mods_addr + mbi->mods_count * sizeof(struct mb_module), 1);
    *ram_unused = ram_above_directmap(mbi);
    *ram_total = (uint64_t)ram * 4096 + *ram_unused;
    top = 0;
}

/* A zeroed frame, or 0 when memory is exhausted. */
uint32_t frame_alloc(void)
{
    for (uint32_t n = 0; n < NFRAMES / 32; n++) {
        uint32_t i = (top + n) % (NFRAMES / 32);
        if (used[i] == 0xFFFFFFFF)
            continue;
        for (int b = 0; b < 32; b++)
            if (!((used[i] >> b) & 1)) {
                uint32_t pa = (i * 32 + b) * 4096;
                mark(pa, pa + 4096, 1);
                top = i;
                memset(P2V(pa), 0, 4096);
                return pa;
            }
    }
    return 0;
}

/* n physically consecutive frames (not zeroed), or 0: a program read from
 * a disk is handed to the ELF loader as one piece, as a GRUB module is. */
uint32_t frame_alloc_run(uint32_t n)
{
    uint32_t run = 0;
    for (uint32_t f = 0; f < NFRAMES && n; f++) {
        run = (used[f / 32] >> (f % 32)) & 1 ? 0 : run + 1;
        if (run == n) {
            uint32_t pa = (f + 1 - n) * 4096;
            mark(pa, pa + n * 4096, 1);
            return pa;
        }
    }
    return 0;
}

/* A frame the bitmap already holds free is being freed again: two owners
 * think it theirs, and the next frame_alloc would give it to a third.  Stop
 * before that happens. */
void frame_free(uint32_t pa)
{
    uint32_t f = pa / 4096;
    if (f < NFRAMES && !((used[f / 32] >> (f % 32)) & 1)) {
        kprintf("KLOS PANIC: frame %08x freed twice\n", pa);
        os_halt(2);
    }
    mark(pa, pa + 4096, 0);
}

uint32_t frame_free_count(void)
{
    return nfree;
}
