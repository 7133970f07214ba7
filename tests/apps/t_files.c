/* t_files: every file service on the disk the test attached (tests/boot/
 * files.py), each check one line "files: NAME ok" (or WRONG), then
 * "files: all ok".  The host then runs e2fsck -fn on the image and reads
 * every file back with debugfs (files.py knows the same contents: pat()).
 *
 * What to do the disk itself says, in /mode (the test made the image):
 *   (none)   the whole tour (an image made by mke2fs -d with /in)
 *   fill     write until the disk is full: ENOSPC, and nothing broken
 *   eio      read /in/big.bin on a disk that fails: EIO, the OS goes on
 *   cut SEED a seeded loop of creates, writes, appends, truncates, renames,
 *            unlinks and fsyncs until the test kills the emulator (a real
 *            power cut, files.py: cut tests): one line "cut: op N ..." before
 *            each call, "cut: synced N PATH size=S fnv=H" after an fsync
 *            returned; the host replays the lines into a model. */
#include "user.h"

static int wrong;
static char buf[65536], buf2[65536];

static void check(const char *name, int ok, int got)
{
    if (ok)
        printf("files: %s ok\n", name);
    else {
        printf("files: %s WRONG (%d)\n", name, got);
        wrong++;
    }
}

/* The bytes every file of this test holds: byte i of file k (files.py: pat). */
static uint8_t pat(uint32_t k, uint32_t i)
{
    return (uint8_t)(i * 7 + k * 13 + (i >> 8));
}

static void fill(uint8_t *b, uint32_t k, uint32_t from, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        b[i] = pat(k, from + i);
}

/* Write n bytes of pattern k at offset off of fd, in pieces; bytes written. */
static int put(int fd, uint32_t k, uint32_t off, uint32_t n)
{
    uint32_t done = 0;
    while (done < n) {
        uint32_t m = n - done < sizeof buf ? n - done : sizeof buf;
        fill((uint8_t *)buf, k, off + done, m);
        int w = write(fd, buf, m);
        if (w <= 0)
            return w < 0 ? w : (int)done;
        done += w;
    }
    return done;
}

/* Does fd hold pattern k from off for n bytes (read from where it is)? */
static int holds(int fd, uint32_t k, uint32_t off, uint32_t n)
{
    uint32_t done = 0;
    while (done < n) {
        uint32_t m = n - done < sizeof buf ? n - done : sizeof buf;
        int r = read(fd, buf, m);
        if (r <= 0)
            return 0;
        fill((uint8_t *)buf2, k, off + done, r);
        if (memcmp(buf, buf2, r))
            return 0;
        done += r;
    }
    return 1;
}

static uint32_t sum_file(const char *path, int *size)
{
    int fd = open(path, O_RDONLY), r;
    uint32_t h = 2166136261u;
    *size = 0;
    if (fd < 0)
        return 0;
    while ((r = read(fd, buf, sizeof buf)) > 0) {
        for (int i = 0; i < r; i++)
            h = (h ^ (uint8_t)buf[i]) * 16777619u;
        *size += r;
    }
    close(fd);
    return h;
}

static int count_dir(const char *path, int *dups)
{
    static uint8_t seen[1024];
    int fd = open(path, O_RDONLY | O_DIRECTORY), n, count = 0;
    memset(seen, 0, sizeof seen);
    *dups = 0;
    if (fd < 0)
        return fd;
    while ((n = getdents(fd, buf, sizeof buf)) > 0)
        for (int o = 0; o < n;) {
            struct klos_dirent *d = (struct klos_dirent *)(buf + o);
            o += d->d_reclen;
            if (d->d_name[0] != 'f')
                continue;
            int i = atoi(d->d_name + 1);
            if (i >= 0 && i < 1024 && seen[i]++)
                ++*dups;
            count++;
        }
    close(fd);
    return n < 0 ? n : count;
}

static void interop(void)
{
    /* what mke2fs -d put in, read back: sums the host compares (files.py) */
    static const char *const in[] = { "/in/small.txt", "/in/big.bin", "/in/sub/deep/x.bin", 0 };
    for (int i = 0; in[i]; i++) {
        int size;
        uint32_t h = sum_file(in[i], &size);
        printf("files: in %s size=%d fnv=%08x\n", in[i], size, h);
    }
    int dups, n = count_dir("/in/indexed", &dups);
    check("read-indexed-dir-500", n == 500 && !dups, n);
}

static void tour(void)
{
    struct klos_stat st;
    int fd, r;

    check("mkdir-out", mkdir("/out", 0755) == 0, 0);
    fd = open("/out/a", O_RDWR | O_CREAT | O_EXCL, 0644);
    r = put(fd, 1, 0, 100000);
    check("create-write", fd >= 3 && r == 100000, r);
    check("lseek-set", lseek(fd, 0, SEEK_SET) == 0, 0);
    check("read-back", holds(fd, 1, 0, 100000), 0);
    check("fstat-size", fstat(fd, &st) == 0 && st.st_size == 100000 && S_ISREG(st.st_mode),
          (int)st.st_size);
    check("close", close(fd) == 0 && close(fd) == -EBADF, 0);
    check("excl-exists", open("/out/a", O_RDWR | O_CREAT | O_EXCL, 0644) == -EEXIST, 0);

    fd = open("/out/a", O_WRONLY | O_APPEND);
    r = put(fd, 1, 100000, 5000);
    close(fd);
    check("append", r == 5000 && stat("/out/a", &st) == 0 && st.st_size == 105000,
          (int)st.st_size);

    fd = open("/out/a", O_RDWR);
    r = ftruncate(fd, 1000);
    int grow = ftruncate(fd, 9000);
    lseek(fd, 0, SEEK_SET);
    int ok = holds(fd, 1, 0, 1000);
    memset(buf2, 1, 8000);
    ok = ok && read(fd, buf2, 8000) == 8000;
    for (int i = 0; i < 8000; i++)
        ok = ok && buf2[i] == 0;
    close(fd);
    check("truncate-shrink-grow", r == 0 && grow == 0 && ok, r);

    fd = open("/out/r1", O_WRONLY | O_CREAT, 0644);
    put(fd, 2, 0, 3000);
    close(fd);
    fd = open("/out/r2", O_WRONLY | O_CREAT, 0644);
    put(fd, 3, 0, 7000);
    close(fd);
    r = rename("/out/r1", "/out/r2");
    fd = open("/out/r2", O_RDONLY);
    check("rename-over", r == 0 && stat("/out/r1", &st) == -ENOENT && holds(fd, 2, 0, 3000) &&
          read(fd, buf, 10) == 0, r);
    close(fd);

    fd = open("/out/u", O_RDWR | O_CREAT, 0644);
    put(fd, 4, 0, 20000);
    r = unlink("/out/u");
    lseek(fd, 0, SEEK_SET);
    check("unlink-open", r == 0 && stat("/out/u", &st) == -ENOENT && holds(fd, 4, 0, 20000), r);
    close(fd);

    r = mkdir("/out/d", 0755);
    fd = open("/out/d/f", O_WRONLY | O_CREAT, 0644);
    close(fd);
    check("rmdir-notempty", r == 0 && rmdir("/out/d") == -ENOTEMPTY, r);
    check("rmdir", unlink("/out/d/f") == 0 && rmdir("/out/d") == 0, 0);
    check("rmdir-file", rmdir("/out/a") == -ENOTDIR, 0);

    mkdir("/out/many", 0755);
    int made = 0;
    for (int i = 0; i < 1000; i++) {
        char name[32];
        snprintf(name, sizeof name, "/out/many/f%d", i);
        fd = open(name, O_WRONLY | O_CREAT, 0644);
        made += fd >= 0;
        close(fd);
    }
    int dups, n = count_dir("/out/many", &dups);
    check("getdents-1000", made == 1000 && n == 1000 && !dups, n);

    fd = open("/out/sparse", O_RDWR | O_CREAT, 0644);
    r = lseek(fd, 10 << 20, SEEK_SET);
    put(fd, 5, 10 << 20, 4096);
    lseek(fd, 5 << 20, SEEK_SET);
    ok = read(fd, buf, 4096) == 4096;
    for (int i = 0; i < 4096; i++)
        ok = ok && buf[i] == 0;
    check("sparse", r == 10 << 20 && ok && fstat(fd, &st) == 0 &&
          st.st_size == (10 << 20) + 4096 && st.st_blocks < 64, (int)st.st_blocks);
    close(fd);

    fd = open("/out/big", O_RDWR | O_CREAT | O_TRUNC, 0644);
    r = put(fd, 6, 0, 5 << 20);                         /* past 4 MiB + 48 KiB: double indirect */
    lseek(fd, 0, SEEK_SET);
    check("double-indirect", r == 5 << 20 && holds(fd, 6, 0, 5 << 20), r);
    check("fsync", fsync(fd) == 0, 0);
    close(fd);

    check("chdir-pwd", chdir("/out") == 0 && getcwd(buf, 100) == 4 && !strcmp(buf, "/out"), 0);
    check("relative", stat("a", &st) == 0 && st.st_size == 9000, (int)st.st_size);
    check("dotdot-at-root", chdir("../../../..") == 0 && getcwd(buf, 100) == 1 &&
          !strcmp(buf, "/"), 0);

    /* hostile arguments: errors, never a fault */
    memset(buf, 'x', 5000);
    buf[5000] = 0;
    check("path-too-long", open(buf, O_RDONLY) == -ENAMETOOLONG, 0);
    check("name-too-long", mkdir("/out/xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                                 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                                 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                                 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                                 "xxxxxxxxxx", 0755) == -ENAMETOOLONG, 0);
    check("os-pointer", open((char *)0x10001000, O_RDONLY) == -EFAULT &&
          stat("/out/a", (struct klos_stat *)0x10001000) == -EFAULT, 0);
    fd = open("/out/a", O_RDONLY);
    check("huge-length", read(fd, (void *)0xD0000000, 0x2FFFFFFF) == -EFAULT &&
          read(fd, buf, -1) == -EINVAL && write(fd, buf, 10) == -EBADF, 0);
    check("wrapping-buffer", read(fd, (void *)0xFFFFF000, 0x2000) == -EFAULT, 0);
    close(fd);
    check("bad-fd", read(77, buf, 1) == -EBADF && close(-5) == -EBADF && fsync(3) == -EBADF, 0);
    check("no-such", open("/nope/x", O_RDONLY) == -ENOENT && unlink("/nope") == -ENOENT, 0);
    check("dir-for-writing", open("/out", O_WRONLY) == -EISDIR, 0);
    check("mkdir-exists", mkdir("/out", 0755) == -EEXIST, 0);
    check("rename-into-itself", rename("/out", "/out/many/x") == -EINVAL, 0);

    /* what the host will read back with debugfs (files.py) */
    fd = open("/out/keep", O_WRONLY | O_CREAT, 0644);
    put(fd, 7, 0, 12345);
    close(fd);
}

static void fillup(void)
{
    int fd = open("/full", O_WRONLY | O_CREAT, 0644), r = 1;
    uint32_t total = 0;
    while (r > 0 && total < (64u << 20))
        if ((r = put(fd, 8, total, sizeof buf)) > 0)
            total += r;
    int w = write(fd, buf, 4096);
    close(fd);
    printf("files: wrote %u bytes before the disk was full\n", total);
    check("enospc", w == -ENOSPC, w);
    check("still-works", unlink("/full") == 0 && mkdir("/after", 0755) == 0, 0);
}

static void eio(void)
{
    int size;
    sum_file("/in/big.bin", &size);
    int fd = open("/in/big.bin", O_RDONLY), r, last = 0;
    while ((r = read(fd, buf, sizeof buf)) > 0)
        ;
    last = r;
    close(fd);
    check("eio", last == -EIO, last);
}

/* The power-cut workload.  Every file holds pattern ID (pat) from byte 0 up
 * to its size, so a file's contents are known from (ID, size) alone: a write
 * at an offset inside the file rewrites the bytes it had, an append or a
 * write at the end adds the next ones, a truncate cuts.  Each operation is
 * one service (each a transaction of its own: writes stay under W_CHUNK
 * blocks); the host checks that the disk, after the cut, holds the state
 * after some operation from the last returned fsync's on (files.py). */
#define CUT_SLOTS 10
#define CUT_MAXSIZE (192u << 10)
static const char *const cut_path[CUT_SLOTS] = {
    "/cut/f0", "/cut/f1", "/cut/f2", "/cut/f3", "/cut/f4", "/cut/f5",
    "/cut/d/g0", "/cut/d/g1", "/cut/d/g2", "/cut/d/g3" };
static struct { uint32_t id, size; int live; } slot[CUT_SLOTS];
static uint32_t cut_rng, cut_ops;

static uint32_t cut_rand(uint32_t n)
{
    cut_rng = cut_rng * 1103515245u + 12345u;
    return (cut_rng >> 8) % n;
}

static uint32_t cut_fnv(uint32_t id, uint32_t size)
{
    uint32_t h = 2166136261u;
    for (uint32_t i = 0; i < size; i++)
        h = (h ^ pat(id, i)) * 16777619u;
    return h;
}

static int cut_fail(const char *what, int r)
{
    printf("files: cut %s WRONG (%d) at op %u\n", what, r, cut_ops);
    wrong++;
    return -1;
}

static int cut_write(int s, int flags, uint32_t off, uint32_t len)
{
    int fd = open(cut_path[s], flags);
    if (fd < 0)
        return cut_fail("open", fd);
    int r = flags & O_APPEND ? 0 : lseek(fd, off, SEEK_SET);
    if (r >= 0)
        r = put(fd, slot[s].id, off, len);
    close(fd);
    if (r != (int)len)
        return cut_fail("write", r);
    if (off + len > slot[s].size)
        slot[s].size = off + len;
    return 0;
}

static int cut_step(void)
{
    int s = cut_rand(CUT_SLOTS), t, r;
    uint32_t op = cut_ops++, x = cut_rand(100);
    if (!slot[s].live) {
        static uint32_t next_id = 1;
        slot[s].id = next_id++;
        printf("cut: op %u create %s id=%u\n", op, cut_path[s], slot[s].id);
        int fd = open(cut_path[s], O_WRONLY | O_CREAT | O_EXCL, 0644);
        if (fd < 0)
            return cut_fail("create", fd);
        close(fd);
        slot[s].live = 1;
        slot[s].size = 0;
        return 0;
    }
    uint32_t size = slot[s].size;
    if (x < 30 && size < CUT_MAXSIZE) {
        uint32_t off = cut_rand(size + 1), len = 1 + cut_rand(12288);
        printf("cut: op %u write %s off=%u len=%u\n", op, cut_path[s], off, len);
        return cut_write(s, O_WRONLY, off, len);
    }
    if (x < 50 && size < CUT_MAXSIZE) {
        uint32_t len = 1 + cut_rand(x < 40 ? 12288 : 100);
        printf("cut: op %u append %s len=%u\n", op, cut_path[s], len);
        return cut_write(s, O_WRONLY | O_APPEND, size, len);
    }
    if (x < 58 || size >= CUT_MAXSIZE) {
        uint32_t to = cut_rand(size + 1);
        printf("cut: op %u truncate %s size=%u\n", op, cut_path[s], to);
        int fd = open(cut_path[s], O_WRONLY);
        r = fd < 0 ? fd : ftruncate(fd, to);
        close(fd);
        slot[s].size = to;
        return r < 0 ? cut_fail("truncate", r) : 0;
    }
    if (x < 70) {
        do
            t = cut_rand(CUT_SLOTS);
        while (t == s);
        printf("cut: op %u rename %s %s\n", op, cut_path[s], cut_path[t]);
        if ((r = rename(cut_path[s], cut_path[t])) < 0)
            return cut_fail("rename", r);
        slot[t] = slot[s];
        slot[s].live = 0;
        return 0;
    }
    if (x < 78) {
        printf("cut: op %u unlink %s\n", op, cut_path[s]);
        slot[s].live = 0;
        return (r = unlink(cut_path[s])) < 0 ? cut_fail("unlink", r) : 0;
    }
    printf("cut: op %u fsync %s\n", op, cut_path[s]);
    int fd = open(cut_path[s], O_RDONLY);
    r = fd < 0 ? fd : fsync(fd);
    close(fd);
    if (r < 0)
        return cut_fail("fsync", r);
    printf("cut: synced %u %s size=%u fnv=%08x\n", op, cut_path[s], size, cut_fnv(slot[s].id, size));
    return 0;
}

static void cut(uint32_t seed)
{
    cut_rng = seed;
    printf("cut: op 0 mkdir /cut\n");
    int r = mkdir("/cut", 0755);
    printf("cut: op 1 mkdir /cut/d\n");
    if (r < 0 || (r = mkdir("/cut/d", 0755)) < 0) {
        cut_fail("mkdir", r);
        return;
    }
    cut_ops = 2;
    while (cut_ops < 100000 && cut_step() == 0)
        ;
}

int main(void)
{
    char mode[16] = "";
    int fd = open("/mode", O_RDONLY);
    if (fd >= 0)
        read(fd, mode, sizeof mode - 1);
    close(fd);
    if (!memcmp(mode, "cut ", 4))
        cut(atoi(mode + 4));
    else if (!memcmp(mode, "fill", 4))
        fillup();
    else if (!memcmp(mode, "eio", 3))
        eio();
    else {
        interop();
        tour();
    }
    if (!wrong)
        puts("files: all ok");
    return wrong;
}
