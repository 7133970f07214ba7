/* Multiboot v1 (the GRUB legacy spec, section 3.3). */
#ifndef MULTIBOOT_H
#define MULTIBOOT_H
#include <stdint.h>

#define MB_MAGIC        0x2BADB002
#define MBI_MEM         (1 << 0)
#define MBI_CMDLINE     (1 << 2)
#define MBI_MODS        (1 << 3)
#define MBI_MMAP        (1 << 6)
#define MBI_FB          (1 << 12)       /* framebuffer_* fields valid */

#define MB_FB_INDEXED   0               /* framebuffer_type */
#define MB_FB_RGB       1
#define MB_FB_EGA_TEXT  2               /* addr 0xB8000, width x height characters */

#define MB_MMAP_RAM     1               /* mmap type: available RAM */

struct mb_info {
    uint32_t flags, mem_lower, mem_upper, boot_device, cmdline;
    uint32_t mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr;
    uint32_t drives_length, drives_addr, config_table, boot_loader_name, apm_table;
    uint32_t vbe_control_info, vbe_mode_info;
    uint16_t vbe_mode, vbe_interface_seg, vbe_interface_off, vbe_interface_len;
    uint64_t fb_addr;                   /* flag bit 12: may lie above 4 GiB */
    uint32_t fb_pitch, fb_width, fb_height;
    uint8_t fb_bpp, fb_type;
    /* The spec's table puts the colour fields at 110; GRUB 2's own multiboot.h has them
     * in a union with a 32-bit palette address, aligned to 4: at 112.  GRUB boots KLOS. */
    uint8_t fb_pad[2];
    uint8_t fb_red_pos, fb_red_size, fb_green_pos, fb_green_size, fb_blue_pos, fb_blue_size;
} __attribute__((packed));

struct mb_module {
    uint32_t start, end, string, reserved;
};

struct mb_mmap {                /* 'size' does not count itself */
    uint32_t size;
    uint32_t addr_lo, addr_hi, len_lo, len_hi, type;
} __attribute__((packed));
#endif
