/* ATA disks on the PCI IDE function (class 01:01: PIIX3/PIIX4 under QEMU
 * -M pc and Bochs), PIO or bus-master DMA, one command at a time per channel.
 *
 * Specs: ATA/ATAPI-6 (T13/1410D) for the registers and commands; "PCI IDE
 * Controller Specification" 1.0 for compatibility mode; "Programming Interface
 * for Bus Master IDE Controller" 1.0 (and the PIIX datasheet) for BAR4 and the
 * PRD table.
 *
 * The caller's thread sleeps while the device works: the command is issued,
 * the thread blocks (W_DISK, with a timeout) and the channel's IRQ (14 or 15,
 * delivered to the ring-3 OS as an event) wakes it.  Before the IRQ handlers
 * are in place (start-up) and in any context that cannot block, it polls.  A
 * thread that sleeps lets others run, and they may call the driver too: each
 * channel has a sleep lock.  This driver programs a bus master, so it is part
 * of the TCB: it DMAs only into memory it chose, the PRD table and the buffers
 * are OS memory, and the bus-master bit is on only for its own function. */
#include "os.h"
#include "io/io.h"
#include "machine.h"
#include "klos_errno.h"
#include "sched/proc.h"
#include "sched/sched.h"
#include "drivers/pci.h"
#include "drivers/blkdrv.h"
#include "event/event.h"

/* command block registers (offsets from the channel's base) */
#define R_DATA    0
#define R_ERROR   1
#define R_COUNT   2
#define R_LBA0    3
#define R_LBA1    4
#define R_LBA2    5
#define R_DRIVE   6
#define R_STATUS  7                     /* read; write: the command */
#define ST_ERR  0x01
#define ST_DRQ  0x08
#define ST_DF   0x20
#define ST_BSY  0x80
#define CTL_NIEN 0x02                   /* device control: no interrupts */
#define CTL_SRST 0x04
/* bus-master registers (BAR4, +8 for the secondary channel) */
#define BM_CMD    0                     /* bit 0 start, bit 3 device-to-memory */
#define BM_STATUS 2                     /* bit 0 active, 1 error, 2 interrupt (write 1 to clear) */
#define BM_PRD    4
#define BMS_ACTIVE 0x01
#define BMS_ERR    0x02
#define BMS_IRQ    0x04

#define CMD_READ_PIO     0x20
#define CMD_READ_PIO48   0x24
#define CMD_WRITE_PIO    0x30
#define CMD_WRITE_PIO48  0x34
#define CMD_READ_DMA     0xC8
#define CMD_READ_DMA48   0x25
#define CMD_WRITE_DMA    0xCA
#define CMD_WRITE_DMA48  0x35
#define CMD_FLUSH        0xE7
#define CMD_FLUSH48      0xEA
#define CMD_IDENTIFY     0xEC
#define CMD_IDENTIFY_PKT 0xA1

#define ATA_TIMEOUT 500                 /* ticks (100 Hz): a dead device gives -EIO after 5 s */
#define ATA_MAXSECT 128                 /* per command: 64 KiB, one bounce buffer, <= 2 PRDs */
#define LBA28_LAST  0x0FFFFFFFull

struct prd {                            /* physical region descriptor */
    uint32_t addr;                      /* even */
    uint16_t bytes;                     /* 0 = 64 KiB */
    uint16_t flags;                     /* bit 15: the last one */
};

struct chan {
    char name[8];
    uint16_t base, ctl, bm;             /* bm 0: no DMA on this channel */
    int irq;                            /* -1: none known, always polled */
    int used;                           /* a disk of ours is on it */
    volatile int done;                  /* the IRQ came (set by the handler) */
    volatile uint8_t irq_status;        /* the status register the handler read */
    struct proc *waiter;                /* blocked on W_DISK for this channel */
    struct proc *holder;                /* the sleep lock */
    int holder_pid;
    struct list lockq;                  /* blocked on W_DISKLOCK, by proc->sq */
    struct prd *prd;
    uint8_t *bounce;
};

struct disk {
    struct blkdev bd;
    struct chan *c;
    int slave, lba48, dma;
    char model[41];
};

static struct chan chans[2];
static struct disk disks[4];
static int sleep_ok;                    /* the IRQ handlers are in place */
static int force_lba48;                 /* atatest=lba48 (test kernel) */
static int force_poll;                  /* atatest=poll (test kernel): never sleep */
struct ata_stats ata_stats;
int ata_deaf;                           /* test kernel: IRQs to drop (a dead device) */

/* The PRD tables (dword aligned, inside one page, so never across 64 KiB)
 * and a 64 KiB bounce buffer per channel (64 KiB aligned: one PRD), all in
 * the OS data region: V2P gives their physical address. */
static struct prd prd_tab[2][4] __attribute__((aligned(64)));
static uint8_t bounce[2][65536] __attribute__((aligned(65536)));

/* ---- port access: opened in the current I/O bitmap around each access ---- */

static uint8_t rd(struct chan *c, int reg)
{
    uint32_t s = io_open(c->base, 8);
    uint8_t v = inb(c->base + reg);
    io_close(c->base, 8, s);
    return v;
}

static void wr(struct chan *c, int reg, uint8_t v)
{
    uint32_t s = io_open(c->base, 8);
    outb(c->base + reg, v);
    io_close(c->base, 8, s);
}

static uint8_t altstatus(struct chan *c)
{
    uint32_t s = io_open(c->ctl, 1);
    uint8_t v = inb(c->ctl);
    io_close(c->ctl, 1, s);
    return v;
}

static void control(struct chan *c, uint8_t v)
{
    uint32_t s = io_open(c->ctl, 1);
    outb(c->ctl, v);
    io_close(c->ctl, 1, s);
}

static uint8_t bm_rd(struct chan *c, int reg)
{
    uint32_t s = io_open(c->bm, 8);
    uint8_t v = inb(c->bm + reg);
    io_close(c->bm, 8, s);
    return v;
}

static void bm_wr(struct chan *c, int reg, uint32_t v)
{
    uint32_t s = io_open(c->bm, 8);
    if (reg == BM_PRD)
        outl(c->bm + reg, v);
    else
        outb(c->bm + reg, v);
    io_close(c->bm, 8, s);
}

static void data_in(struct chan *c, void *buf, int words)
{
    uint32_t s = io_open(c->base, 8);
    insw(c->base + R_DATA, buf, words);
    io_close(c->base, 8, s);
}

static void data_out(struct chan *c, const void *buf, int words)
{
    uint32_t s = io_open(c->base, 8);
    outsw(c->base + R_DATA, buf, words);
    io_close(c->base, 8, s);
}

/* 400 ns after a drive select: four reads of the alternate status (ATA-6 §9.7) */
static void delay400(struct chan *c)
{
    for (int i = 0; i < 4; i++)
        altstatus(c);
}

/* ---- waiting: asleep until the IRQ, or polling ---------------------------- */

static int can_sleep(struct chan *c)
{
    return sleep_ok && c->irq >= 0 && event_depth == 0 && !force_poll;
}

/* Poll until BSY clears (and, with want, until one of want's bits is set);
 * the status, or -1 after the timeout.  Bounded by ticks and by a count, in
 * case ticks stand still. */
static int poll_status(struct chan *c, uint8_t want)
{
    uint32_t until = ticks + ATA_TIMEOUT;
    for (uint32_t n = 0; n < 20000000; n++) {
        uint8_t st = altstatus(c);
        if (st != 0xFF && !(st & ST_BSY) && (!want || (st & (want | ST_ERR | ST_DF))))
            return st;
        if ((int32_t)(ticks - until) > 0)
            break;
    }
    return -1;
}

/* The command's completion: its IRQ, or (polled) BSY clear / the DMA
 * engine's interrupt bit.  Returns the status (the read acknowledges the
 * device's interrupt), or -1 on a timeout. */
static int wait_done(struct chan *c, int dma)
{
    if (can_sleep(c)) {
        uint32_t until = ticks + ATA_TIMEOUT;
        c->waiter = cur;
        while (!c->done && (int32_t)(ticks - until) < 0) {
            ata_stats.sleeps += !c->done;
            sched_block_unless(W_DISK, until - ticks, &c->done);
        }
        c->waiter = 0;
        if (!c->done)
            return -1;
        return c->irq_status;
    }
    uint32_t until = ticks + ATA_TIMEOUT;
    ata_stats.polls++;
    delay400(c);                                /* BSY is valid 400 ns after the command */
    for (uint32_t n = 0; n < 20000000; n++) {
        uint8_t st = altstatus(c);
        if (dma) {
            uint8_t bs = bm_rd(c, BM_STATUS);
            if ((bs & (BMS_IRQ | BMS_ERR)) || (!(bs & BMS_ACTIVE) && !(st & ST_BSY)))
                return rd(c, R_STATUS);
        } else if (st != 0xFF && !(st & ST_BSY)) {
            return rd(c, R_STATUS);
        }
        if ((int32_t)(ticks - until) > 0)
            break;
    }
    return -1;
}

static void on_irq(struct trapframe *tf)
{
    for (int i = 0; i < 2; i++) {
        struct chan *c = &chans[i];
        if (!c->used || (int)tf->vec != VEC_IRQ0 + c->irq)
            continue;
        c->irq_status = rd(c, R_STATUS);        /* acknowledges the device's interrupt */
        if (ata_deaf > 0) {
            ata_deaf--;
            continue;
        }
        c->done = 1;
        struct proc *w = c->waiter;
        if (w && w->state == P_BLOCKED && w->waiting == W_DISK)
            sched_wake(w, 0);
    }
    sched_after_irq(tf);
}

/* ---- the per-channel sleep lock ---------------------------------------- */

static void chan_reset(struct chan *c);

static int alive(struct proc *p, int pid)
{
    return p->pid == pid && (p->state == P_RUNNABLE || p->state == P_BLOCKED);
}

static void chan_lock(struct chan *c)
{
    while (c->holder && c->holder != cur) {
        if (!alive(c->holder, c->holder_pid)) {
            /* its thread was ended inside a command: start the channel afresh */
            kprintf("KLOS: %s: the thread using the channel ended mid-command; channel reset\n",
                    c->name);
            c->waiter = 0;
            chan_reset(c);
            break;
        }
        if (!sleep_ok || event_depth) {         /* cannot block here: the holder is asleep */
            kprintf("KLOS: %s: channel busy in a context that cannot wait\n", c->name);
            break;
        }
        list_add_before(&cur->sq, &c->lockq);
        ata_stats.lock_waits++;
        sched_block(W_DISKLOCK, 100);           /* re-checks the holder at least every second */
        list_del(&cur->sq);
    }
    c->holder = cur;
    c->holder_pid = cur->pid;
}

static void chan_unlock(struct chan *c)
{
    c->holder = 0;
    if (!list_empty(&c->lockq)) {
        struct proc *p = list_entry(c->lockq.next, struct proc, sq);
        if (p->state == P_BLOCKED && p->waiting == W_DISKLOCK)
            sched_wake(p, 0);
    }
}

/* ---- commands ------------------------------------------------------------ */

static void chan_reset(struct chan *c)
{
    if (c->bm)
        bm_wr(c, BM_CMD, 0);
    /* device 0 selected through the reset: its BSY is what to wait for, and a
     * device ignores a select while busy (QEMU finishes SRST later, from its
     * main loop; a select written meanwhile is lost) */
    wr(c, R_DRIVE, 0xA0);
    delay400(c);
    control(c, CTL_SRST | CTL_NIEN);
    for (int i = 0; i < 10; i++)                /* >= 5 us (ATA-6 §9.2): ~1 us a read */
        altstatus(c);
    control(c, sleep_ok && c->irq >= 0 ? 0 : CTL_NIEN);
    for (int i = 0; i < 2000; i++)              /* 2 ms before BSY means anything */
        altstatus(c);
    poll_status(c, 0);
}

/* Select d and wait until the channel may take a command. */
static int select_disk(struct disk *d)
{
    struct chan *c = d->c;
    wr(c, R_DRIVE, 0xE0 | d->slave << 4);
    delay400(c);
    int st = poll_status(c, 0);
    return st < 0 || (st & ST_DRQ) ? -1 : 0;
}

static void task_file(struct disk *d, uint64_t lba, uint32_t count, int lba48)
{
    struct chan *c = d->c;
    uint32_t s = io_open(c->base, 8);
    if (lba48) {                                /* the high bytes first (ATA-6 §6.19.1) */
        outb(c->base + R_DRIVE, 0x40 | d->slave << 4);
        outb(c->base + R_COUNT, count >> 8);
        outb(c->base + R_LBA0, lba >> 24);
        outb(c->base + R_LBA1, lba >> 32);
        outb(c->base + R_LBA2, lba >> 40);
        outb(c->base + R_COUNT, count);
        outb(c->base + R_LBA0, lba);
        outb(c->base + R_LBA1, lba >> 8);
        outb(c->base + R_LBA2, lba >> 16);
    } else {
        outb(c->base + R_DRIVE, 0xE0 | d->slave << 4 | ((lba >> 24) & 0x0F));
        outb(c->base + R_COUNT, count);         /* 256 is 0 */
        outb(c->base + R_LBA0, lba);
        outb(c->base + R_LBA1, lba >> 8);
        outb(c->base + R_LBA2, lba >> 16);
    }
    io_close(c->base, 8, s);
}

static void issue(struct chan *c, uint8_t cmd)
{
    c->done = 0;
    wr(c, R_STATUS, cmd);
}

static int fail(struct disk *d, const char *what, uint64_t lba, uint32_t n, int st, int dma)
{
    struct chan *c = d->c;
    if (st < 0)
        kprintf("KLOS: %s: %s of %u sectors at %u: no answer in %d s: -EIO\n", d->bd.name, what, n,
                (uint32_t)lba, ATA_TIMEOUT / 100);
    else
        kprintf("KLOS: %s: %s of %u sectors at %u failed: status %x error %x%s%s: -EIO\n",
                d->bd.name, what, n, (uint32_t)lba, st, rd(c, R_ERROR), dma ? " (DMA)" : "",
                dma == 2 ? ", DMA error" : "");
    chan_reset(c);
    return -EIO;
}

/* A buffer the controller may write straight into: OS memory in the direct
 * map (V2P is its physical address), even, and not the calling thread's own
 * OS stack, which is freed if the thread is ended while the DMA runs. */
static int dma_direct(const void *buf, uint32_t bytes)
{
    uint32_t va = (uint32_t)buf, stack = cur->os_stack_pa ? (uint32_t)P2V(cur->os_stack_pa) : 0;
    return va >= KERNEL_BASE && va < KERNEL_BASE + DIRECTMAP_MAX &&
           bytes <= KERNEL_BASE + DIRECTMAP_MAX - va && !(va & 3) &&
           (!stack || va >= stack + 4096 || va + bytes <= stack);
}

/* PRDs for [pa, pa+bytes): none may cross a 64 KiB boundary. */
static void prd_fill(struct chan *c, uint32_t pa, uint32_t bytes)
{
    int i = 0;
    while (bytes) {
        uint32_t room = 0x10000 - (pa & 0xFFFF), n = bytes < room ? bytes : room;
        c->prd[i].addr = pa;
        c->prd[i].bytes = n & 0xFFFF;
        c->prd[i].flags = 0;
        pa += n;
        bytes -= n;
        i++;
    }
    c->prd[i - 1].flags = 0x8000;
}

static int xfer_dma(struct disk *d, uint64_t lba, uint32_t n, void *buf, int write, int lba48)
{
    struct chan *c = d->c;
    uint32_t bytes = n * BLK_SECTOR;
    int direct = dma_direct(buf, bytes);
    uint8_t *mem = direct ? buf : c->bounce;
    if (write && !direct)
        memcpy(mem, buf, bytes);
    prd_fill(c, V2P(mem), bytes);
    uint8_t dir = write ? 0 : 0x08;
    bm_wr(c, BM_CMD, 0);
    bm_wr(c, BM_STATUS, (bm_rd(c, BM_STATUS) & 0x60) | BMS_IRQ | BMS_ERR);
    bm_wr(c, BM_PRD, V2P(c->prd));
    bm_wr(c, BM_CMD, dir);
    task_file(d, lba, n, lba48);
    issue(c, write ? (lba48 ? CMD_WRITE_DMA48 : CMD_WRITE_DMA)
                   : (lba48 ? CMD_READ_DMA48 : CMD_READ_DMA));
    bm_wr(c, BM_CMD, dir | 1);                  /* start */
    int st = wait_done(c, 1);
    uint8_t bs = bm_rd(c, BM_STATUS);
    bm_wr(c, BM_CMD, dir);                      /* stop */
    bm_wr(c, BM_STATUS, (bs & 0x60) | BMS_IRQ | BMS_ERR);
    if (st < 0 || (st & (ST_ERR | ST_DF | ST_BSY)) || (bs & BMS_ERR))
        return fail(d, write ? "write" : "read", lba, n, st, bs & BMS_ERR ? 2 : 1);
    if (!write && !direct)
        memcpy(buf, mem, bytes);
    return 0;
}

static int xfer_pio(struct disk *d, uint64_t lba, uint32_t n, void *buf, int write, int lba48)
{
    struct chan *c = d->c;
    uint8_t *p = buf;
    task_file(d, lba, n, lba48);
    issue(c, write ? (lba48 ? CMD_WRITE_PIO48 : CMD_WRITE_PIO)
                   : (lba48 ? CMD_READ_PIO48 : CMD_READ_PIO));
    if (write) {
        int st = poll_status(c, ST_DRQ);       /* the first sector: no IRQ before it */
        for (uint32_t i = 0; i < n; i++) {
            if (st < 0 || (st & (ST_ERR | ST_DF)) || !(st & ST_DRQ))
                return fail(d, "write", lba, n, st, 0);
            c->done = 0;
            data_out(c, p + i * BLK_SECTOR, BLK_SECTOR / 2);
            st = wait_done(c, 0);               /* ready for the next, or done */
        }
        if (st < 0 || (st & (ST_ERR | ST_DF)))
            return fail(d, "write", lba, n, st, 0);
        return 0;
    }
    for (uint32_t i = 0; i < n; i++) {
        int st = wait_done(c, 0);               /* a sector is ready */
        if (st < 0 || (st & (ST_ERR | ST_DF)) || !(st & ST_DRQ))
            return fail(d, "read", lba, n, st, 0);
        c->done = 0;                            /* before the data: the next IRQ follows it */
        data_in(c, p + i * BLK_SECTOR, BLK_SECTOR / 2);
    }
    return 0;
}

static int rw(struct blkdev *bd, uint64_t lba, uint32_t count, void *buf, int write)
{
    struct disk *d = bd->priv;
    int r = blk_check(bd, lba, count, write);
    if (r < 0 || !count)
        return r;
    chan_lock(d->c);
    for (uint32_t done = 0; done < count && !r;) {
        uint32_t n = count - done < ATA_MAXSECT ? count - done : ATA_MAXSECT;
        uint64_t at = lba + done;
        int lba48 = d->lba48 && (force_lba48 || at + n - 1 > LBA28_LAST);
        if (select_disk(d) < 0)
            r = fail(d, write ? "write" : "read", at, n, -1, 0);
        else if (d->dma)
            r = xfer_dma(d, at, n, (uint8_t *)buf + done * BLK_SECTOR, write, lba48);
        else
            r = xfer_pio(d, at, n, (uint8_t *)buf + done * BLK_SECTOR, write, lba48);
        if (!r) {
            if (write)
                ata_stats.written += n;
            else
                ata_stats.read += n;
        }
        done += n;
    }
    chan_unlock(d->c);
    return r;
}

static int ata_read(struct blkdev *bd, uint64_t lba, uint32_t count, void *buf)
{
    return rw(bd, lba, count, buf, 0);
}

static int ata_write(struct blkdev *bd, uint64_t lba, uint32_t count, const void *buf)
{
    return rw(bd, lba, count, (void *)buf, 1);
}

/* Returns when everything written before is on the medium (FLUSH CACHE). */
static int ata_flush(struct blkdev *bd)
{
    struct disk *d = bd->priv;
    if (bd->readonly)
        return 0;
    chan_lock(d->c);
    int r = 0;
    if (select_disk(d) < 0)
        r = fail(d, "flush", 0, 0, -1, 0);
    else {
        issue(d->c, d->lba48 ? CMD_FLUSH48 : CMD_FLUSH);
        int st = wait_done(d->c, 0);
        if (st < 0 || (st & (ST_ERR | ST_DF)))
            r = fail(d, "flush", 0, 0, st, 0);
    }
    chan_unlock(d->c);
    return r;
}

/* ---- finding the disks --------------------------------------------------- */

static void model(const uint16_t *id, char *out)
{
    for (int i = 0; i < 20; i++) {              /* words 27-46, each byte-swapped */
        out[2 * i] = id[27 + i] >> 8;
        out[2 * i + 1] = id[27 + i] & 0xFF;
    }
    out[40] = 0;
    for (int i = 39; i >= 0 && out[i] == ' '; i--)
        out[i] = 0;
}

/* IDENTIFY (or IDENTIFY PACKET): 256 words into id; 0, or -1 if nothing answered. */
static int identify(struct chan *c, uint8_t cmd, uint16_t *id)
{
    issue(c, cmd);
    if (altstatus(c) == 0)
        return -1;                              /* no device: the status reads 0 */
    int st = poll_status(c, ST_DRQ);
    if (st < 0 || (st & ST_ERR) || !(st & ST_DRQ))
        return -1;
    data_in(c, id, 256);
    return 0;
}

static void probe(struct chan *c, int slave, int want_dma, int ro)
{
    int n = (c - chans) * 2 + slave;
    struct disk *d = &disks[n];
    static uint16_t id[256];
    d->c = c;
    d->slave = slave;
    snformat(d->bd.name, sizeof d->bd.name, "ata%d", n);
    wr(c, R_DRIVE, 0xA0 | slave << 4);
    delay400(c);
    uint8_t st = altstatus(c), mid = rd(c, R_LBA1), hi = rd(c, R_LBA2);
    if ((mid == 0x14 && hi == 0xEB) || (mid == 0x69 && hi == 0x96)) {
        /* the ATAPI signature a reset leaves (ATA-6 §9.12): a CD/DVD drive,
         * which speaks packets, not sectors -- named, then left alone */
        char m[41] = "?";
        if (identify(c, CMD_IDENTIFY_PKT, id) == 0)
            model(id, m);
        kprintf("KLOS: %s: ATAPI device (%s): not a disk, left alone\n", d->bd.name, m);
        return;
    }
    if (st == 0xFF || st == 0) {
        kprintf("KLOS: %s: no device\n", d->bd.name);
        return;
    }
    if (poll_status(c, 0) < 0 || identify(c, CMD_IDENTIFY, id) < 0) {
        kprintf("KLOS: %s: no device (no answer to IDENTIFY, signature %x/%x)\n", d->bd.name,
                rd(c, R_LBA1), rd(c, R_LBA2));
        return;
    }
    if (!(id[49] & (1 << 9))) {
        kprintf("KLOS: %s: no LBA (CHS only): not used\n", d->bd.name);
        return;
    }
    model(id, d->model);
    d->lba48 = (id[83] >> 10) & 1;
    uint64_t n28 = id[60] | (uint32_t)id[61] << 16;
    uint64_t n48 = id[100] | (uint64_t)id[101] << 16 | (uint64_t)id[102] << 32 |
                   (uint64_t)id[103] << 48;
    d->bd.nsect = d->lba48 && n48 ? n48 : n28;
    d->dma = want_dma && c->bm && (id[49] & (1 << 8));
    d->bd.readonly = ro;
    d->bd.read = ata_read;
    d->bd.write = ata_write;
    d->bd.flush = ata_flush;
    d->bd.priv = d;
    kprintf("KLOS: %s: %s, %u sectors (%u MiB), %s, %s%s\n", d->bd.name, d->model,
            (uint32_t)(d->bd.nsect > 0xFFFFFFFF ? 0xFFFFFFFF : d->bd.nsect),
            (uint32_t)(d->bd.nsect >> 11), d->lba48 ? "LBA48" : "LBA28",
            d->dma ? "DMA" : "PIO", ro ? ", read-only" : "");
    if (blk_register(&d->bd) < 0)
        kprintf("KLOS: %s: the block-device table is full\n", d->bd.name);
    else
        c->used = 1;
}

/* ata=off: no ATA driver; ata=pio: no DMA; ata=ro: the disks read-only
 * (comma-separated, ata=pio,ro).  The test kernel's atatest=lba48 sends
 * every command as LBA48 where the disk has it. */
void ata_init(void)
{
    if (cmdline_listed("ata", "off"))
        return;
    int want_dma = !cmdline_listed("ata", "pio"), ro = cmdline_listed("ata", "ro");
    force_lba48 = test_listed("atatest", "lba48");
    force_poll = test_listed("atatest", "poll");
    static const uint16_t legacy[2][3] = { { 0x1F0, 0x3F6, 14 }, { 0x170, 0x376, 15 } };
    struct pci_fn *f = pci_find_class(0x01, 0x01, 0);
    uint32_t bar4 = f && f->bar[4].io && f->bar[4].size >= 16 && (f->progif & 0x80)
                        ? f->bar[4].base : 0;
    for (int i = 0; i < 2; i++) {
        struct chan *c = &chans[i];
        snformat(c->name, sizeof c->name, "ide%d", i);
        list_init(&c->lockq);
        c->prd = prd_tab[i];
        c->bounce = bounce[i];
        c->base = legacy[i][0];
        c->ctl = legacy[i][1];
        c->irq = legacy[i][2];
        if (f && (f->progif & (1 << (2 * i)))) {        /* native mode: the BARs, a PCI IRQ */
            struct pci_bar *cb = &f->bar[2 * i], *kb = &f->bar[2 * i + 1];
            if (!cb->io || !kb->io || !cb->base || !kb->base) {
                kprintf("KLOS: %s: native mode without I/O BARs: not used\n", c->name);
                continue;
            }
            c->base = cb->base;
            c->ctl = kb->base + 2;
            c->irq = f->irq_line && f->irq_line < 16 ? f->irq_line : -1;
        }
        c->bm = bar4 ? bar4 + 8 * i : 0;
        if (altstatus(c) == 0xFF) {
            kprintf("KLOS: %s: no controller (the bus floats)\n", c->name);
            continue;
        }
        chan_reset(c);              /* both devices: signatures back, interrupts off (polled) */
        probe(c, 0, want_dma, ro);
        probe(c, 1, want_dma, ro);
    }
    int dma = 0;
    for (int i = 0; i < 4; i++)
        dma |= disks[i].dma;
    if (f)
        pci_claim(f, dma);                      /* bus mastering on only if we use it */
    for (int i = 0; i < 2; i++) {
        struct chan *c = &chans[i];
        if (c->irq < 0 || !c->used)
            continue;
        event_hook(VEC_IRQ0 + c->irq, on_irq);
        rd(c, R_STATUS);                        /* drop an interrupt pending from the probe */
        control(c, 0);
        pic_unmask(c->irq);
    }
    sleep_ok = 1;
}
