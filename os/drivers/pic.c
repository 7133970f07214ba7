/* 8259A PIC masks.  boot/ remapped the PICs to VEC_IRQ0 and masked every
 * line; the drivers unmask what they handle.  The EOIs are the delivery's
 * (include/pic_eoi.inc): the event core's, or the handler task's. */
#include "os.h"
#include "io/io.h"

void pic_unmask(int irq)
{
    uint16_t port = irq < 8 ? 0x21 : 0xA1;
    uint32_t io_saved = io_open(port, 1);
    outb(port, inb(port) & ~(1 << (irq & 7)));
    io_close(port, 1, io_saved);
    if (irq >= 8)
        pic_unmask(2);                  /* the cascade line */
}

void pic_mask(int irq)
{
    uint16_t port = irq < 8 ? 0x21 : 0xA1;
    uint32_t io_saved = io_open(port, 1);
    outb(port, inb(port) | 1 << (irq & 7));
    io_close(port, 1, io_saved);
}
