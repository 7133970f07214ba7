/* ELF32 executables given as multiboot modules (System V ABI, i386). */
#ifndef ELF_H
#define ELF_H
#include <stdint.h>

struct elf_hdr {
    uint8_t ident[16];
    uint16_t type, machine;
    uint32_t version, entry, phoff, shoff, flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf_phdr {
    uint32_t type, offset, vaddr, paddr, filesz, memsz, flags, align;
};

#define PT_LOAD 1
#define ELF_MAXPH 16


/* 0 if the image can be loaded as an app, else why not. */
const char *elf_check(const uint8_t *img, uint32_t size);
/* 0 if the executable segments are sealed, else the forbidden instruction
 * found first, with its address in *va. */
const char *elf_seal_check(const uint8_t *img, uint32_t *va);
#endif
