/* 8254 PIT channel 0, mode 2 (rate generator), driving IRQ0. */
#include "os.h"
#include "io/io.h"

void pit_init(int hz)
{
    uint32_t div = 1193182 / hz;
    uint32_t io_saved = io_open(0x40, 4);
    outb(0x43, 0x34);
    outb(0x40, div & 0xFF);
    outb(0x40, div >> 8);
    io_close(0x40, 4, io_saved);
}
