/* PCI: configuration mechanism #1 (ports 0xCF8/0xCFC, the OS's own), the
 * functions found at boot, and the bus-master kill switch.
 *
 * At boot every function is enumerated (bus 0, then behind each PCI-PCI
 * bridge), its BARs sized the standard way (all ones written with the
 * command register's decode bits off, then the original put back, PCI Local
 * Bus 3.0 §6.2.5.1) and its bus-master-enable bit (command bit 2) probed:
 * can it read 1, can it be cleared?  Then bus mastering is switched off for
 * every function the OS does not drive; an OS driver that uses DMA turns it
 * back on for its own function (pci_claim).  Configuration space stays the
 * OS's (ports.c), so no app can turn it on again. */
#include "os.h"
#include "io/io.h"
#include "drivers/pci.h"

#define CMD_IO     0x1
#define CMD_MEM    0x2
#define CMD_MASTER 0x4

struct pci_fn pci_fns[PCI_MAX];
int pci_nfns;

static uint32_t cfg_addr(int bus, int dev, int fn, int off)
{
    return 0x80000000u | (uint32_t)bus << 16 | dev << 11 | fn << 8 | (off & 0xFC);
}

static uint32_t cfg_read(int bus, int dev, int fn, int off)
{
    uint32_t saved = io_open(0xCF8, 8);
    outl(0xCF8, cfg_addr(bus, dev, fn, off));
    uint32_t v = inl(0xCFC);
    io_close(0xCF8, 8, saved);
    return v;
}

static void cfg_write(int bus, int dev, int fn, int off, uint32_t v)
{
    uint32_t saved = io_open(0xCF8, 8);
    outl(0xCF8, cfg_addr(bus, dev, fn, off));
    outl(0xCFC, v);
    io_close(0xCF8, 8, saved);
}

/* The command register alone: a dword write would also hit the status
 * register, whose error bits are write-1-to-clear. */
static uint16_t cmd_read(const struct pci_fn *f)
{
    return cfg_read(f->bus, f->dev, f->fn, 0x04) & 0xFFFF;
}

static void cmd_write(const struct pci_fn *f, uint16_t v)
{
    uint32_t saved = io_open(0xCF8, 8);
    outl(0xCF8, cfg_addr(f->bus, f->dev, f->fn, 0x04));
    outw(0xCFC, v);
    io_close(0xCF8, 8, saved);
}

uint32_t pci_read(const struct pci_fn *f, int off)
{
    return cfg_read(f->bus, f->dev, f->fn, off);
}

void pci_write(const struct pci_fn *f, int off, uint32_t v)
{
    cfg_write(f->bus, f->dev, f->fn, off, v);
}

static void size_bars(struct pci_fn *f, int nbars)
{
    uint16_t cmd = cmd_read(f);
    cmd_write(f, cmd & ~(CMD_IO | CMD_MEM));            /* decode nothing while sizing */
    for (int b = 0; b < nbars; b++) {
        int off = 0x10 + 4 * b;
        uint32_t orig = pci_read(f, off);
        pci_write(f, off, 0xFFFFFFFF);
        uint32_t m = pci_read(f, off);
        pci_write(f, off, orig);
        struct pci_bar *r = &f->bar[b];
        if (!m)
            continue;                                   /* not implemented */
        if (orig & 1) {
            uint32_t mask = m & ~3u;
            if (!(mask & 0xFFFF0000))
                mask |= 0xFFFF0000;                     /* a 16-bit I/O decoder */
            r->io = 1;
            r->base = orig & ~3u;
            r->size = ~mask + 1;
        } else {
            r->base = orig & ~0xFu;
            r->size = ~(m & ~0xFu) + 1;
            r->prefetch = (orig >> 3) & 1;
            if (((orig >> 1) & 3) == 2 && b + 1 < nbars) {       /* 64-bit: the next is its top */
                r->mem64 = 1;
                b++;
            }
        }
    }
    cmd_write(f, cmd);
}

/* Can the function's bus-master-enable bit read 1, and can it be cleared?
 * The bit is set only for the instant of the probe, decode unchanged. */
static void probe_master(struct pci_fn *f)
{
    uint16_t cmd = cmd_read(f);
    if (!(cmd & CMD_MASTER))
        cmd_write(f, cmd | CMD_MASTER);
    f->bm_cap = (cmd_read(f) & CMD_MASTER) != 0;
    cmd_write(f, cmd & ~CMD_MASTER);
    f->bm_stuck = (cmd_read(f) & CMD_MASTER) != 0;
    if (cmd & CMD_MASTER)
        cmd_write(f, cmd);              /* as found, until pci_init decides */
    f->bm_on = (cmd_read(f) & CMD_MASTER) != 0;
}

static uint8_t bus_seen[256 / 8];
static void scan_bus(int bus);

static void add_fn(int bus, int dev, int fn, uint32_t id)
{
    if (pci_nfns == PCI_MAX) {
        kprintf("KLOS: pci: more than %d functions, %02x:%02x.%x and later not managed\n",
                PCI_MAX, bus, dev, fn);
        return;
    }
    struct pci_fn *f = &pci_fns[pci_nfns++];
    memset(f, 0, sizeof *f);
    f->bus = bus;
    f->dev = dev;
    f->fn = fn;
    f->vendor = id & 0xFFFF;
    f->device = id >> 16;
    uint32_t c = cfg_read(bus, dev, fn, 0x08);
    f->cls = c >> 24;
    f->sub = c >> 16;
    f->progif = c >> 8;
    f->hdr = (cfg_read(bus, dev, fn, 0x0C) >> 16) & 0x7F;
    uint32_t irq = cfg_read(bus, dev, fn, 0x3C);
    f->irq_line = irq & 0xFF;
    f->irq_pin = (irq >> 8) & 0xFF;
    size_bars(f, f->hdr == 0 ? 6 : f->hdr == 1 ? 2 : 0);
    probe_master(f);
    if (f->hdr == 1) {                                  /* PCI-PCI bridge */
        uint32_t b = cfg_read(bus, dev, fn, 0x18);
        f->sec_bus = b >> 8;
        f->sub_bus = b >> 16;
        scan_bus(f->sec_bus);
    }
}

static void scan_bus(int bus)
{
    if (bus_seen[bus / 8] & (1 << (bus % 8)))
        return;                                         /* a bridge loop, or seen */
    bus_seen[bus / 8] |= 1 << (bus % 8);
    for (int dev = 0; dev < 32; dev++) {
        uint32_t id = cfg_read(bus, dev, 0, 0);
        if ((id & 0xFFFF) == 0xFFFF)
            continue;
        int multi = (cfg_read(bus, dev, 0, 0x0C) >> 16) & 0x80;
        for (int fn = 0; fn < (multi ? 8 : 1); fn++) {
            id = cfg_read(bus, dev, fn, 0);
            if ((id & 0xFFFF) != 0xFFFF)
                add_fn(bus, dev, fn, id);
        }
    }
}

/* A host bridge masters for the CPU (its command register governs the
 * CPU's own path to the bus), not for a device: left as it is. */
static int host_bridge(const struct pci_fn *f)
{
    return f->cls == 0x06 && f->sub == 0x00;
}

static const char *master_word(const struct pci_fn *f)
{
    if (!f->bm_cap)
        return "never";
    if (f->bm_stuck)
        return "STUCK";
    return f->bm_on ? "on" : "off";
}

/* One function as a line: what the pci service lists and boot prints. */
static int fn_line(const struct pci_fn *f, char *buf, int cap)
{
    int n = pci_name(f, buf, cap);
    n += snformat(buf + n, cap - n, " irq %d/%c master=%s driver=%s", f->irq_line,
                  f->irq_pin >= 1 && f->irq_pin <= 4 ? 'A' + f->irq_pin - 1 : '-',
                  master_word(f), f->os_driver ? "OS" : "none");
    for (int b = 0; b < PCI_NBAR; b++)
        if (f->bar[b].size)
            n += snformat(buf + n, cap - n, " bar%d=%s:%x+%x", b, f->bar[b].io ? "io" : "mem",
                          f->bar[b].base, f->bar[b].size);
    return n;
}

void pci_init(void)
{
    uint32_t saved = io_open(0xCF8, 8);
    outl(0xCF8, 0x80000000u);
    int mech1 = inl(0xCF8) == 0x80000000u;
    io_close(0xCF8, 8, saved);
    if (!mech1) {
        kprintf("KLOS: pci: no configuration mechanism #1: no PCI functions managed\n");
        return;
    }
    scan_bus(0);
    uint32_t hb = cfg_read(0, 0, 0, 0x0C);
    if ((hb >> 16) & 0x80)                              /* several host bridges: bus = function */
        for (int fn = 1; fn < 8; fn++)
            if ((cfg_read(0, 0, fn, 0) & 0xFFFF) != 0xFFFF)
                scan_bus(fn);
    /* The test kernel's controls (tests/boot/dma.py): dma=bios sets every
     * function's enable bit first, as many BIOSes leave it; dma=nokill skips
     * the kill switch. */
    int bios = test_listed("dma", "bios"), nokill = test_listed("dma", "nokill"), killed = 0;
    for (int i = 0; i < pci_nfns; i++) {
        struct pci_fn *f = &pci_fns[i];
        if (bios && !host_bridge(f) && f->bm_cap)
            cmd_write(f, cmd_read(f) | CMD_MASTER);
        if (!nokill && !host_bridge(f) && (cmd_read(f) & CMD_MASTER) && !f->bm_stuck) {
            cmd_write(f, cmd_read(f) & ~CMD_MASTER);    /* the kill switch */
            killed++;
        }
        f->bm_on = (cmd_read(f) & CMD_MASTER) != 0;
        char line[200];
        fn_line(f, line, sizeof line);
        kprintf("KLOS: pci %s\n", line);
        if (f->bm_stuck && !host_bridge(f))
            kprintf("KLOS: pci: %02x:%02x.%x masters the bus whatever the OS writes (its enable "
                    "bit is stuck at 1)%s\n", f->bus, f->dev, f->fn,
                    f->cls == 0x06 && f->sub == 0x01
                        ? ": the ISA bridge, for the 8237, whose channels are masked and whose "
                          "ports are the OS's"
                        : ": its ports are refused to every driver app");
    }
    kprintf("KLOS: pci: %d functions, bus mastering turned off in %d\n", pci_nfns, killed);
}

struct pci_fn *pci_find_class(uint8_t cls, uint8_t sub, int from)
{
    for (int i = from; i < pci_nfns; i++)
        if (pci_fns[i].cls == cls && pci_fns[i].sub == sub)
            return &pci_fns[i];
    return 0;
}

/* An OS driver takes f; with dma, f may master the bus, and so may each
 * bridge on its way up to bus 0. */
void pci_claim(struct pci_fn *f, int dma)
{
    f->os_driver = 1;
    if (!dma)
        return;
    cmd_write(f, cmd_read(f) | CMD_MASTER);
    f->bm_on = (cmd_read(f) & CMD_MASTER) != 0;
    for (int bus = f->bus, hops = 0; bus && hops < 32; hops++) {
        struct pci_fn *up = 0;
        for (int i = 0; i < pci_nfns && !up; i++)
            if (pci_fns[i].hdr == 1 && pci_fns[i].sec_bus == bus)
                up = &pci_fns[i];
        if (!up)
            break;
        cmd_write(up, cmd_read(up) | CMD_MASTER);
        up->bm_on = 1;
        up->os_driver = 1;
        bus = up->bus;
    }
}

/* The table as text, the enable bit read live (a device that sets it itself
 * shows here). */
int pci_list(char *buf, int cap)
{
    int n = 0;
    for (int i = 0; i < pci_nfns && n < cap - 1; i++) {
        struct pci_fn *f = &pci_fns[i];
        struct pci_range r[PCI_NRANGES];
        f->bm_on = (cmd_read(f) & CMD_MASTER) != 0;
        char line[200];
        fn_line(f, line, sizeof line);
        int nr = pci_io_ranges(f, r);
        n += snformat(buf + n, cap - n, "%s%s\n", line,
                      !nr ? "" : f->bm_cap ? " ports=refused" : " ports=grantable");
    }
    return n;
}
