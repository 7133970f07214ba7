/* The I/O ports the OS keeps to itself.  Pure logic, in 64-bit arithmetic
 * so that no app-chosen first/count can wrap (host unit-tested). */
#include "klos.h"
#include "io/ports.h"

static const struct {
    uint32_t first, count;
    const char *owner;
} os_ports[] = {
    { 0x20, 2, "the master PIC (OS interrupt control)" },
    { 0xA0, 2, "the slave PIC (OS interrupt control)" },
    { 0x40, 4, "the PIT (the OS's timer)" },
    { 0x60, 5, "the PS/2 controller (the OS's keyboard; CPU reset)" },
    { 0x92, 1, "system control port A (A20, CPU reset)" },
    { 0x3D4, 2, "the VGA CRT controller (the OS's console)" },
    { 0x3F8, 8, "COM1 (the OS's console)" },
    { QEMU_EXIT_PORT, 4, "the emulator exit port (QEMU isa-debug-exit)" },
    { 0xCF8, 8, "PCI configuration (every device's setup)" },
    { BOCHS_SHUTDOWN_PORT, 1, "the emulator exit port (Bochs)" },
};

int port_range_valid(int64_t first, int64_t count)
{
    return first >= 0 && count >= 1 && first + count <= 65536;
}

const char *port_owner(int64_t first, int64_t count)
{
    for (unsigned i = 0; i < sizeof os_ports / sizeof os_ports[0]; i++)
        if (first < (int64_t)os_ports[i].first + os_ports[i].count &&
            (int64_t)os_ports[i].first < first + count)
            return os_ports[i].owner;
    return 0;
}
