/* a_mmio: read the screen and the local APIC -- device memory the OS maps for
 * itself in its MMIO window (include/klos.h: MMIO_SCREEN_VA, MMIO_APIC_VA) --
 * through every selector an app holds: DS, ES and SS (DSAPP), CS (CSOS),
 * FS with DSAPP, with the null selector and with CSOS loaded into it.  Both at
 * the OS's virtual addresses and at the devices' physical addresses used as
 * linear ones (VGA text 0xB8000 and 0xA0000, the local APIC 0xFEE00000, the
 * I/O APIC 0xFEC00000, the framebuffers of Bochs 0xE0000000, QEMU's std VGA
 * 0xFD000000, OVMF 0xC0000000).  Every read must fault: the window lies in
 * the OS data region, below DSAPP's expand-down limit and above CSOS's, and
 * nothing maps the physical pages into the app's part of the address space.
 * QEMU TCG checks no segment limits: run it under Bochs.  With dsapp=4g (the
 * test kernel's control: DSAPP flat) the OS's mappings are read and the app
 * says REACHED.
 * Prints ATTACK name=mmio_read ... for each read that returned, then
 * ATTACK name=mmio reads=N faulted=N reached=N result=contained|REACHED. */
#include "attack.h"

static const uint32_t addr[] = {
    MMIO_SCREEN_VA, MMIO_APIC_VA + 0x30, MMIO_APIC_VA + 0x20,
    0xB8000, 0xA0000, 0xFEE00030, 0xFEC00000, 0xE0000000, 0xFD000000, 0xC0000000,
};
#define NADDR (int)(sizeof addr / sizeof addr[0])

void rd_cs(uint32_t a);
void rd_ss(uint32_t a);
void rd_es(uint32_t a);
asm(".text\n"
    "rd_cs:\n  movl 4(%esp), %edx\n  movl %cs:(%edx), %eax\n  movl %eax, rd_val\n  ret\n"
    "rd_ss:\n  movl 4(%esp), %edx\n  movl %ss:(%edx), %eax\n  movl %eax, rd_val\n  ret\n"
    "rd_es:\n  movl 4(%esp), %edx\n  movl %es:(%edx), %eax\n  movl %eax, rd_val\n  ret\n");

int main(void)
{
    static const char *const how[] = { "ds", "es", "ss", "cs", "fs=dsapp", "fs=null", "fs=csos" };
    int reads = 0, faulted = 0, reached = 0;
    probe_init();
    for (int i = 0; i < NADDR; i++)
        for (int h = 0; h < 7; h++) {
            uint32_t a = addr[i], v = 0;
            int r;
            switch (h) {
            case 0: r = probe_call(rd_ds, a); v = rd_val; break;
            case 1: r = probe_call(rd_es, a); v = rd_val; break;
            case 2: r = probe_call(rd_ss, a); v = rd_val; break;
            case 3: r = probe_call(rd_cs, a); v = rd_val; break;
            case 4: r = rd32(SEL_DSAPP, a, &v); break;
            case 5: r = rd32(0, a, &v); break;
            default: r = rd32(SEL_CSOS, a, &v); break;
            }
            reads++;
            if (r & PROBE_FAULT) {
                faulted++;
            } else {
                reached++;
                printf("ATTACK name=mmio_read addr=%08x via=%s value=%08x result=REACHED\n", a,
                       how[h], v);
            }
        }
    printf("ATTACK name=mmio reads=%d faulted=%d reached=%d gp=%u pf=%u result=%s\n", reads,
           faulted, reached, probe_nfault[13], probe_nfault[14], reached ? "REACHED" : "contained");
    return 0;
}
