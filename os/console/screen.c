/* Which screen the console draws on, from what the boot loader handed over
 * (multiboot info flag bit 12): EGA text (type 2) on a BIOS PC, where
 * grub.cfg has GRUB keep the text mode, or a linear RGB framebuffer (type 1)
 * on a UEFI PC, which has no text mode (0xB8000 reads 0xFF there).  Without
 * flag bit 12 (a loader that says nothing) it is VGA text at 0xB8000, as on
 * every BIOS PC.  Either is device memory: mapped in the MMIO window. */
#include "os.h"
#include "multiboot.h"
#include "mm/mmio.h"
#include "console/screen.h"

static enum { S_NONE, S_TEXT, S_FB } kind;
static uint64_t phys;
static uint32_t width, height, bpp;
static const char *why;

/* v (0..255) scaled to a colour field of size bits at pos */
static uint32_t channel(uint32_t v, uint8_t pos, uint8_t size)
{
    if (!size || size > 16 || pos >= 32)
        return 0;
    return (v * ((1u << size) - 1) / 255) << pos;
}

/* Map and clear the screen; 0, or why there is none. */
static const char *setup(struct mb_info *mbi)
{
    uint32_t type = MB_FB_EGA_TEXT, pitch = 160;
    phys = 0xB8000;
    width = 80;
    height = 25;
    bpp = 16;
    if (mbi->flags & MBI_FB) {
        phys = mbi->fb_addr;
        pitch = mbi->fb_pitch;
        width = mbi->fb_width;
        height = mbi->fb_height;
        bpp = mbi->fb_bpp;
        type = mbi->fb_type;
    }
    if ((uint64_t)pitch * height > MMIO_END - MMIO_SCREEN_VA)
        return "a screen larger than the OS's MMIO window";
    if (type == MB_FB_EGA_TEXT) {
        volatile uint16_t *buf = mmio_map(phys, pitch * height, MMIO_SCREEN_VA, 0);
        if (!buf || width < 1 || height < 1 || pitch != width * 2)
            return "a text mode the console cannot use";
        buf[0] = 0x075A;                /* no text mode (UEFI): the memory keeps nothing */
        if (buf[0] != 0x075A)
            return "no framebuffer, and there is no VGA text memory at 0xB8000";
        vga_init((uint16_t *)buf, width, height);
        kind = S_TEXT;
        return 0;
    }
    if (type != MB_FB_RGB)
        return "an indexed-colour framebuffer (the console draws RGB only)";
    if (bpp != 15 && bpp != 16 && bpp != 24 && bpp != 32)
        return "a framebuffer with a pixel size the console does not draw";
    if (width < 8 || height < 16 || pitch < width * ((bpp + 7) / 8))
        return "a framebuffer too small for one character";
    struct fbinfo fb = { 0 };
    if (!(fb.base = mmio_map(phys, pitch * height, MMIO_SCREEN_VA, 0)))
        return "a framebuffer above 4 GiB (no PAE here)";
    fb.pitch = pitch;
    fb.width = width;
    fb.height = height;
    fb.bpp = bpp;
    fb.fg = channel(0xAA, mbi->fb_red_pos, mbi->fb_red_size) |
            channel(0xAA, mbi->fb_green_pos, mbi->fb_green_size) |
            channel(0xAA, mbi->fb_blue_pos, mbi->fb_blue_size);
    fb.bg = 0;
    fb_init(&fb);
    kind = S_FB;
    return 0;
}

void screen_init(struct mb_info *mbi)
{
    why = setup(mbi);
}

void screen_putc(char c)
{
    if (kind == S_TEXT)
        vga_putc(c);
    else if (kind == S_FB)
        fb_putc(c);
}

void screen_report(void)
{
    if (kind == S_TEXT)
        kprintf("KLOS: screen: VGA text mode, %ux%u characters\n", width, height);
    else if (kind == S_FB)
        kprintf("KLOS: screen: %ux%u framebuffer, %u bits per pixel, at %x: %dx%d characters of "
                "8x16\n", width, height, bpp, (uint32_t)phys, fb_cols(), fb_rows());
    else
        kprintf("KLOS: screen: none: the boot loader gave %s; output goes to COM1 only\n", why);
}
