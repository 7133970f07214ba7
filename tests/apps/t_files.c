/* t_files: every file service on the disk the test attached (tests/boot/
 * files.py), each check one line "files: NAME ok" (or WRONG), then
 * "files: all ok".  The host then runs e2fsck -fn on the image and reads
 * every file back with debugfs (files.py knows the same contents: pat()).
 *
 * What to do the disk itself says, in /mode (the test made the image):
 *   (none)   the whole tour (an image made by mke2fs -d with /in)
 *   fill     write until the disk is full: ENOSPC, and nothing broken
 *   eio      read /in/big.bin on a disk that fails: EIO, the OS goes on */
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

int main(void)
{
    char mode[8] = "";
    int fd = open("/mode", O_RDONLY);
    if (fd >= 0)
        read(fd, mode, 4);
    close(fd);
    if (!memcmp(mode, "fill", 4))
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
