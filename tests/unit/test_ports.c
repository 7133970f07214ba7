// The port policy and its range arithmetic (os/io/ports.c), over PCI tables
// captured from real boots (pci_captured.h).
// SOURCES: os/io/ports.c lib/fmt.c
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "klos.h"
#include "io/ports.h"
#include "io/pcifn.h"
#include "pci_captured.h"

/* ---- a "KLOS: pci ..." line back into a struct pci_fn ---------------------- */
static int parse(const char *l, struct pci_fn *f)
{
    unsigned b, d, fn, v, dv, c, s, p, irq;
    char pin, master[16], drv[16];
    int n = 0;
    memset(f, 0, sizeof *f);
    if (sscanf(l, "KLOS: pci %x:%x.%x %x:%x class %x:%x:%x irq %u/%c master=%15[^ ] driver=%15s%n",
               &b, &d, &fn, &v, &dv, &c, &s, &p, &irq, &pin, master, drv, &n) != 12)
        return -1;
    f->bus = b, f->dev = d, f->fn = fn, f->vendor = v, f->device = dv;
    f->cls = c, f->sub = s, f->progif = p, f->irq_line = irq;
    f->bm_cap = strcmp(master, "never") != 0;
    f->bm_stuck = !strcmp(master, "STUCK");
    f->bm_on = !strcmp(master, "on") || f->bm_stuck;
    f->os_driver = !strcmp(drv, "OS");
    for (const char *q = l + n; (q = strstr(q, " bar"));) {
        unsigned i, base, size;
        char kind[4];
        if (sscanf(q, " bar%u=%3[a-z]:%x+%x", &i, kind, &base, &size) != 4 || i >= PCI_NBAR)
            return -1;
        f->bar[i].io = !strcmp(kind, "io");
        f->bar[i].base = base;
        f->bar[i].size = size;
        q++;
    }
    return 0;
}

static int load(const char *const *lines, struct pci_fn *t)
{
    int n = 0;
    for (; lines[n]; n++)
        if (parse(lines[n], &t[n]) < 0) {
            printf("FAIL ports.parse: %s\n", lines[n]);
            check_failed = 1;
        }
    return n;
}

/* ---- the oracle: written apart from ports.c, from the rule's words ---------- */
static const struct { int first, count; } machine[] = {
    { 0x20, 2 }, { 0xA0, 2 }, { 0x40, 4 }, { 0x60, 5 }, { 0x92, 1 }, { 0x3D4, 2 }, { 0x3F8, 8 },
    { 0xF4, 4 }, { 0xCF8, 8 }, { 0x8900, 1 },
    { 0x00, 0x20 }, { 0x80, 0x20 }, { 0xC0, 0x20 },            /* the 8237s and page registers */
    { 0x1F0, 8 }, { 0x3F6, 1 }, { 0x170, 8 }, { 0x376, 1 },     /* the OS's ATA channels */
};

static int isa_dma(int p)
{
    return p < 0x20 || (p >= 0x80 && p < 0xA0) || (p >= 0xC0 && p < 0xE0);
}

/* Does port p decode to a function that can master the bus? */
static int master_port(const struct pci_fn *t, int n, int p)
{
    for (int i = 0; i < n; i++) {
        if (!t[i].bm_cap)
            continue;
        for (int b = 0; b < PCI_NBAR; b++)
            if (t[i].bar[b].io && t[i].bar[b].base && p >= (int)t[i].bar[b].base &&
                p < (int)(t[i].bar[b].base + t[i].bar[b].size))
                return 1;
        if (t[i].cls == 1 && t[i].sub == 1) {   /* IDE: a channel in compatibility mode */
            if (!(t[i].progif & 1) && ((p >= 0x1F0 && p < 0x1F8) || p == 0x3F6))
                return 1;
            if (!(t[i].progif & 4) && ((p >= 0x170 && p < 0x178) || p == 0x376))
                return 1;
        }
    }
    return 0;
}

static int forbidden(const struct pci_fn *t, int n, int p)
{
    for (unsigned i = 0; i < sizeof machine / sizeof machine[0]; i++)
        if (p >= machine[i].first && p < machine[i].first + machine[i].count)
            return 1;
    return master_port(t, n, p);
}

/* ioperm(p, 1) for every one of the 65,536 ports: granted exactly when the
 * oracle allows it.  So nothing that decodes to a master or to the 8237 is
 * granted, and the rule is not "refuse everything". */
static void scan(const char *name, const struct pci_fn *t, int n, int min_masters)
{
    char why[200], label[80];
    int granted = 0, wrong_grant = 0, wrong_refuse = 0, masters = 0;
    for (int p = 0; p < 65536; p++) {
        int g = port_refusal(p, 1, t, n, 1, why, sizeof why) == 0;
        granted += g;
        masters += master_port(t, n, p);
        if (g && (forbidden(t, n, p) || isa_dma(p) || master_port(t, n, p))) {
            if (!wrong_grant++)
                printf("    %s: port %x granted: it decodes to a master or the machine\n", name, p);
        }
        if (!g && !forbidden(t, n, p) && !wrong_refuse++)
            printf("    %s: port %x refused (%s)\n", name, p, why);
    }
    printf("    %s: %d functions, %d ports decode to a bus master, %d of 65536 granted\n", name, n,
           masters, granted);
    snprintf(label, sizeof label, "ports.scan-%s-no-master-granted", name);
    CHECK(label, wrong_grant == 0 && masters >= min_masters);
    snprintf(label, sizeof label, "ports.scan-%s-the-rest-granted", name);
    CHECK(label, wrong_refuse == 0 && granted > 60000);
}

/* Random ranges: refused exactly when one of their ports is. */
static void ranges(const char *name, const struct pci_fn *t, int n)
{
    char why[200], label[80];
    int bad = 0;
    srand(18);
    for (int k = 0; k < 20000; k++) {
        int first = rand() % 65536, count = 1 + rand() % (k % 3 ? 64 : 4096);
        if (first + count > 65536)
            count = 65536 - first;
        int any = 0;
        for (int p = first; p < first + count && !any; p++)
            any = forbidden(t, n, p);
        if ((port_refusal(first, count, t, n, 1, why, sizeof why) != 0) != any)
            bad++;
    }
    snprintf(label, sizeof label, "ports.ranges-%s", name);
    CHECK(label, bad == 0);
}

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
    /* the ISA DMA controller and the OS's IDE channels */
    CHECK("ports.8237", port_owner(0x00, 1) && port_owner(0x0F, 1) && port_owner(0x81, 1) &&
                        port_owner(0x87, 1) && port_owner(0xC0, 1) && port_owner(0xDE, 1) &&
                        strstr(port_owner(0x0A, 1), "8237"));
    CHECK("ports.ide-legacy", port_owner(0x1F0, 8) && port_owner(0x3F6, 1) &&
                              port_owner(0x170, 8) && port_owner(0x376, 1));
    CHECK("ports.fdc-lpt-com2-free", port_owner(0x3F2, 4) == 0 && port_owner(0x3F7, 1) == 0 &&
                                     port_owner(0x378, 3) == 0 && port_owner(0x2F8, 8) == 0);

    static struct pci_fn pc[PCI_MAX], q35[PCI_MAX], bx[PCI_MAX];
    int npc = load(qemu_pc, pc), nq = load(qemu_q35, q35), nb = load(bochs, bx);
    char why[200];
    const char *r;

    /* the review's attack: virtio-blk's I/O BAR, the PIIX bus-master registers */
    r = port_refusal(0xC100, 0x80, pc, npc, 1, why, sizeof why);
    CHECK("ports.virtio-refused-named", r && strstr(r, "00:07.0 1af4:1001 class 01:00:00") &&
                                        strstr(r, "master the bus"));
    r = port_refusal(0xC220, 8, pc, npc, 1, why, sizeof why);
    CHECK("ports.piix-bm-refused-named", r && strstr(r, "00:01.1 8086:7010"));
    CHECK("ports.one-port-of-a-bar", port_refusal(0xC17F + 0x40, 1, pc, npc, 1, why, sizeof why) &&
                                     port_refusal(0xC1BF, 2, pc, npc, 1, why, sizeof why));
    /* the index/data window of AHCI, the NIC behind a PCI-PCI bridge, SMBus (q35) */
    r = port_refusal(0xD120, 0x20, q35, nq, 1, why, sizeof why);
    CHECK("ports.ahci-window-refused", r && strstr(r, "00:1f.2 8086:2922 class 01:06:01"));
    r = port_refusal(0xC000, 1, q35, nq, 1, why, sizeof why);
    CHECK("ports.behind-bridge-refused", r && strstr(r, "01:03.0 10ec:8139"));
    /* safe ports stay grantable: legacy ISA ranges no function decodes */
    CHECK("ports.lpt-com2-granted", !port_refusal(0x378, 3, pc, npc, 1, why, sizeof why) &&
                                    !port_refusal(0x2F8, 8, q35, nq, 1, why, sizeof why) &&
                                    !port_refusal(0x70, 2, bx, nb, 1, why, sizeof why));
    /* a function whose enable bit is hard-wired 0 cannot master: its ports may be given */
    struct pci_fn never = pc[7];                        /* the rtl8139, made unable to master */
    never.bm_cap = 0;
    CHECK("ports.never-master-granted", !port_refusal(0xC000, 0x100, &never, 1, 1, why, sizeof why));
    /* the rule does not rest on the bit being off now: off but writable is refused */
    CHECK("ports.off-but-writable-refused", !pc[9].bm_on && pc[9].bm_cap &&
                                            port_refusal(0xC100, 1, pc, npc, 1, why, sizeof why));
    /* dma=nobar (the test kernel's control) drops the DMA rules, nothing else */
    CHECK("ports.nobar-control", !port_refusal(0xC100, 0x80, pc, npc, 0, why, sizeof why) &&
                                 !port_refusal(0x00, 0x20, pc, npc, 0, why, sizeof why) &&
                                 !port_refusal(0x1F0, 8, pc, npc, 0, why, sizeof why) &&
                                 port_refusal(0x20, 1, pc, npc, 0, why, sizeof why) &&
                                 port_refusal(0xCF8, 4, pc, npc, 0, why, sizeof why));
    /* IDE in native mode (prog-if 0x8F) decodes its BARs, not the ISA ports */
    struct pci_fn native = pc[2];
    native.progif = 0x8F;
    struct pci_range rr[PCI_NRANGES];
    CHECK("ports.ide-native-no-legacy", pci_io_ranges(&native, rr) == 1);
    CHECK("ports.ide-compat-legacy", pci_io_ranges(&pc[2], rr) == 5 && rr[1].first == 0x1F0 &&
                                     rr[2].first == 0x3F6 && rr[3].first == 0x170);
    /* a 64-bit first/count can neither wrap nor reach past 64 KiB */
    struct pci_fn top = pc[7];
    top.bar[0].base = 0xFFC0, top.bar[0].size = 0x100;  /* a BAR that would run past 0xFFFF */
    CHECK("ports.bar-at-top", pci_io_ranges(&top, rr) == 1 && rr[0].count == 0x40 &&
                              port_refusal(0xFFFF, 1, &top, 1, 1, why, sizeof why));

    scan("qemu-pc", pc, npc, 0x40 + 0x40 + 0x100 + 0x20 + 0x80 + 0x10 + 18);
    scan("qemu-q35", q35, nq, 0x20 + 0x40 + 0x100 + 0x80 + 0x20 + 0x40);
    scan("bochs", bx, nb, 0x10 + 0x20 + 18);
    ranges("qemu-pc", pc, npc);
    ranges("qemu-q35", q35, nq);
    return check_exit();
}
