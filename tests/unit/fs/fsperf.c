/* Instruction counts of the file system core's hot paths, for
 * tools/bench/fsperf.sh: the core is built for i686 with the OS's flags and run
 * under callgrind (x86), which counts the instructions of each measured
 * loop (CALLGRIND_TOGGLE_COLLECT) and dumps them (one dump per row).  The
 * block cache is warm; the memory device stands in for the disk.  What the
 * OS adds (the Design B service call, copy_to_app) is not in these rows.
 *
 *   fsperf IMAGE [ITER] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <valgrind/callgrind.h>
#include "fs/fs.h"
#include "fshost.h"

static struct fs *fs;

static void row(const char *name, int iter, void (*op)(int))
{
    op(-1);                             /* warm */
    CALLGRIND_ZERO_STATS;
    CALLGRIND_TOGGLE_COLLECT;
    for (int i = 0; i < iter; i++)
        op(i);
    CALLGRIND_TOGGLE_COLLECT;
    char dump[80];
    snprintf(dump, sizeof dump, "%s %d", name, iter);
    CALLGRIND_DUMP_STATS_AT(dump);
}

static struct inode *held;
static char byte;

static void op_read1(int i)
{
    (void)i;
    fs_read(held, 100, &byte, 1);
}

static void op_open_close(int i)
{
    struct inode *ip;
    (void)i;
    if (fs_open(fs, 0, "/dir/file5", O_RDONLY, 0, &ip) == 0)
        fs_iput(ip);
}

static void op_stat(int i)
{
    struct klos_stat st;
    (void)i;
    fs_stat(fs, 0, "/dir/file5", &st);
}

static void op_create_delete(int i)
{
    struct inode *ip;
    char p[40];
    snprintf(p, sizeof p, "/dir/new%d", i < 0 ? 99999 : i);
    if (fs_open(fs, 0, p, O_WRONLY | O_CREAT | O_EXCL, 0644, &ip) == 0)
        fs_iput(ip);
    fs_unlink(fs, 0, p);
}

static void op_write1(int i)
{
    (void)i;
    fs_write(held, 200, "x", 1);
}

int main(int argc, char **argv)
{
    int iter = argc > 2 ? atoi(argv[2]) : 200;
    struct blkdev *d = memdev_load(argv[1]);
    if (!d || fs_mount(d, 0, 8192, &fs) < 0) {
        fprintf(stderr, "fsperf: cannot mount %s\n", argv[1]);
        return 1;
    }
    if (fs_open(fs, 0, "/dir/file5", O_RDWR, 0, &held) < 0)
        return 1;
    row("read-1-byte-cached", iter, op_read1);
    row("open-close", iter, op_open_close);
    row("stat", iter, op_stat);
    row("create-delete-empty", iter, op_create_delete);
    row("write-1-byte-cached", iter, op_write1);
    fs_iput(held);
    fs_umount(fs);
    return 0;
}
