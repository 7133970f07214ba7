/* A RAM disk: the GRUB module named by disk=NAME (disk=NAME,ro: read-only),
 * read and written in place through the direct map.  This is how files reach
 * a PC booted from a USB stick, where no disk driver reaches the stick.  The
 * module is not run as an app (os/main.c skips it); what is written lives
 * until the machine stops. */
#include "os.h"
#include "machine.h"
#include "klos_errno.h"
#include "proc/module.h"
#include "drivers/blkdrv.h"

static struct blkdev ram;
static uint8_t *base;

static int ram_read(struct blkdev *d, uint64_t lba, uint32_t count, void *buf)
{
    int r = blk_check(d, lba, count, 0);
    if (r == 0)
        memcpy(buf, base + lba * BLK_SECTOR, (size_t)count * BLK_SECTOR);
    return r;
}

static int ram_write(struct blkdev *d, uint64_t lba, uint32_t count, const void *buf)
{
    int r = blk_check(d, lba, count, 1);
    if (r == 0)
        memcpy(base + lba * BLK_SECTOR, buf, (size_t)count * BLK_SECTOR);
    return r;
}

static int ram_flush(struct blkdev *d)
{
    (void)d;
    return 0;
}

void ramdisk_init(void)
{
    const char *v = cmdline_get("disk");
    if (!v || !*v)
        return;
    char name[32];
    int n = 0;
    while (v[n] && v[n] != ',' && n < (int)sizeof name - 1) {
        name[n] = v[n];
        n++;
    }
    name[n] = 0;
    struct module *m = module_find(name);
    if (!m) {
        kprintf("KLOS: disk=%s: no module of that name: no RAM disk\n", name);
        return;
    }
    if (m->end > DIRECTMAP_MAX || m->end - m->start < BLK_SECTOR) {
        kprintf("KLOS: disk=%s: the module is %s: no RAM disk\n", name,
                m->end > DIRECTMAP_MAX ? "above the memory the OS maps" : "smaller than a sector");
        return;
    }
    base = P2V(m->start);
    strncpy(ram.name, "ram0", sizeof ram.name);
    ram.nsect = (m->end - m->start) / BLK_SECTOR;
    ram.readonly = cmdline_listed("disk", "ro");
    ram.read = ram_read;
    ram.write = ram_write;
    ram.flush = ram_flush;
    if (blk_register(&ram) < 0)
        return;
    kprintf("KLOS: ram0: module %s, %u sectors (%u KiB)%s\n", name, (uint32_t)ram.nsect,
            (uint32_t)(ram.nsect / 2), ram.readonly ? ", read-only" : "");
}
