/* Ending a run: print KLOS-EXIT, then ask an emulator to stop (QEMU's
 * isa-debug-exit, Bochs's shutdown port).  On a real PC neither port does
 * anything and the OS simply stays here, with the results on the screen. */
#include "os.h"
#include "io/io.h"

void os_halt(int code)
{
    kprintf("KLOS-EXIT %d\n", code);
    serial_drain();
    uint32_t io_saved = io_open(QEMU_EXIT_PORT, 1);
    outb(QEMU_EXIT_PORT, code);
    io_close(QEMU_EXIT_PORT, 1, io_saved);
    io_saved = io_open(BOCHS_SHUTDOWN_PORT, 1);
    for (const char *s = "Shutdown"; *s; s++)
        outb(BOCHS_SHUTDOWN_PORT, *s);
    io_close(BOCHS_SHUTDOWN_PORT, 1, io_saved);
    for (;;)
        ;
}
