/* a_dmaports: the port policy is not "refuse everything".  A driver
 * app (drivers=a_dmaports) reads the pci service's listing and asks for
 *   - every I/O BAR of every function marked ports=refused (one that can master
 *     the bus): each refused, naming the device;
 *   - the 8237 (controllers and page registers) and the OS's IDE channels: refused;
 *   - legacy ranges no PCI function decodes -- LPT1 0x378-0x37A, COM2 0x2F8-0x2FF,
 *     the floppy controller 0x3F2-0x3F5 -- each granted, and an IN from it runs.
 * The pci service itself is called with bad pointers and lengths first.
 * Prints ATTACK name=dmaports ... result=contained | BREACH. */
#include "dmaleak.h"

static const struct { int port, count; } os_dma[] = {
    { 0x00, 0x20 }, { 0x0A, 1 }, { 0x80, 0x20 }, { 0x81, 1 }, { 0x87, 1 }, { 0xC0, 0x20 },
    { 0xD4, 1 }, { 0x1F0, 8 }, { 0x3F6, 1 }, { 0x170, 8 }, { 0x376, 1 },
};
static const struct { int port, count; } safe[] = { { 0x378, 3 }, { 0x2F8, 8 }, { 0x3F2, 4 } };

int main(void)
{
    byst_join();
    probe_init();
    char small[4];
    int e1 = KLOS_SVC(pci, 0, 100), e2 = KLOS_SVC(pci, (char *)0x10000000, 100),
        e3 = KLOS_SVC(pci, small, 0), e4 = KLOS_SVC(pci, (char *)0xFFFFFFF0, 100),
        e5 = KLOS_SVC(pci, small, 1);
    int badptr_ok = e1 == -EFAULT && e2 == -EFAULT && e3 == -EFAULT && e4 == -EFAULT &&
                    e5 == 0 && small[0] == 0;
    printf("dmaports: pci(0) %d, pci(OS memory) %d, pci(len 0) %d, pci(wrapping) %d, "
           "pci(len 1) %d: %s\n", e1, e2, e3, e4, e5, badptr_ok ? "ok" : "WRONG");

    int n = pci_load(), masters = 0, refused = 0, granted_bad = 0;
    const char *p = pci_text;
    while (n > 0 && *p) {
        char line[256];
        int l = 0;
        while (p[l] && p[l] != '\n' && l < (int)sizeof line - 1) {
            line[l] = p[l];
            l++;
        }
        line[l] = 0;
        p += l + (p[l] == '\n');
        if (!strstr(line, "ports=refused"))
            continue;
        for (int b = 0; b < 6; b++) {
            uint32_t base, size;
            if (!pci_iobar(line, b, &base, &size) || !base)
                continue;
            masters++;
            int r = KLOS_SVC(ioperm, base, size), r1 = KLOS_SVC(ioperm, base + size - 1, 1);
            if (r == -EBUSY && r1 == -EBUSY)
                refused++;
            else
                granted_bad++;
            char bdf[8];
            pci_bdf(line, bdf);
            printf("dmaports: %s bar%d %x-%x (a bus master): %d, last port %d\n", bdf, b,
                   base, base + size - 1, r, r1);
        }
    }
    int dma_refused = 0;
    for (unsigned i = 0; i < sizeof os_dma / sizeof os_dma[0]; i++)
        dma_refused += KLOS_SVC(ioperm, os_dma[i].port, os_dma[i].count) == -EBUSY;
    int safe_ok = 0;
    for (unsigned i = 0; i < sizeof safe / sizeof safe[0]; i++) {
        int r = KLOS_SVC(ioperm, safe[i].port, safe[i].count);
        const char *st = port_state(safe[i].port);
        printf("dmaports: %x-%x: %d, IN %s\n", safe[i].port, safe[i].port + safe[i].count - 1, r,
               st);
        safe_ok += r == 0 && !strcmp(st, "open");
    }
    int ok = badptr_ok && masters > 0 && refused == masters && !granted_bad &&
             dma_refused == (int)(sizeof os_dma / sizeof os_dma[0]) &&
             safe_ok == (int)(sizeof safe / sizeof safe[0]);
    printf("ATTACK name=dmaports master_bars=%d refused=%d dma_and_ide_refused=%d/%u "
           "safe_granted=%d/%u result=%s\n", masters, refused, dma_refused,
           (unsigned)(sizeof os_dma / sizeof os_dma[0]), safe_ok,
           (unsigned)(sizeof safe / sizeof safe[0]), ok ? "contained" : "BREACH");
    byst_leave();
    return !ok;
}
