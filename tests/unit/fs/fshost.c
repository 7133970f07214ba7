/* Host support for the file system tests (fshost.h). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdarg.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "fshost.h"
#include "fs/fsenv.h"
#include "klos_errno.h"

/* ---- environment ---- */
#define LOGKEEP 64
static char logs[LOGKEEP][256];
static int nlogs;
int fsh_fault_after;
long fsh_pages;

void *fs_page_alloc(void)
{
    void *p = aligned_alloc(4096, 4096);
    if (p) {
        memset(p, 0, 4096);
        fsh_pages++;
    }
    return p;
}

void fs_page_free(void *p)
{
    fsh_pages--;
    free(p);
}

uint32_t fs_now(void)
{
    return (uint32_t)time(0);
}

void fs_log(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(logs[nlogs % LOGKEEP], sizeof logs[0], fmt, ap);
    va_end(ap);
    if (getenv("FS_VERBOSE"))
        fprintf(stderr, "  [fs] %s\n", logs[nlogs % LOGKEEP]);
    nlogs++;
}

void fsh_log_clear(void)
{
    nlogs = 0;
}

int fsh_logged(const char *s)
{
    for (int i = 0; i < nlogs && i < LOGKEEP; i++)
        if (strstr(logs[i], s))
            return 1;
    return 0;
}

const char *fsh_last_log(void)
{
    return nlogs ? logs[(nlogs - 1) % LOGKEEP] : "";
}

static int fault_now(void)
{
    return fsh_fault_after > 0 && --fsh_fault_after == 0;
}

int fs_copy_out(void *dst, const void *src, uint32_t n)
{
    if (fault_now())
        return -EFAULT;
    memcpy(dst, src, n);
    return 0;
}

int fs_copy_in(void *dst, const void *src, uint32_t n)
{
    if (fault_now())
        return -EFAULT;
    memcpy(dst, src, n);
    return 0;
}

/* ---- memory device ---- */
struct memdev {
    struct blkdev dev;
    uint8_t *data;
    uint64_t size;
};
int memdev_fail_writes;

static int range_ok(struct blkdev *d, uint64_t lba, uint32_t n)
{
    return lba <= d->nsect && n <= d->nsect - lba;
}

static int mem_read(struct blkdev *d, uint64_t lba, uint32_t n, void *buf)
{
    struct memdev *m = d->priv;
    if (!range_ok(d, lba, n))
        return -EINVAL;
    memcpy(buf, m->data + lba * 512, (size_t)n * 512);
    return 0;
}

static int mem_write(struct blkdev *d, uint64_t lba, uint32_t n, const void *buf)
{
    struct memdev *m = d->priv;
    if (!range_ok(d, lba, n))
        return -EINVAL;
    if (d->readonly)
        return -EROFS;
    if (memdev_fail_writes > 0 && --memdev_fail_writes == 0) {
        memdev_fail_writes = -1;        /* and every one after */
        return -EIO;
    }
    if (memdev_fail_writes < 0)
        return -EIO;
    memcpy(m->data + lba * 512, buf, (size_t)n * 512);
    return 0;
}

static int mem_flush(struct blkdev *d)
{
    (void)d;
    return memdev_fail_writes < 0 ? -EIO : 0;
}

struct blkdev *memdev_new(uint64_t bytes)
{
    struct memdev *m = calloc(1, sizeof *m);
    m->data = calloc(1, bytes);
    m->size = bytes;
    snprintf(m->dev.name, sizeof m->dev.name, "mem0");
    m->dev.nsect = bytes / 512;
    m->dev.read = mem_read;
    m->dev.write = mem_write;
    m->dev.flush = mem_flush;
    m->dev.priv = m;
    return &m->dev;
}

struct blkdev *memdev_from(const uint8_t *data, uint64_t bytes)
{
    struct blkdev *d = memdev_new(bytes);
    memcpy(memdev_data(d), data, bytes);
    return d;
}

struct blkdev *memdev_load(const char *path)
{
    size_t len;
    char *p = read_file(path, &len);
    if (!p)
        return 0;
    struct blkdev *d = memdev_from((uint8_t *)p, len);
    free(p);
    return d;
}

uint8_t *memdev_data(struct blkdev *d)
{
    return ((struct memdev *)d->priv)->data;
}

uint64_t memdev_size(struct blkdev *d)
{
    return ((struct memdev *)d->priv)->size;
}

int memdev_save(struct blkdev *d, const char *path)
{
    struct memdev *m = d->priv;
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t w = fwrite(m->data, 1, m->size, f);
    fclose(f);
    return w == m->size ? 0 : -1;
}

void memdev_free(struct blkdev *d)
{
    struct memdev *m = d->priv;
    free(m->data);
    free(m);
}

/* ---- file device ---- */
struct filedev {
    struct blkdev dev;
    int fd;
};

static int file_read(struct blkdev *d, uint64_t lba, uint32_t n, void *buf)
{
    struct filedev *f = d->priv;
    if (!range_ok(d, lba, n))
        return -EINVAL;
    return pread(f->fd, buf, (size_t)n * 512, (off_t)lba * 512) == (ssize_t)n * 512 ? 0 : -EIO;
}

static int file_write(struct blkdev *d, uint64_t lba, uint32_t n, const void *buf)
{
    struct filedev *f = d->priv;
    if (!range_ok(d, lba, n))
        return -EINVAL;
    if (d->readonly)
        return -EROFS;
    return pwrite(f->fd, buf, (size_t)n * 512, (off_t)lba * 512) == (ssize_t)n * 512 ? 0 : -EIO;
}

static int file_flush(struct blkdev *d)
{
    struct filedev *f = d->priv;
    return fdatasync(f->fd) == 0 ? 0 : -EIO;
}

struct blkdev *filedev_open(const char *path, int readonly)
{
    int fd = open(path, readonly ? O_RDONLY : O_RDWR);
    if (fd < 0)
        return 0;
    struct stat st;
    fstat(fd, &st);
    struct filedev *f = calloc(1, sizeof *f);
    f->fd = fd;
    snprintf(f->dev.name, sizeof f->dev.name, "file0");
    f->dev.nsect = (uint64_t)st.st_size / 512;
    f->dev.readonly = readonly;
    f->dev.read = file_read;
    f->dev.write = file_write;
    f->dev.flush = file_flush;
    f->dev.priv = f;
    return &f->dev;
}

void filedev_close(struct blkdev *d)
{
    struct filedev *f = d->priv;
    close(f->fd);
    free(f);
}

/* ---- recording device ---- */
struct recdev {
    struct blkdev dev;
    struct blkdev *inner;
    struct wlog *log;
};
int (*recdev_check)(uint64_t lba, uint32_t nsect, const void *data);

static struct wlog_entry *wlog_add(struct wlog *l)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 1024;
        l->e = realloc(l->e, l->cap * sizeof *l->e);
    }
    memset(&l->e[l->n], 0, sizeof l->e[0]);
    return &l->e[l->n++];
}

static int rec_read(struct blkdev *d, uint64_t lba, uint32_t n, void *buf)
{
    struct recdev *r = d->priv;
    return r->inner->read(r->inner, lba, n, buf);
}

static int rec_write(struct blkdev *d, uint64_t lba, uint32_t n, const void *buf)
{
    struct recdev *r = d->priv;
    if (recdev_check && recdev_check(lba, n, buf))
        fprintf(stderr, "recdev: write of %u sectors at %llu flagged\n", n, (unsigned long long)lba);
    int res = r->inner->write(r->inner, lba, n, buf);
    if (res == 0) {
        struct wlog_entry *e = wlog_add(r->log);
        e->lba = lba;
        e->nsect = n;
        e->data = malloc((size_t)n * 512);
        memcpy(e->data, buf, (size_t)n * 512);
    }
    return res;
}

static int rec_flush(struct blkdev *d)
{
    struct recdev *r = d->priv;
    int res = r->inner->flush(r->inner);
    if (res == 0)
        wlog_add(r->log)->flush = 1;
    return res;
}

struct blkdev *recdev_new(struct blkdev *inner, struct wlog *log)
{
    struct recdev *r = calloc(1, sizeof *r);
    r->inner = inner;
    r->log = log;
    snprintf(r->dev.name, sizeof r->dev.name, "rec0");
    r->dev.nsect = inner->nsect;
    r->dev.readonly = inner->readonly;
    r->dev.read = rec_read;
    r->dev.write = rec_write;
    r->dev.flush = rec_flush;
    r->dev.priv = r;
    return &r->dev;
}

void recdev_free(struct blkdev *d)
{
    free(d->priv);
}

void wlog_free(struct wlog *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->e[i].data);
    free(l->e);
    memset(l, 0, sizeof *l);
}

/* ---- dm-log-writes ---- */
#define DM_MAGIC 0x6a736677736872ull
#define DM_FLUSH 1
#define DM_FUA 2
#define DM_DISCARD 4
#define DM_MARK 8

static void put64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> 8 * i);
}

static uint64_t get64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

int wlog_save_dm(const struct wlog *l, const char *path)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    uint8_t sec[512];
    memset(sec, 0, sizeof sec);
    put64(sec, DM_MAGIC);
    put64(sec + 8, 1);
    put64(sec + 16, l->n);
    sec[24] = 0x00;
    sec[25] = 0x02;                     /* le32 512 */
    fwrite(sec, 1, 512, f);
    for (size_t i = 0; i < l->n; i++) {
        memset(sec, 0, sizeof sec);
        put64(sec, l->e[i].flush ? 0 : l->e[i].lba);
        put64(sec + 8, l->e[i].nsect);
        put64(sec + 16, l->e[i].flush ? DM_FLUSH : 0);
        fwrite(sec, 1, 512, f);
        if (!l->e[i].flush)
            fwrite(l->e[i].data, 512, l->e[i].nsect, f);
    }
    return fclose(f) == 0 ? 0 : -1;
}

/* Reads entries to the end of the file, also past nr_entries (QEMU updates
 * the super only at a flush, so a log cut short has unsaved entries). */
int wlog_load_dm(struct wlog *l, const char *path, size_t *nr_super)
{
    size_t len;
    uint8_t *p = (uint8_t *)read_file(path, &len);
    if (!p || len < 512 || get64(p) != DM_MAGIC || get64(p + 8) != 1) {
        free(p);
        return -1;
    }
    uint32_t ss = (uint32_t)p[24] | (uint32_t)p[25] << 8 | (uint32_t)p[26] << 16 | (uint32_t)p[27] << 24;
    if (ss != 512) {
        free(p);
        return -1;
    }
    if (nr_super)
        *nr_super = (size_t)get64(p + 16);
    size_t off = 512;
    int n = 0;
    while (off + 512 <= len) {
        uint64_t sector = get64(p + off), nr = get64(p + off + 8), flags = get64(p + off + 16);
        if (flags & ~(uint64_t)(DM_FLUSH | DM_FUA | DM_DISCARD | DM_MARK))
            break;
        off += 512;
        int has_data = !(flags & (DM_DISCARD | DM_MARK));
        if (has_data && (nr > (len - off) / 512))
            break;                      /* cut short mid-entry */
        if (nr) {
            if (has_data) {
                struct wlog_entry *e = wlog_add(l);
                e->lba = sector;
                e->nsect = (uint32_t)nr;
                e->data = malloc(nr * 512);
                memcpy(e->data, p + off, nr * 512);
                off += nr * 512;
            }
            /* a discard or mark carries no data: nothing to replay */
        }
        if (flags & (DM_FLUSH | DM_FUA))
            wlog_add(l)->flush = 1;
        n++;
    }
    free(p);
    return n;
}

/* ---- e2fsprogs and files ---- */
int run_cmd(const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 255;
}

int e2fsck_clean(const char *img)
{
    return run_cmd("e2fsck -fn %s >%s.fsck 2>&1", img, img) == 0;
}

int mkimage(const char *img, const char *dir, int bsize, int size_kib)
{
    return run_cmd("rm -f %s; mke2fs -q -F -t ext3 -b %d %s%s -L KLOS %s %dk >/dev/null 2>&1", img, bsize,
                   dir ? "-d " : "", dir ? dir : "", img, size_kib);
}

char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = malloc((size_t)n + 1);
    size_t got = fread(p, 1, (size_t)n, f);
    fclose(f);
    p[got] = 0;
    if (len)
        *len = got;
    return p;
}

const char *tmp_dir(void)
{
    static char dir[256];
    if (!dir[0]) {
        const char *base = getenv("FS_TMP") ? getenv("FS_TMP") : "/tmp";
        snprintf(dir, sizeof dir, "%s/klosfs.%d", base, (int)getpid());
        run_cmd("rm -rf %s; mkdir -p %s", dir, dir);
    }
    return dir;
}

/* Under AddressSanitizer: the tests' own trees and logs are not freed on
 * every path; the core's pages are counted instead (fsh_pages).  A
 * sanitizer's report exits with 99, which no test uses otherwise (the
 * fuzzer counts it as a crash). */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "detect_leaks=0:exitcode=99";
}

const char *__ubsan_default_options(void);
const char *__ubsan_default_options(void)
{
    return "halt_on_error=1:exitcode=99:print_stacktrace=1";
}
