/* The OS's one file system: which disk it is, mounted at boot, committed
 * in the background, unmounted at the end.
 *
 * Never harm a disk that is not KLOS's: on a PC the driver finds the
 * owner's own disks too.  So the OS mounts only an ext2/ext3 file system
 * labelled KLOS (mke2fs -L KLOS, as make disk does), unless the command
 * line names the device itself (root=ata0), or the disk is the RAM disk the
 * command line brought in (disk=NAME).  Nothing else is ever written.
 *
 * Every call into the core holds fslock (the core assumes one caller; a
 * disk driver may block inside a call).  Changes are grouped into the
 * running transaction and made durable by fsync, by a full journal, or at
 * the latest COMMIT_TICKS after the first change: process 0, the OS's own
 * thread, does that commit and the deferred closes (root_background). */
#include "os.h"
#include "machine.h"
#include "klos_fs.h"
#include "mm/frame.h"
#include "sched/proc.h"
#include "sched/sched.h"
#include "proc/sleeplock.h"
#include "drivers/blkdev.h"
#include "drivers/timer.h"
#include "fs/fs.h"
#include "fs/fsenv.h"
#include "fs/root.h"

#define COMMIT_TICKS (5 * TIMER_HZ)     /* ext3's default commit interval */
#define EXT2_MAGIC 0xEF53

struct fs *rootfs;
struct sleeplock fslock;
static int commit_armed;

/* Is d an ext2 file system labelled KLOS?  Its superblock is 1024 bytes in:
 * s_magic at 56, s_volume_name (16 bytes) at 120. */
static int labelled_klos(struct blkdev *d)
{
    static uint8_t sb[1024] __attribute__((aligned(4)));
    if (d->nsect < 4 || d->read(d, 2, 2, sb) < 0)
        return 0;
    return (sb[56] | sb[57] << 8) == EXT2_MAGIC && !memcmp(sb + 120, "KLOS", 5);
}

static struct blkdev *choose(void)
{
    const char *want = cmdline_get("root");
    if (want) {
        struct blkdev *d = blk_find(want);
        if (!d)
            kprintf("KLOS: fs: root=%s: no such block device\n", want);
        return d;
    }
    if (cmdline_get("disk") && blk_find("ram0"))
        return blk_find("ram0");
    for (int i = 0; blk_get(i); i++)
        if (labelled_klos(blk_get(i)))
            return blk_get(i);
    return 0;
}

/* A twentieth of the free memory for the block cache, between 256 KiB and
 * 16 MiB. */
static uint32_t cache_kib(void)
{
    uint32_t kib = frame_free_count() * 4 / 20;
    return kib < 256 ? 256 : kib > 16384 ? 16384 : kib;
}

void root_init(void)
{
    sleeplock_init(&fslock);
    fs_clock_init();
    struct blkdev *d = choose();
    if (!d) {
        kprintf("KLOS: fs: no disk with a file system labelled KLOS: no files this time "
                "(root=DEVICE names one)\n");
        return;
    }
    sleep_lock(&fslock);
    int r = fs_mount(d, 0, cache_kib(), &rootfs);
    sleep_unlock(&fslock);
    if (r < 0) {
        kprintf("KLOS: fs: %s not mounted (error %d): no files this time\n", d->name, r);
        rootfs = 0;
        return;
    }
    struct klos_statfs st;
    fs_statfs(rootfs, &st);
    kprintf("KLOS: fs: %s mounted on /: ext3, %u-byte blocks, %u of %u free%s\n", d->name,
            st.f_bsize, (uint32_t)st.f_bfree, (uint32_t)st.f_blocks,
            st.f_flags & KLOS_ST_RDONLY ? ", read-only" : "");
}

/* After every call that may have changed the file system: the commit comes
 * at the latest COMMIT_TICKS from now (process 0 is woken for it). */
void root_changed(void)
{
    if (!commit_armed && rootfs && fs_pending(rootfs)) {
        commit_armed = 1;
        sched_timeout(&procs[0], COMMIT_TICKS);
    }
}

/* Process 0's part, where waiting is allowed: what is due. */
void root_background(void (*closes)(void))
{
    if (!rootfs)
        return;
    sleep_lock(&fslock);
    closes();
    if (commit_armed) {
        commit_armed = 0;
        int r = fs_commit(rootfs);
        if (r < 0)
            kprintf("KLOS: fs: commit failed (error %d)\n", r);
    }
    sleep_unlock(&fslock);
    root_changed();                     /* the closes may have changed it again */
}

void root_shutdown(void (*closes)(void))
{
    if (!rootfs)
        return;
    sleep_lock(&fslock);
    closes();
    int r = fs_umount(rootfs);
    sleep_unlock(&fslock);
    if (r < 0)
        kprintf("KLOS: fs: unmount failed (error %d)\n", r);
    else
        kprintf("KLOS: fs: unmounted, every change on the disk\n");
    rootfs = 0;
}
