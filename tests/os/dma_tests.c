/* test=portscan: ioperm's policy (ioperm_policy, what sys_ioperm
 * applies) asked for every one of the 65,536 ports, one at a time, over the
 * live PCI table -- and each answer checked against configuration space read
 * afresh here: each function's BARs sized again, its bus-master-enable bit
 * probed again.  None granted may decode to a function that can master the
 * bus or to the 8237; none refused may be a port nothing owns. */
#include "os.h"
#include "drivers/pci.h"
#include "io/ports.h"

const char *ioperm_policy(int64_t first, int64_t count, char *why, int cap);   /* os/svc/sys_io.c */

#define MAXR (PCI_MAX * 8)
static struct { uint32_t first, end; } master_io[MAXR];
static int nmaster;

/* The I/O ranges of f as its registers say now, if it can master the bus. */
static void reread(const struct pci_fn *f)
{
    uint16_t cmd = pci_read(f, 0x04) & 0xFFFF;
    pci_write(f, 0x04, (cmd | 0x4) & ~0x3);             /* decode off, the enable bit set */
    int can = (pci_read(f, 0x04) & 0x4) != 0;
    int nbars = f->hdr == 0 ? 6 : f->hdr == 1 ? 2 : 0;
    for (int b = 0; can && b < nbars; b++) {
        uint32_t orig = pci_read(f, 0x10 + 4 * b);
        pci_write(f, 0x10 + 4 * b, 0xFFFFFFFF);
        uint32_t m = pci_read(f, 0x10 + 4 * b);
        pci_write(f, 0x10 + 4 * b, orig);
        if (!(orig & 1)) {
            b += ((orig >> 1) & 3) == 2;                /* a 64-bit memory BAR */
            continue;
        }
        uint32_t size = ~((m & ~3u) | 0xFFFF0000u) + 1, base = orig & ~3u;
        if (base && nmaster < MAXR) {
            master_io[nmaster].first = base;
            master_io[nmaster++].end = base + size;
        }
    }
    if (can && f->cls == 1 && f->sub == 1) {            /* IDE channels in compatibility mode */
        static const uint32_t legacy[2][2][2] = { { { 0x1F0, 0x1F8 }, { 0x3F6, 0x3F7 } },
                                                  { { 0x170, 0x178 }, { 0x376, 0x377 } } };
        for (int c = 0; c < 2; c++)
            if (!(f->progif & (1 << (2 * c))))
                for (int k = 0; k < 2 && nmaster < MAXR; k++) {
                    master_io[nmaster].first = legacy[c][k][0];
                    master_io[nmaster++].end = legacy[c][k][1];
                }
    }
    pci_write(f, 0x04, cmd);                            /* as it was (status bits: write 0) */
}

int t_portscan(void)
{
    for (int i = 0; i < pci_nfns; i++)
        reread(&pci_fns[i]);
    int granted = 0, bad = 0, wrongly_refused = 0, masters = 0;
    char why[200];
    for (int p = 0; p < 65536; p++) {
        int master = 0;
        for (int k = 0; k < nmaster; k++)
            master |= (uint32_t)p >= master_io[k].first && (uint32_t)p < master_io[k].end;
        int isa_dma = p < 0x20 || (p >= 0x80 && p < 0xA0) || (p >= 0xC0 && p < 0xE0);
        int g = ioperm_policy(p, 1, why, sizeof why) == 0;
        masters += master;
        granted += g;
        if (g && (master || isa_dma) && bad++ < 4)
            kprintf("portscan: port %x granted, but it decodes to %s\n", p,
                    master ? "a bus master" : "the 8237");
        if (!g && !master && !isa_dma && !port_owner(p, 1) && wrongly_refused++ < 4)
            kprintf("portscan: port %x refused (%s), though nothing owns it\n", p, why);
    }
    kprintf("portscan: 65536 ports, %d granted; %d granted that decode to a bus master (%d such "
            "ports) or the 8237; %d refused that nothing owns\n", granted, bad, masters,
            wrongly_refused);
    return !bad && !wrongly_refused && granted > 60000 && masters > 0;
}
