/* ELF validation: pure logic on the module's bytes (host unit-tested).
 * The sealed layout (include/klos.h): executable segments only in the app
 * part of the code region and never writable; everything else in the app
 * data region and never executable. */
#include "proc/elf.h"
#include "klos.h"
#include "proc/seal.h"

static const char *region_check(const struct elf_phdr *ph)
{
    uint64_t end = (uint64_t)ph->vaddr + ph->memsz;
    if (ph->vaddr < CODE_END) {
        if (ph->vaddr < APP_TEXT_BASE)
            return "segment below the app text region (0x01000000)";
        if (end > CODE_END)
            return "segment crosses the end of the code region (0x10000000)";
        if (ph->flags & 2)
            return "writable segment in the code region (below 0x10000000)";
        if (!(ph->flags & 1))
            return "data segment in the code region (app data goes at 0x80000000 and up)";
        return 0;
    }
    if (ph->vaddr < APP_DATA_BASE)
        return "segment in the OS data region (0x10000000-0x7FFFFFFF)";
    if (ph->flags & 1)
        return "executable segment in the data region (0x80000000 and up)";
    if (end > APP_LOAD_END)
        return "segment above the app image area (0xE0000000 and up)";
    return 0;
}

const char *elf_check(const uint8_t *img, uint32_t size)
{
    const struct elf_hdr *h = (const void *)img;
    if (size < sizeof *h)
        return "truncated: shorter than an ELF header";
    if (img[0] != 0x7F || img[1] != 'E' || img[2] != 'L' || img[3] != 'F')
        return "not an ELF file (bad magic)";
    if (img[4] != 1 || img[5] != 1)
        return "not a 32-bit little-endian ELF";
    if (h->type != 2)
        return "not an executable (ET_EXEC)";
    if (h->machine != 3)
        return "wrong machine: not i386";
    if (h->phentsize != sizeof(struct elf_phdr) || h->phnum == 0 || h->phnum > ELF_MAXPH)
        return "bad program header table";
    if (h->phoff > size || (uint64_t)h->phoff + (uint64_t)h->phnum * sizeof(struct elf_phdr) > size)
        return "truncated: program headers past the end of the file";
    int loads = 0, entry_ok = 0;
    const struct elf_phdr *ph = (const void *)(img + h->phoff);
    for (int i = 0; i < h->phnum; i++) {
        if (ph[i].type != PT_LOAD)
            continue;
        uint64_t end = (uint64_t)ph[i].vaddr + ph[i].memsz;
        if (ph[i].filesz > ph[i].memsz)
            return "segment file size larger than its memory size";
        if ((uint64_t)ph[i].offset + ph[i].filesz > size)
            return "truncated: a segment runs past the end of the file";
        const char *why = region_check(&ph[i]);
        if (why)
            return why;
        if ((ph[i].vaddr & 0xFFF) != (ph[i].offset & 0xFFF))
            return "segment offset and address not congruent modulo the page size";
        for (int j = 0; j < i; j++) {
            if (ph[j].type != PT_LOAD)
                continue;
            if (ph[i].vaddr < (uint64_t)ph[j].vaddr + ph[j].memsz && ph[j].vaddr < end)
                return "overlapping segments";
            /* the seal scan sees each one alone: no page may join two */
            if ((ph[i].flags & 1) && (ph[j].flags & 1) &&
                (ph[i].vaddr & ~0xFFFu) <= (((uint64_t)ph[j].vaddr + ph[j].memsz + 4095) & ~0xFFFull) &&
                (ph[j].vaddr & ~0xFFFu) <= ((end + 4095) & ~0xFFFull))
                return "executable segments share or touch a page";
        }
        if (h->entry >= ph[i].vaddr && h->entry < end && (ph[i].flags & 1))
            entry_ok = 1;
        loads++;
    }
    if (!loads)
        return "no loadable segment";
    if (!entry_ok)
        return "entry point outside every executable segment";
    return 0;
}

/* 0 if no executable segment holds LAR, LSL, VERR or VERW at any byte
 * offset; else what, and *va where.  Call after elf_check.  A segment's
 * bytes past its file size, and the rest of its pages, are zero. */
const char *elf_seal_check(const uint8_t *img, uint32_t *va)
{
    const struct elf_hdr *h = (const void *)img;
    const struct elf_phdr *ph = (const void *)(img + h->phoff);
    for (int i = 0; i < h->phnum; i++) {
        if (ph[i].type != PT_LOAD || !(ph[i].flags & 1))
            continue;
        const char *what;
        int64_t at = seal_find(img + ph[i].offset, ph[i].filesz, &what);
        if (at >= 0) {
            *va = ph[i].vaddr + (uint32_t)at;
            return what;
        }
    }
    return 0;
}
