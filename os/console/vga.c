/* VGA text mode (normally 80x25 at 0xB8000, mapped in the MMIO window by
 * screen.c) at ring 3. */
#include "os.h"
#include "io/io.h"
#include "console/screen.h"

#define ATTR 0x0700

static uint16_t *screen;
static int cols, rows, row, col;

static void cursor(void)
{
    uint16_t pos = row * cols + col;
    uint32_t io_saved = io_open(0x3D4, 2);
    outb(0x3D4, 14);
    outb(0x3D5, pos >> 8);
    outb(0x3D4, 15);
    outb(0x3D5, pos & 0xFF);
    io_close(0x3D4, 2, io_saved);
}

void vga_init(uint16_t *buf, int ncols, int nrows)
{
    screen = buf;
    cols = ncols;
    rows = nrows;
    for (int i = 0; i < cols * rows; i++)
        screen[i] = ATTR | ' ';
    row = col = 0;
    cursor();
}

void vga_putc(char c)
{
    if (c == '\n') {
        col = 0;
        row++;
    } else if (c == '\r') {
        col = 0;
    } else if (c == '\b') {
        if (col)
            screen[row * cols + --col] = ATTR | ' ';
    } else {
        screen[row * cols + col++] = ATTR | (uint8_t)c;
        if (col == cols) {
            col = 0;
            row++;
        }
    }
    if (row == rows) {
        memmove(screen, screen + cols, (rows - 1) * cols * 2);
        for (int i = 0; i < cols; i++)
            screen[(rows - 1) * cols + i] = ATTR | ' ';
        row = rows - 1;
    }
    if (c == '\n')
        cursor();
}
