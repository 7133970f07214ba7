/* 8259A PIC masks.  boot/ remapped the PICs to VEC_IRQ0 and masked every
 * line; the event core sends the EOIs. */
#include "os.h"
#include "drivers/io.h"

static void set_mask(int irq, int masked)
{
    uint16_t port = irq < 8 ? 0x21 : 0xA1;
    uint32_t io_saved = io_open(port, 1);
    uint8_t m = inb(port);
    m = masked ? m | (1 << (irq & 7)) : m & ~(1 << (irq & 7));
    outb(port, m);
    io_close(port, 1, io_saved);
    if (irq >= 8 && !masked)
        set_mask(2, 0);                 /* the cascade line */
}

void pic_unmask(int irq) { set_mask(irq, 0); }
void pic_mask(int irq)   { set_mask(irq, 1); }
