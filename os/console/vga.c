/* VGA text mode (80x25 at 0xB8000, reached through the direct map) at ring 3. */
#include "os.h"
#include "io/io.h"

#define COLS 80
#define ROWS 25
#define ATTR 0x0700

static uint16_t *const screen = (uint16_t *)(KERNEL_BASE + 0xB8000);
static int row, col;

static void cursor(void)
{
    uint16_t pos = row * COLS + col;
    uint32_t io_saved = io_open(0x3D4, 2);
    outb(0x3D4, 14);
    outb(0x3D5, pos >> 8);
    outb(0x3D4, 15);
    outb(0x3D5, pos & 0xFF);
    io_close(0x3D4, 2, io_saved);
}

void vga_init(void)
{
    for (int i = 0; i < COLS * ROWS; i++)
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
            screen[row * COLS + --col] = ATTR | ' ';
    } else {
        screen[row * COLS + col++] = ATTR | (uint8_t)c;
        if (col == COLS) {
            col = 0;
            row++;
        }
    }
    if (row == ROWS) {
        memmove(screen, screen + COLS, (ROWS - 1) * COLS * 2);
        for (int i = 0; i < COLS; i++)
            screen[(ROWS - 1) * COLS + i] = ATTR | ' ';
        row = ROWS - 1;
    }
    if (c == '\n')
        cursor();
}
