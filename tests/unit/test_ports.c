// The port policy and its range arithmetic (os/io/ports.c).
// SOURCES: os/io/ports.c
#include <stdint.h>
#include "check.h"
#include "klos.h"
#include "io/ports.h"

int main(void)
{
    CHECK("ports.valid-one", port_range_valid(0x70, 2));
    CHECK("ports.valid-last", port_range_valid(65535, 1));
    CHECK("ports.end-past-64k", !port_range_valid(65535, 2));
    CHECK("ports.zero-count", !port_range_valid(0x70, 0));
    CHECK("ports.negative-port", !port_range_valid(-1, 2));
    CHECK("ports.negative-count", !port_range_valid(0x70, -1));
    /* the 32-bit sums that wrap: 0x7FFFFFFF + 2, INT_MAX counts, INT_MIN */
    CHECK("ports.wrap-port", !port_range_valid(0x7FFFFFFF, 2));
    CHECK("ports.wrap-count", !port_range_valid(1, 0x7FFFFFFF));
    CHECK("ports.wrap-both", !port_range_valid(0x7FFFFFFF, 0x7FFFFFFF));
    CHECK("ports.int-min", !port_range_valid(-0x7FFFFFFF - 1, 0x7FFFFFFF));
    CHECK("ports.whole-space", port_range_valid(0, 65536));
    /* what the OS keeps */
    CHECK("ports.pic", port_owner(0x21, 1) != 0 && port_owner(0xA0, 1) != 0);
    CHECK("ports.pit", port_owner(0x43, 1) != 0);
    CHECK("ports.kbd", port_owner(0x60, 1) != 0 && port_owner(0x64, 1) != 0);
    CHECK("ports.com1", port_owner(0x3F8, 1) != 0 && port_owner(0x3FF, 1) != 0);
    CHECK("ports.exit", port_owner(QEMU_EXIT_PORT, 1) != 0 && port_owner(BOCHS_SHUTDOWN_PORT, 1) != 0);
    CHECK("ports.pci", port_owner(0xCF8, 4) != 0 && port_owner(0xCFC, 4) != 0);
    CHECK("ports.span-into", port_owner(0x3F0, 9) != 0);           /* 0x3F0..0x3F8 */
    CHECK("ports.span-over", port_owner(0, 65536) != 0);
    CHECK("ports.cmos-free", port_owner(0x70, 2) == 0);
    CHECK("ports.neighbours-free", port_owner(0x3F7, 1) == 0 && port_owner(0x400, 16) == 0 &&
                                   port_owner(0x22, 0x1E) == 0);
    CHECK("ports.high-free", port_owner(0xC000, 0x100) == 0);
    return check_exit();
}
