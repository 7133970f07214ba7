/* The port policy: which I/O ports a driver app may be given (sys_ioperm).
 * Pure logic over the live PCI table (passed in), in 64-bit arithmetic so
 * that no app-chosen first/count can wrap (host unit-tested).
 *
 * Refused: (i) the ports the OS drives or that control the whole machine,
 * (ii) every port a PCI function that can master the bus decodes (its I/O
 * BARs, and the fixed ranges of an IDE function in compatibility mode).  A
 * bus master writes any physical frame -- a Pentium has no IOMMU, and
 * neither segments nor paging apply to a device -- so whoever programs one
 * owns the machine.  "Can master" is the bus-master-enable bit being able to
 * read 1: the OS keeps it off for every function it does not drive, but a
 * device that ignores the bit (errata; QEMU's legacy virtio sets it itself
 * when the driver writes status 3) or that has a window into its own
 * configuration would undo that, so the rule does not rest on the bit being
 * off.  The ISA DMA controller is (i): with it any ISA device (the floppy)
 * writes the first 16 MiB. */
#include "klos.h"
#include "fmt.h"
#include "io/ports.h"
#include "io/pcifn.h"

static const struct {
    uint32_t first, count;
    const char *owner;
    int dma;            /* an issue-18 entry: dropped with the BAR rule by dma=nobar */
} os_ports[] = {
    { 0x20, 2, "the master PIC (OS interrupt control)", 0 },
    { 0xA0, 2, "the slave PIC (OS interrupt control)", 0 },
    { 0x40, 4, "the PIT (the OS's timer)", 0 },
    { 0x60, 5, "the PS/2 controller (the OS's keyboard; CPU reset)", 0 },
    { 0x92, 1, "system control port A (A20, CPU reset)", 0 },
    { 0x3D4, 2, "the VGA CRT controller (the OS's console)", 0 },
    { 0x3F8, 8, "COM1 (the OS's console)", 0 },
    { QEMU_EXIT_PORT, 4, "the emulator exit port (QEMU isa-debug-exit)", 0 },
    { 0xCF8, 8, "PCI configuration (every device's setup)", 0 },
    { BOCHS_SHUTDOWN_PORT, 1, "the emulator exit port (Bochs)", 0 },
    { 0x00, 0x20, "the ISA DMA controller (8237, channels 0-3: DMA into the first 16 MiB)", 1 },
    { 0x80, 0x20, "the ISA DMA page registers (8237: DMA into the first 16 MiB)", 1 },
    { 0xC0, 0x20, "the ISA DMA controller (8237, channels 4-7: DMA into the first 16 MiB)", 1 },
    { 0x1F0, 8, "the primary IDE channel (the OS's ATA driver)", 1 },
    { 0x3F6, 1, "the primary IDE control register (the OS's ATA driver)", 1 },
    { 0x170, 8, "the secondary IDE channel (the OS's ATA driver)", 1 },
    { 0x376, 1, "the secondary IDE control register (the OS's ATA driver)", 1 },
};

int port_range_valid(int64_t first, int64_t count)
{
    return first >= 0 && count >= 1 && first + count <= 65536;
}

static int overlap(int64_t first, int64_t count, int64_t f2, int64_t c2)
{
    return first < f2 + c2 && f2 < first + count;
}

const char *port_owner(int64_t first, int64_t count)
{
    for (unsigned i = 0; i < sizeof os_ports / sizeof os_ports[0]; i++)
        if (overlap(first, count, os_ports[i].first, os_ports[i].count))
            return os_ports[i].owner;
    return 0;
}

/* IDE in compatibility mode (PCI IDE Controller Specification 1.0, §2): a
 * channel whose prog-if bit (0 primary, 2 secondary) is 0 decodes the ISA
 * ports, whatever its BARs say. */
static int ide_legacy(const struct pci_fn *f, struct pci_range *out)
{
    static const struct pci_range chan[2][2] = { { { 0x1F0, 8 }, { 0x3F6, 1 } },
                                                  { { 0x170, 8 }, { 0x376, 1 } } };
    int n = 0;
    if (f->cls != 0x01 || f->sub != 0x01)
        return 0;
    for (int c = 0; c < 2; c++)
        if (!(f->progif & (1 << (2 * c)))) {
            out[n++] = chan[c][0];
            out[n++] = chan[c][1];
        }
    return n;
}

int pci_io_ranges(const struct pci_fn *f, struct pci_range *out)
{
    int n = 0;
    for (int b = 0; b < PCI_NBAR; b++) {
        const struct pci_bar *r = &f->bar[b];
        /* base 0: not assigned, decodes nothing; a size past 64 KiB is no I/O BAR */
        if (r->io && r->size && r->base && r->base < 65536 && r->size <= 65536) {
            uint32_t end = r->base + r->size;
            out[n].first = r->base;
            out[n].count = end > 65536 ? 65536 - r->base : r->size;
            n++;
        }
    }
    n += ide_legacy(f, out + n);
    for (int i = 0; i < f->nlegacy && i < PCI_NLEGACY; i++)
        out[n++] = f->legacy[i];
    return n;
}

int pci_name(const struct pci_fn *f, char *buf, int cap)
{
    return snformat(buf, cap, "%02x:%02x.%x %04x:%04x class %02x:%02x:%02x", f->bus, f->dev,
                    f->fn, f->vendor, f->device, f->cls, f->sub, f->progif);
}

const char *port_refusal(int64_t first, int64_t count, const struct pci_fn *fns, int n,
                         int dma_rule, char *buf, int cap)
{
    for (unsigned i = 0; i < sizeof os_ports / sizeof os_ports[0]; i++)
        if ((dma_rule || !os_ports[i].dma) &&
            overlap(first, count, os_ports[i].first, os_ports[i].count))
            return os_ports[i].owner;
    for (int i = 0; dma_rule && i < n; i++) {
        struct pci_range r[PCI_NRANGES];
        if (!fns[i].bm_cap)
            continue;                   /* bus mastering hard-wired off: safe to give */
        int nr = pci_io_ranges(&fns[i], r);
        for (int k = 0; k < nr; k++)
            if (overlap(first, count, r[k].first, r[k].count)) {
                int m = snformat(buf, cap, "ports %x-%x of PCI ", r[k].first,
                                 r[k].first + r[k].count - 1);
                m += pci_name(&fns[i], buf + m, cap - m);
                snformat(buf + m, cap - m, ", a function that can master the bus "
                         "(its DMA reaches all memory: no IOMMU)");
                return buf;
            }
    }
    return 0;
}
