/* ELF validation: pure logic on the module's bytes (host unit-tested). */
#include "proc/elf.h"
#include "klos.h"

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
        if (ph[i].vaddr < APP_BASE)
            return "segment below the app region (0x00400000)";
        if (end > APP_LOAD_END)
            return end > KERNEL_BASE ? "segment reaches into the OS region (0xC0000000 and up)"
                                     : "segment above the app image area";
        if ((ph[i].vaddr & 0xFFF) != (ph[i].offset & 0xFFF))
            return "segment offset and address not congruent modulo the page size";
        for (int j = 0; j < i; j++)
            if (ph[j].type == PT_LOAD && ph[i].vaddr < (uint64_t)ph[j].vaddr + ph[j].memsz &&
                ph[j].vaddr < end)
                return "overlapping segments";
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
