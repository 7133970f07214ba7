/* The ISA DMA controllers (two 8237s): with one programmed, any ISA device
 * on a DMA channel (the floppy controller, a Sound Blaster) reads or writes
 * the first 16 MiB, where the OS image and the GDT lie.  The OS uses none of
 * them: every channel is masked at boot, and their ports are the OS's
 * (ports.c), so no driver app can unmask one. */
#include "os.h"
#include "io/io.h"

void isadma_init(void)
{
    uint32_t saved = io_open(0x00, 32);
    outb(0x0F, 0x0F);                   /* channels 0-3: write all mask bits */
    io_close(0x00, 32, saved);
    saved = io_open(0xC0, 32);
    outb(0xDE, 0x0F);                   /* channels 4-7 (4 cascades 0-3) */
    io_close(0xC0, 32, saved);
}
