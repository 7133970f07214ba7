/* COM1 at ring 3, polled: 115200 8N1 (LCR=3), FIFO on. */
#include "os.h"
#include "io/io.h"

#define COM1 0x3F8

static int present;

void serial_init(void)
{
    uint32_t io_saved = io_open(COM1, 8);
    outb(COM1 + 1, 0x00);               /* no interrupts */
    outb(COM1 + 3, 0x80);               /* DLAB */
    outb(COM1 + 0, 0x01);               /* 115200 */
    outb(COM1 + 1, 0x00);
    outb(COM1 + 3, 0x03);               /* 8N1 */
    outb(COM1 + 2, 0xC7);               /* FIFO on, cleared */
    outb(COM1 + 4, 0x0B);
    present = inb(COM1 + 5) != 0xFF;    /* no UART: the bus floats high */
    io_close(COM1, 8, io_saved);
}

void serial_putc(char c)
{
    if (!present)
        return;
    uint32_t io_saved = io_open(COM1, 8);
    if (c == '\n') {
        while (!(inb(COM1 + 5) & 0x20))
            ;
        outb(COM1, '\r');
    }
    while (!(inb(COM1 + 5) & 0x20))     /* THR empty */
        ;
    outb(COM1, c);
    io_close(COM1, 8, io_saved);
}

/* Wait until the transmitter is empty (LSR.TEMT): before the emulator is
 * told to exit, or the last characters are lost. */
void serial_drain(void)
{
    if (!present)
        return;
    uint32_t io_saved = io_open(COM1, 8);
    while (!(inb(COM1 + 5) & 0x40))
        ;
    io_close(COM1, 8, io_saved);
}
