/* test=blk: every registered block device (ata0..3, ram0) read and written
 * against the pattern the host wrote into its image (tests/blkpattern.h,
 * tests/run.py's disks=).  Writes go only to a disk whose sector 0 carries
 * the pattern (a test image), and only to its scratch range.
 *
 * atatest= (comma-separated, test kernel): lba48 (every command as LBA48),
 * eio (blkdebug injects a read error at BLKPAT_ERR_READ and a write error at
 * BLKPAT_ERR_WRITE, once each), deaf (the driver drops the next IRQ: a dead
 * device), threads (three OS threads read at once: the channel lock), poll
 * (the driver never sleeps: what it does where it cannot block). */
#include "os.h"
#include "ecshared.h"
#include "machine.h"
#include "klos_errno.h"
#include "sched/proc.h"
#include "sched/sched.h"
#include "mm/vm.h"
#include "drivers/blkdev.h"
#include "drivers/blkdrv.h"
#include "../../tests/blkpattern.h"

#define NBUF 300
static uint8_t buf[NBUF * BLK_SECTOR + 4] __attribute__((aligned(4)));
static uint32_t nread, nwritten, nwrong;

static int want(uint64_t lba, int i, int inverted)
{
    return blkpat(lba, i) ^ (inverted ? 0xFF : 0);
}

/* Sectors [lba, lba+n) of p hold the pattern (inverted: what test=blk wrote). */
static int check(const uint8_t *p, uint64_t lba, uint32_t n, int inverted)
{
    int bad = 0;
    for (uint32_t s = 0; s < n; s++)
        for (int i = 0; i < BLK_SECTOR; i++)
            if (p[s * BLK_SECTOR + i] != want(lba + s, i, inverted)) {
                if (!bad++)
                    kprintf("blk: sector %u byte %d is %x, not %x\n", (uint32_t)(lba + s), i,
                            p[s * BLK_SECTOR + i], want(lba + s, i, inverted));
                break;
            }
    nwrong += bad;
    return !bad;
}

static int rd(struct blkdev *d, uint64_t lba, uint32_t n, uint8_t *p)
{
    memset(p, 0xEE, n * BLK_SECTOR);
    int r = d->read(d, lba, n, p);
    if (r == 0)
        nread += n;
    return r;
}

/* Reads of the host's pattern, of sizes that cross the driver's 128-sector
 * commands, into an aligned and an odd buffer (DMA straight, or bounced). */
static int reads(struct blkdev *d)
{
    static const struct { uint32_t lba, n; } r[] = {
        { 0, 1 }, { 1, 7 }, { 8, 64 }, { 100, 200 }, { 1000, 257 }, { 2047, 1 }, { 127, 2 },
    };
    int ok = 1;
    for (unsigned k = 0; k < sizeof r / sizeof r[0]; k++) {
        uint8_t *p = k & 1 ? buf + 1 : buf;
        int e = rd(d, r[k].lba, r[k].n, p);
        if (e < 0 || !check(p, r[k].lba, r[k].n, 0)) {
            kprintf("blk: %s: read %u+%u: %d: WRONG\n", d->name, r[k].lba, r[k].n, e);
            ok = 0;
        }
    }
    return ok;
}

static void fill(uint8_t *p, uint64_t lba, uint32_t n)
{
    for (uint32_t s = 0; s < n; s++)
        for (int i = 0; i < BLK_SECTOR; i++)
            p[s * BLK_SECTOR + i] = want(lba + s, i, 1);
}

/* Write the inverted pattern at [lba, lba+n), flush, read it back. */
static int write_back(struct blkdev *d, uint64_t lba, uint32_t n, int odd)
{
    uint8_t *p = odd ? buf + 1 : buf;
    fill(p, lba, n);
    int w = d->write(d, lba, n, p), f = d->flush(d);
    if (w == 0)
        nwritten += n;
    int r = rd(d, lba, n, buf + 2);
    int ok = w == 0 && f == 0 && r == 0 && check(buf + 2, lba, n, 1);
    if (!ok)
        kprintf("blk: %s: write %u+%u: write %d flush %d read %d: WRONG\n", d->name, (uint32_t)lba,
                n, w, f, r);
    return ok;
}

/* Ranges past the end, and counts that would wrap, are refused untouched. */
static int bounds(struct blkdev *d)
{
    uint64_t n = d->nsect;
    int a = d->read(d, n, 1, buf), b = d->read(d, n - 1, 2, buf), c = d->write(d, n - 1, 2, buf),
        e = d->read(d, ~0ull, 1, buf), f = d->write(d, n - 4, 0xFFFFFFFF, buf),
        g = d->read(d, n - 1, 1, buf), h = d->read(d, 0, 0, buf);
    int ok = a == -EINVAL && b == -EINVAL && c == -EINVAL && e == -EINVAL && f == -EINVAL &&
             g == 0 && h == 0;
    kprintf("blk: %s: past the end %d %d, write past %d, lba ~0 %d, count ~0 %d; last %d, "
            "none %d: %s\n", d->name, a, b, c, e, f, g, h, ok ? "refused" : "WRONG");
    return ok;
}

/* blkdebug: one read and one write error, each once (atatest=eio). */
static int injected(struct blkdev *d)
{
    int r1 = rd(d, BLKPAT_ERR_READ, 1, buf), r2 = rd(d, BLKPAT_ERR_READ, 1, buf);
    fill(buf, BLKPAT_ERR_WRITE, 1);
    int w1 = d->write(d, BLKPAT_ERR_WRITE, 1, buf), w2 = d->write(d, BLKPAT_ERR_WRITE, 1, buf);
    int ok = r1 == -EIO && r2 == 0 && w1 == -EIO && w2 == 0 &&
             write_back(d, BLKPAT_ERR_WRITE, 1, 0) && reads(d);
    kprintf("blk: %s: injected read error: %d, again: %d; write error: %d, again: %d; the disk "
            "works on: %s\n", d->name, r1, r2, w1, w2, ok ? "ok" : "WRONG");
    return ok;
}

/* A device that never answers (atatest=deaf: the driver drops the IRQ). */
static int deaf(struct blkdev *d)
{
    ata_deaf = 1;
    uint32_t t0 = ticks;
    int r = rd(d, 5, 1, buf);
    uint32_t waited = ticks - t0;
    ata_deaf = 0;
    int again = rd(d, 5, 1, buf);
    int ok = r == -EIO && waited >= 400 && again == 0 && check(buf, 5, 1, 0);
    kprintf("blk: %s: no IRQ: %d after %u ticks, then %d: %s\n", d->name, r, waited, again,
            ok ? "ok" : "WRONG");
    return ok;
}

/* ---- three OS threads on one channel: the sleep lock ------------------- */
static struct blkdev *tdev;
static volatile int tdone, tbad;
static uint8_t tstack[3][4096] __attribute__((aligned(16)));
static uint8_t tbuf[3][64 * BLK_SECTOR] __attribute__((aligned(4)));

static void reader(int k)
{
    for (int round = 0; round < 20; round++) {
        uint32_t lba = (k * 300 + round * 37) % (BLKPAT_FILL - 64), n = 1 + (round * 7 + k) % 64;
        if (tdev->read(tdev, lba, n, tbuf[k]) < 0 || !check(tbuf[k], lba, n, 0))
            tbad++;
        else
            nread += n;
    }
    tdone++;
    for (;;)
        sched_block(W_SLEEP, 0);                /* the test ends the machine */
}

/* An OS thread: a proc whose context is OS code (DS = DSOS), in the kernel's
 * address space, on its own stack.  It is never preempted (it is always in
 * OS code) and runs until it blocks. */
static void os_thread(void (*fn)(int), int arg)
{
    for (int i = 2; i < NPROC; i++)
        if (procs[i].state == P_FREE) {
            struct proc *p = &procs[i];
            memset(p, 0, sizeof *p);
            proc_links_init(p);
            p->pid = 9000 + i;
            snformat(p->name, sizeof p->name, "blk.t%d", arg);
            p->leader = p;
            p->pd = vm_kernel();
            p->pd_pa = V2P(vm_kernel());
            memcpy(p->fpu, fpu_init_state, sizeof p->fpu);
            uint32_t *sp = (uint32_t *)(tstack[arg] + sizeof tstack[arg]);
            *--sp = arg;
            *--sp = 0;                          /* fn never returns */
            p->tf.eip = (uint32_t)fn;
            p->tf.esp = (uint32_t)sp;
            p->tf.cs = SEL_CSOS;
            p->tf.ds = p->tf.es = p->tf.ss = ecshared.dsos;
            p->tf.eflags = 0x202;
            sched_ready(p);
            return;
        }
}

static int threads(struct blkdev *d)
{
    struct ata_stats before = ata_stats;
    tdev = d;
    for (int k = 0; k < 3; k++)
        os_thread(reader, k);
    uint32_t t0 = ticks;
    while (tdone < 3 && ticks - t0 < 3000)
        sched_block(W_SLEEP, 1);
    uint32_t waits = ata_stats.lock_waits - before.lock_waits,
             sleeps = ata_stats.sleeps - before.sleeps;
    int ok = tdone == 3 && !tbad && sleeps > 0 && waits > 0;
    kprintf("blk: %s: 3 threads, 60 reads: %d done, %d wrong; %u waits for the channel, %u "
            "sleeps on the disk: %s\n", d->name, tdone, tbad, waits, sleeps, ok ? "ok" : "WRONG");
    return ok;
}

/* Writes and reads back around sector 2^28, where LBA28 ends (big images only). */
static int edge48(struct blkdev *d)
{
    int r = rd(d, BLKPAT_LBA48 - 4, 8, buf) == 0 && check(buf, BLKPAT_LBA48 - 4, 8, 0);
    int w = write_back(d, BLKPAT_LBA48 - 2, 4, 0);
    int w2 = write_back(d, BLKPAT_LBA48 - 1 - 127, 128, 0);         /* ends on 2^28 - 1: LBA28 */
    kprintf("blk: %s: around sector 2^28: read %s, write %s, up to 2^28-1 %s\n", d->name,
            r ? "ok" : "WRONG", w ? "ok" : "WRONG", w2 ? "ok" : "WRONG");
    return r && w && w2;
}

static int test_dev(struct blkdev *d)
{
    int ata = d->name[0] == 'a';
    kprintf("blk: %s: %u sectors%s\n", d->name, (uint32_t)d->nsect,
            d->readonly ? ", read-only" : "");
    if (rd(d, 0, 1, buf) < 0 || !check(buf, 0, 1, 0)) {
        kprintf("blk: %s: sector 0 is not the test pattern: not a test disk, left alone\n",
                d->name);
        return 0;
    }
    int ok = reads(d) && bounds(d);
    if (d->readonly) {
        int w = d->write(d, BLKPAT_WRITE, 1, buf);
        kprintf("blk: %s: write to a read-only device: %d: %s\n", d->name, w,
                w == -EROFS ? "refused" : "WRONG");
        ok = ok && w == -EROFS;
    } else {
        ok = write_back(d, BLKPAT_WRITE, BLKPAT_NWRITE, 0) && ok;
        ok = write_back(d, BLKPAT_WRITE + 7, 3, 1) && ok;
        if (d->nsect >= BLKPAT_LBA48 + BLKPAT_EDGE)
            ok = edge48(d) && ok;
        if (ata && test_listed("atatest", "eio"))
            ok = injected(d) && ok;
    }
    if (ata && test_listed("atatest", "deaf"))
        ok = deaf(d) && ok;
    if (ata && test_listed("atatest", "threads"))
        ok = threads(d) && ok;
    kprintf("blk: %s: %s\n", d->name, ok ? "ok" : "WRONG");
    return ok;
}

int t_blk(void)
{
    int ok = 1, n = 0;
    struct ata_stats s0 = ata_stats;
    for (int i = 0; blk_get(i); i++, n++)
        ok = test_dev(blk_get(i)) && ok;
    kprintf("blk: %d devices; %u sectors read, %u written, %u wrong; the ATA driver moved %u "
            "and %u, slept %u times on an IRQ, polled %u times\n", n, nread, nwritten, nwrong,
            ata_stats.read - s0.read, ata_stats.written - s0.written,
            ata_stats.sleeps - s0.sleeps, ata_stats.polls - s0.polls);
    return ok && n > 0;
}
