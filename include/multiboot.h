/* Multiboot v1 (the GRUB legacy spec, section 3.3). */
#ifndef MULTIBOOT_H
#define MULTIBOOT_H
#include <stdint.h>

#define MB_MAGIC        0x2BADB002
#define MBI_MEM         (1 << 0)
#define MBI_CMDLINE     (1 << 2)
#define MBI_MODS        (1 << 3)
#define MBI_MMAP        (1 << 6)

struct mb_info {
    uint32_t flags, mem_lower, mem_upper, boot_device, cmdline;
    uint32_t mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr;
};

struct mb_module {
    uint32_t start, end, string, reserved;
};

struct mb_mmap {                /* 'size' does not count itself */
    uint32_t size;
    uint32_t addr_lo, addr_hi, len_lo, len_hi, type;
} __attribute__((packed));
#endif
