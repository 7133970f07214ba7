/* a_ioperm: a driver app (named in drivers=) asks
 * ioperm for ranges whose 32-bit end wraps (port 0x7FFFFFFF: the OS indexed its
 * I/O-bitmap table out of bounds and wrote through the result) and for the
 * ports the OS itself drives or that control the machine (PIC, PIT, PS/2,
 * COM1, VGA, the emulator exits, PCI configuration, port 0x92): a driver that
 * masks the PIC stops all preemption.  Every one must be refused; none of
 * those ports may then be open to it (IN raises #GP, also after the OS's
 * console driver ran in its context); a port nobody owns (CMOS, 0x70-0x71)
 * is still granted.
 * Prints ATTACK name=ioperm ... result=contained | BREACH. */
#include "attack.h"
#include "bystander.h"

static const struct { int port, count; } bad[] = {
    { 0x7FFFFFFF, 2 }, { 0x7FFFFFFF, 0x7FFFFFFF }, { 1, 0x7FFFFFFF }, { -1, 2 },
    { 0xFFFF, 2 }, { -0x7FFFFFFF - 1, 0x7FFFFFFF }, { 0x10000, 1 }, { 0x70, 0 }, { 0x70, -5 },
    { 0x20, 2 }, { 0x21, 1 }, { 0xA1, 1 }, { 0x40, 4 }, { 0x43, 1 }, { 0x60, 1 }, { 0x64, 1 },
    { 0x61, 1 }, { 0x92, 1 }, { 0x3D4, 2 }, { 0x3F8, 8 }, { 0x3FF, 1 }, { 0x3F0, 16 },
    { QEMU_EXIT_PORT, 1 }, { BOCHS_SHUTDOWN_PORT, 1 }, { 0xCF8, 4 }, { 0xCFC, 4 }, { 0, 65536 },
};
static const int os_ports[] = { 0x21, 0xA1, 0x40, 0x60, 0x64, 0x92, 0x3D5, 0x3F8, 0x3FD,
                                QEMU_EXIT_PORT, BOCHS_SHUTDOWN_PORT, 0xCF8 };

void in_port(uint32_t port);
asm(".text\n.globl in_port\nin_port:\n  movl 4(%esp), %edx\n  inb %dx, %al\n  ret\n");

int main(void)
{
    uint32_t before = byst_join();
    probe_init();
    int granted = 0, open = 0;
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int r = klos_ioperm(bad[i].port, bad[i].count);
        if (r >= 0) {
            granted++;
            printf("ioperm: ioperm(%x, %d) = %d: WRONG\n", bad[i].port, bad[i].count, r);
        }
    }
    for (int round = 0; round < 2; round++) {   /* the second after console output */
        for (unsigned i = 0; i < sizeof os_ports / sizeof os_ports[0]; i++)
            if ((probe_call(in_port, os_ports[i]) & 0xFF) != 13) {
                open++;
                printf("ioperm: port %x open to a driver app: WRONG\n", os_ports[i]);
            }
        printf("ioperm: round %d done\n", round);
    }
    int cmos = klos_ioperm(0x70, 2);
    int cmos_open = cmos == 0 && probe_call(in_port, 0x71) == 0;
    uint32_t after = byst_free_frames();
    int ok = !granted && !open && cmos_open && before == after;
    printf("ATTACK name=ioperm asked=%u granted=%d os_ports_open=%d cmos=%d/%s frames_before=%u "
           "frames_after=%u result=%s\n", (unsigned)(sizeof bad / sizeof bad[0]), granted, open,
           cmos, cmos_open ? "open" : "CLOSED", before, after, ok ? "contained" : "BREACH");
    byst_leave();
    return !ok;
}
