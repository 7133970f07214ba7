/* Host support for the file system tests: the core's environment (fsenv.h)
 * with libc, block devices (a file, an image in memory, a recording
 * wrapper that logs every write and flush in order), the dm-log-writes
 * format (what QEMU's blklogwrites driver writes) and helpers that run
 * e2fsprogs. */
#ifndef FSHOST_H
#define FSHOST_H
#include <stdint.h>
#include <stddef.h>
#include "drivers/blkdev.h"

/* environment: log lines are kept (fsh_logged) and echoed when FS_VERBOSE is set */
void fsh_log_clear(void);
int fsh_logged(const char *substr);     /* some line since the last clear holds substr */
const char *fsh_last_log(void);
extern int fsh_fault_after;             /* > 0: the n-th fs_copy_* from now on fails (-EFAULT) */
extern long fsh_pages;                  /* pages allocated and not freed */

/* an image in memory */
struct blkdev *memdev_new(uint64_t bytes);
struct blkdev *memdev_load(const char *path);          /* 0 on error */
struct blkdev *memdev_from(const uint8_t *data, uint64_t bytes);
uint8_t *memdev_data(struct blkdev *d);
uint64_t memdev_size(struct blkdev *d);
int memdev_save(struct blkdev *d, const char *path);
void memdev_free(struct blkdev *d);
extern int memdev_fail_writes;          /* > 0: writes fail with -EIO after this many more */

/* a file, read and written in place (pread/pwrite, flush = fdatasync) */
struct blkdev *filedev_open(const char *path, int readonly);
void filedev_close(struct blkdev *d);

/* the recording device: passes everything to inner and logs writes and flushes */
struct wlog_entry {
    uint64_t lba;
    uint32_t nsect;             /* 0 with flush */
    int flush;
    uint8_t *data;              /* nsect * 512 bytes */
};
struct wlog {
    struct wlog_entry *e;
    size_t n, cap;
};
struct blkdev *recdev_new(struct blkdev *inner, struct wlog *log);
void recdev_free(struct blkdev *d);
/* an optional check of every write: returns nonzero to flag it */
extern int (*recdev_check)(uint64_t lba, uint32_t nsect, const void *data);
void wlog_free(struct wlog *log);

/* dm-log-writes (Linux drivers/md/dm-log-writes.c, QEMU block/blklogwrites.c):
 * sector 0 a super {le64 magic, version, nr_entries; le32 sectorsize}, then
 * per entry one sector {le64 sector, nr_sectors, flags, data_len} followed by
 * the data sectors (none for a flush or discard). */
int wlog_save_dm(const struct wlog *log, const char *path);
int wlog_load_dm(struct wlog *log, const char *path, size_t *nr_super);  /* entries read, or -1 */

/* e2fsprogs */
int run_cmd(const char *fmt, ...) __attribute__((format(printf, 1, 2)));   /* exit status */
int e2fsck_clean(const char *img);      /* e2fsck -fn: 1 when it exits 0 */
int mkimage(const char *img, const char *dir, int bsize, int size_kib);   /* mke2fs -t ext3 -d */
char *read_file(const char *path, size_t *len);   /* malloc'd, 0 when missing */
const char *tmp_dir(void);              /* a fresh directory for this process */

/* a seeded PRNG */
static inline uint32_t rnd_next(uint64_t *s)
{
    *s = *s * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(*s >> 33);
}
#endif
