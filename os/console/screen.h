/* The screen half of the console: VGA text mode or a linear framebuffer. */
#ifndef SCREEN_H
#define SCREEN_H
#include <stdint.h>

struct mb_info;
void screen_init(struct mb_info *mbi);  /* maps it (before any process exists) and clears it */
void screen_putc(char c);
void screen_report(void);               /* says on the console what the screen is */

void vga_init(uint16_t *buf, int cols, int rows);
void vga_putc(char c);

struct fbinfo {
    uint8_t *base;                      /* in the MMIO window */
    uint32_t pitch, width, height, bpp;
    uint32_t fg, bg;                    /* pixel values */
};
void fb_init(const struct fbinfo *fb);
void fb_putc(char c);
int fb_cols(void), fb_rows(void);
#endif
