// The file system core against e2fsprogs (docs/DESIGN.md §13): images made by
// mke2fs -t ext3 -d, every operation exercised through os/fs/fs.h, then
// umount, e2fsck -fn must be clean and debugfs must read every file back
// byte-exact (rdump compared with what KLOS reads), sizes and links as
// debugfs stat says; and the other way, every file mke2fs -d put in
// (a dir_index directory included) reads byte-exact through KLOS.
// Block sizes 1024 and 4096.  Needs mke2fs, e2fsck, debugfs (Debian 12).
// SOURCES: os/fs/bcache.c os/fs/journal.c os/fs/recover.c os/fs/super.c os/fs/balloc.c os/fs/inode.c os/fs/bmap.c os/fs/file.c os/fs/dir.c os/fs/namei.c os/fs/dcache.c tests/unit/fs/fshost.c tests/unit/fs/fstree_host.c tests/unit/fs/fstree_fs.c
// CFLAGS: -fsanitize=address,undefined -fno-sanitize-recover=all
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "fs/fsint.h"
#include "fs/fshost.h"
#include "fs/fstree.h"

static char img[512], name[256];
static struct blkdev *dev;
static struct fs *fs;
static int bs;

#define T(s) (snprintf(name, sizeof name, "fs.%d.%s", bs, s), name)

static int mount_img(void)
{
    dev = filedev_open(img, 0);
    return dev ? fs_mount(dev, 0, 4096, &fs) : -1;
}

#define MOUNT_OR_RETURN(what) do {     \
        int ok_ = mount_img() == 0;     \
        CHECK(T(what), ok_);            \
        if (!ok_)                       \
            return;                     \
    } while (0)

static int umount_img(void)
{
    int r = fs_umount(fs);
    filedev_close(dev);
    return r;
}

static int put(const char *path, const void *data, size_t len)
{
    struct inode *ip;
    int r = fs_open(fs, 0, path, O_WRONLY | O_CREAT | O_TRUNC, 0644, &ip);
    if (r < 0)
        return r;
    size_t done = 0;
    while (done < len && r >= 0) {
        uint32_t n = len - done > 65536 ? 65536 : (uint32_t)(len - done);
        r = fs_write(ip, done, (const uint8_t *)data + done, n);
        if (r > 0)
            done += (size_t)r;
    }
    fs_iput(ip);
    return r < 0 ? r : (int)done;
}

/* the whole file, malloc'd; *len; 0 on error */
static uint8_t *get(const char *path, size_t *len)
{
    struct inode *ip;
    if (fs_open(fs, 0, path, O_RDONLY, 0, &ip) < 0)
        return 0;
    uint64_t size = fs_size(ip);
    uint8_t *p = malloc(size + 1);
    int r = size ? fs_read(ip, 0, p, (uint32_t)size) : 0;
    fs_iput(ip);
    if (r < 0 || (uint64_t)r != size) {
        free(p);
        return 0;
    }
    *len = size;
    return p;
}

static int is(const char *path, const void *want, size_t wlen)
{
    size_t len;
    uint8_t *p = get(path, &len);
    int ok = p && len == wlen && memcmp(p, want, len) == 0;
    free(p);
    return ok;
}

static void fill(uint8_t *p, size_t n, uint32_t seed)
{
    uint64_t s = seed;
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(rnd_next(&s) >> 7);
}

/* After umount: e2fsck -fn clean, and debugfs rdump equals what KLOS reads. */
static void verify(const char *what)
{
    char nm[96];
    snprintf(nm, sizeof nm, "%s.e2fsck-clean", what);
    int clean = e2fsck_clean(img);
    CHECK(T(nm), clean);
    if (!clean)
        run_cmd("cat %s.fsck", img);
    char out[600];
    snprintf(out, sizeof out, "%s/rdump", tmp_dir());
    run_cmd("rm -rf %s; mkdir -p %s; debugfs -R 'rdump / %s' %s >/dev/null 2>&1", out, out, out, img);
    struct tree a = {0}, b = {0};
    tree_load_dir(&a, out);
    /* lost+found is in both; e2fsprogs' rdump skips nothing */
    struct blkdev *d = filedev_open(img, 1);
    struct fs *f;
    int r = fs_mount(d, FS_MOUNT_RDONLY, 4096, &f);
    if (r == 0) {
        r = tree_load_fs(&b, f, 0);
        fs_umount(f);
    }
    filedev_close(d);
    char why[300] = "";
    int eq = r == 0 && tree_equal(&a, &b, why, sizeof why);
    snprintf(nm, sizeof nm, "%s.debugfs-reads-the-same", what);
    CHECK(T(nm), eq);
    if (!eq)
        printf("    | %s (%d)\n", why, r);
    tree_free(&a);
    tree_free(&b);
}

/* debugfs stat: size and links of path */
static int dstat(const char *path, uint64_t *size, uint32_t *links, uint32_t *flags)
{
    char out[600];
    snprintf(out, sizeof out, "%s/stat.txt", tmp_dir());
    run_cmd("debugfs -R 'stat %s' %s >%s 2>/dev/null", path, img, out);
    char *t = read_file(out, 0);
    if (!t)
        return -1;
    char *s = strstr(t, "Size: "), *l = strstr(t, "Links: "), *f = strstr(t, "Flags: ");
    int ok = s && l && f;
    if (ok) {
        *size = strtoull(s + 6, 0, 10);
        *links = (uint32_t)strtoul(l + 7, 0, 10);
        *flags = (uint32_t)strtoul(f + 7, 0, 16);
    }
    free(t);
    return ok ? 0 : -1;
}

static void scenario_basic(void)
{
    mkimage(img, 0, bs, 16384);
    MOUNT_OR_RETURN("basic.mount");
    struct inode *ip, *jp;
    struct klos_stat st;
    uint8_t buf[8192];

    CHECK(T("basic.create-write"), put("/f1", "hello", 5) == 5 && is("/f1", "hello", 5));
    fs_open(fs, 0, "/f1", O_WRONLY, 0, &ip);
    CHECK(T("basic.append"), fs_write(ip, fs_size(ip), " world", 6) == 6);
    CHECK(T("basic.overwrite"), fs_write(ip, 0, "J", 1) == 1);
    fs_iput(ip);
    CHECK(T("basic.read-back"), is("/f1", "Jello world", 11));
    fs_open(fs, 0, "/f1", O_RDWR, 0, &ip);
    CHECK(T("basic.truncate-shrink"), fs_truncate(ip, 3) == 0 && fs_size(ip) == 3);
    CHECK(T("basic.truncate-grow"), fs_truncate(ip, 10) == 0 && fs_size(ip) == 10);
    fs_iput(ip);
    CHECK(T("basic.grown-reads-zeros"), is("/f1", "Jel\0\0\0\0\0\0\0", 10));
    CHECK(T("basic.read-at-eof"), fs_open(fs, 0, "/f1", O_RDONLY, 0, &ip) == 0 &&
          fs_read(ip, 10, buf, 5) == 0 && fs_read(ip, 8, buf, 5) == 2);
    fs_iput(ip);

    /* sparse: a write past the end */
    uint64_t far = 5 * (uint64_t)bs + 100;
    fs_open(fs, 0, "/sparse", O_RDWR | O_CREAT, 0644, &ip);
    CHECK(T("sparse.write-past-end"), fs_write(ip, 7, "abc", 3) == 3 && fs_write(ip, far, "end", 3) == 3);
    fs_fstat(ip, &st);
    CHECK(T("sparse.size"), st.st_size == far + 3);
    CHECK(T("sparse.blocks-only-where-written"), st.st_blocks == 2u * (uint32_t)bs / 512);
    memset(buf, 1, sizeof buf);
    int r = fs_read(ip, 0, buf, 20);
    CHECK(T("sparse.hole-reads-zeros"), r == 20 && !memcmp(buf, "\0\0\0\0\0\0\0abc\0\0\0\0\0\0\0\0\0\0", 20));
    CHECK(T("sparse.middle-hole"), fs_read(ip, 2 * bs, buf, 10) == 10 && !memcmp(buf, "\0\0\0\0\0\0\0\0\0\0", 10));
    CHECK(T("sparse.tail"), fs_read(ip, far, buf, 10) == 3 && !memcmp(buf, "end", 3));
    fs_iput(ip);

    /* rename over an existing file */
    put("/r1", "first", 5);
    put("/r2", "second", 6);
    fs_lookup(fs, 0, "/r2", &jp);
    CHECK(T("rename.over-existing"), fs_rename(fs, 0, "/r1", "/r2") == 0 && is("/r2", "first", 5));
    CHECK(T("rename.source-gone"), fs_lookup(fs, 0, "/r1", &ip) == -ENOENT);
    fs_fstat(jp, &st);
    CHECK(T("rename.replaced-inode-unlinked"), st.st_nlink == 0);
    uint8_t b2[8];
    CHECK(T("rename.replaced-still-readable"), fs_read(jp, 0, b2, 8) == 6 && !memcmp(b2, "second", 6));
    fs_iput(jp);
    CHECK(T("rename.same-file-noop"), fs_rename(fs, 0, "/r2", "/r2") == 0 && is("/r2", "first", 5));

    /* unlink an open file */
    struct klos_statfs sf0, sf1;
    fs_statfs(fs, &sf0);
    fill(buf, sizeof buf, 7);
    put("/u", buf, 3000);
    fs_open(fs, 0, "/u", O_RDWR, 0, &ip);
    CHECK(T("unlink-open.unlink"), fs_unlink(fs, 0, "/u") == 0);
    CHECK(T("unlink-open.name-gone"), fs_lookup(fs, 0, "/u", &jp) == -ENOENT);
    uint8_t b3[3000];
    CHECK(T("unlink-open.read-after-unlink"), fs_read(ip, 0, b3, 3000) == 3000 && !memcmp(b3, buf, 3000));
    CHECK(T("unlink-open.write-after-unlink"), fs_write(ip, 3000, buf, 5000) == 5000);
    fs_fstat(ip, &st);
    CHECK(T("unlink-open.nlink-0"), st.st_nlink == 0 && st.st_size == 8000);
    CHECK(T("unlink-open.umount-busy"), fs_umount(fs) == -EBUSY);
    fs_iput(ip);
    fs_statfs(fs, &sf1);
    CHECK(T("unlink-open.space-back-at-close"), sf1.f_bfree == sf0.f_bfree && sf1.f_ffree == sf0.f_ffree);

    /* directories */
    CHECK(T("dir.mkdir"), fs_mkdir(fs, 0, "/d1", 0755) == 0 && fs_mkdir(fs, 0, "/d1/d2", 0755) == 0);
    CHECK(T("dir.create-inside"), put("/d1/d2/f", "x", 1) == 1);
    CHECK(T("dir.rmdir-notempty"), fs_rmdir(fs, 0, "/d1") == -ENOTEMPTY && fs_rmdir(fs, 0, "/d1/d2") == -ENOTEMPTY);
    CHECK(T("dir.rmdir"), fs_unlink(fs, 0, "/d1/d2/f") == 0 && fs_rmdir(fs, 0, "/d1/d2") == 0);
    CHECK(T("dir.nlink"), fs_stat(fs, 0, "/d1", &st) == 0 && st.st_nlink == 2);
    CHECK(T("dir.mkdir-exists"), fs_mkdir(fs, 0, "/d1", 0755) == -EEXIST && fs_mkdir(fs, 0, "/f1", 0755) == -EEXIST);
    fs_mkdir(fs, 0, "/m", 0755);
    fs_mkdir(fs, 0, "/m/n", 0755);
    CHECK(T("rename.dir-into-own-subtree"), fs_rename(fs, 0, "/m", "/m/n/x") == -EINVAL &&
          fs_rename(fs, 0, "/m", "/m/x") == -EINVAL);
    CHECK(T("rename.dir-across"), fs_rename(fs, 0, "/m/n", "/n2") == 0);
    CHECK(T("rename.dir-links"), fs_stat(fs, 0, "/m", &st) == 0 && st.st_nlink == 2);
    struct klos_stat st2;
    CHECK(T("rename.dir-dotdot"), fs_stat(fs, 0, "/n2/..", &st) == 0 && fs_stat(fs, 0, "/", &st2) == 0 &&
          st.st_ino == st2.st_ino && st2.st_nlink == 6);   /* lost+found d1 m n2 + . + .. */
    fs_mkdir(fs, 0, "/n2/sub", 0755);
    CHECK(T("rename.dir-over-nonempty"), fs_rename(fs, 0, "/m", "/n2") == -ENOTEMPTY);
    fs_rmdir(fs, 0, "/n2/sub");
    CHECK(T("rename.dir-over-empty"), fs_rename(fs, 0, "/m", "/n2") == 0 && fs_lookup(fs, 0, "/m", &ip) == -ENOENT);
    CHECK(T("rename.file-over-dir"), fs_rename(fs, 0, "/f1", "/n2") == -EISDIR);
    CHECK(T("rename.dir-over-file"), fs_rename(fs, 0, "/n2", "/f1") == -ENOTDIR);

    /* hard links */
    CHECK(T("link.make"), fs_link(fs, 0, "/f1", "/d1/f1link") == 0);
    CHECK(T("link.count"), fs_stat(fs, 0, "/f1", &st) == 0 && st.st_nlink == 2 &&
          fs_stat(fs, 0, "/d1/f1link", &st2) == 0 && st2.st_ino == st.st_ino);
    CHECK(T("link.dir-refused"), fs_link(fs, 0, "/d1", "/d1x") == -EPERM);

    /* paths and errors */
    char longname[300], longpath[4200];
    memset(longname, 'a', sizeof longname);
    longname[0] = '/';
    longname[256] = 0;                  /* a 255-byte component */
    CHECK(T("path.name-255"), put(longname, "y", 1) == 1 && fs_unlink(fs, 0, longname) == 0);
    longname[256] = 'a';
    longname[257] = 0;                  /* 256 */
    CHECK(T("path.name-256"), put(longname, "y", 1) == -ENAMETOOLONG &&
          fs_lookup(fs, 0, longname, &ip) == -ENAMETOOLONG);
    for (int i = 0; i < 4100; i += 2)
        longpath[i] = '/', longpath[i + 1] = 'd';
    longpath[4100] = 0;
    CHECK(T("path.too-long"), fs_lookup(fs, 0, longpath, &ip) == -ENAMETOOLONG);
    CHECK(T("path.enoent"), fs_open(fs, 0, "/nothere", O_RDONLY, 0, &ip) == -ENOENT && fs_unlink(fs, 0, "/nothere") == -ENOENT);
    CHECK(T("path.enotdir"), fs_open(fs, 0, "/f1/x", O_RDONLY, 0, &ip) == -ENOTDIR && fs_lookup(fs, 0, "/f1/", &ip) == -ENOTDIR);
    CHECK(T("path.eisdir"), fs_open(fs, 0, "/d1", O_WRONLY, 0, &ip) == -EISDIR && fs_unlink(fs, 0, "/d1") == -EISDIR);
    CHECK(T("path.rmdir-file"), fs_rmdir(fs, 0, "/f1") == -ENOTDIR);
    CHECK(T("path.dotdot-at-root"), fs_stat(fs, 0, "/../..", &st) == 0 && st.st_ino == 2);
    CHECK(T("path.dotdot"), fs_stat(fs, 0, "/d1/../d1/./f1link", &st) == 0 && st.st_nlink == 2);
    CHECK(T("path.excl"), fs_open(fs, 0, "/f1", O_WRONLY | O_CREAT | O_EXCL, 0644, &ip) == -EEXIST);
    CHECK(T("path.empty"), fs_lookup(fs, 0, "", &ip) == -ENOENT);
    CHECK(T("path.rmdir-dot"), fs_rmdir(fs, 0, "/d1/.") == -EINVAL && fs_rmdir(fs, 0, "/") == -EBUSY);
    fs_lookup(fs, 0, "/d1", &jp);
    CHECK(T("path.relative-to-cwd"), fs_stat(fs, jp, "f1link", &st) == 0 && fs_stat(fs, jp, "../f1", &st2) == 0 &&
          st.st_ino == st2.st_ino);
    char cwd[64];
    CHECK(T("path.getcwd"), fs_getcwd(jp, cwd, sizeof cwd) == 3 && !strcmp(cwd, "/d1"));
    fs_iput(jp);
    CHECK(T("open.trunc"), fs_open(fs, 0, "/r2", O_WRONLY | O_TRUNC, 0, &ip) == 0 && fs_size(ip) == 0);
    fs_iput(ip);
    CHECK(T("fsync"), fs_open(fs, 0, "/f1", O_RDONLY, 0, &ip) == 0 && fs_fsync(ip) == 0);
    fs_iput(ip);
    CHECK(T("basic.umount"), umount_img() == 0);

    uint64_t size;
    uint32_t links, flags;
    CHECK(T("basic.debugfs-stat"), dstat("/f1", &size, &links, &flags) == 0 && size == 10 && links == 2);
    CHECK(T("basic.debugfs-stat-sparse"), dstat("/sparse", &size, &links, &flags) == 0 && size == far + 3 && links == 1);
    verify("basic");
}

/* getdents over 1,000 entries with a small buffer: each listed once */
static void scenario_getdents(void)
{
    mkimage(img, 0, bs, bs == 1024 ? 8192 : 16384);
    MOUNT_OR_RETURN("dents.mount");
    fs_mkdir(fs, 0, "/big", 0755);
    int ok = 1;
    char path[64];
    for (int i = 0; i < 1000 && ok; i++) {
        snprintf(path, sizeof path, "/big/file-%04d", i);
        ok = put(path, path, strlen(path)) > 0;
    }
    CHECK(T("dents.create-1000"), ok);
    static uint8_t seen[1000];
    memset(seen, 0, sizeof seen);
    struct inode *dp;
    fs_lookup(fs, 0, "/big", &dp);
    uint32_t cookie = 0;
    char buf[300];
    int dots = 0, other = 0, calls = 0, r, deleted = 0;
    while ((r = fs_getdents(dp, &cookie, buf, sizeof buf)) > 0) {
        calls++;
        for (int o = 0; o < r;) {
            struct klos_dirent *de = (struct klos_dirent *)(buf + o);
            o += de->d_reclen;
            int n;
            if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
                dots++;
            else if (sscanf(de->d_name, "file-%d", &n) == 1 && n >= 0 && n < 1000 && de->d_type == DT_REG)
                seen[n]++;
            else
                other++;
        }
        /* half way: delete some not yet listed, they must not show */
        if (calls == 20 && !deleted) {
            for (int i = 990; i < 1000; i++) {
                snprintf(path, sizeof path, "/big/file-%04d", i);
                fs_unlink(fs, 0, path);
                seen[i] = 100;
            }
            deleted = 1;
        }
    }
    int once = 1;
    for (int i = 0; i < 1000; i++)
        once &= i < 990 ? seen[i] == 1 : seen[i] == 100;
    CHECK(T("dents.each-once"), r == 0 && once && dots == 2 && other == 0 && calls > 20);
    CHECK(T("dents.too-small-buffer"), (cookie = 0, fs_getdents(dp, &cookie, buf, 8)) == -EINVAL);
    fs_iput(dp);
    CHECK(T("dents.umount"), umount_img() == 0);
    verify("dents");
}

static void scenario_bigfiles(void)
{
    mkimage(img, 0, bs, bs == 1024 ? 16384 : 65536);
    MOUNT_OR_RETURN("big.mount");
    uint32_t ppb = (uint32_t)bs / 4;
    size_t n = (size_t)(12 + ppb + 40) * (size_t)bs + 123;     /* into the double indirect range */
    uint8_t *p = malloc(n), *q;
    fill(p, n, 42);
    size_t len;
    CHECK(T("big.double-indirect-write"), put("/dind", p, n) == (int)n);
    CHECK(T("big.double-indirect-read"), (q = get("/dind", &len)) && len == n && !memcmp(p, q, n));
    free(q);
    /* shrink into the single indirect range, then grow sparse */
    struct inode *ip;
    fs_open(fs, 0, "/dind", O_RDWR, 0, &ip);
    size_t cut = (size_t)(12 + ppb / 2) * (size_t)bs + 77;
    CHECK(T("big.truncate-frees-indirect"), fs_truncate(ip, cut) == 0);
    struct klos_stat st;
    fs_fstat(ip, &st);
    uint64_t want = ((cut + (size_t)bs - 1) / (size_t)bs + 1) * (uint64_t)bs / 512;
    CHECK(T("big.blocks-after-truncate"), st.st_blocks == want);
    CHECK(T("big.truncate-grow"), fs_truncate(ip, n) == 0);
    fs_iput(ip);
    memset(p + cut, 0, n - cut);
    CHECK(T("big.read-after-shrink-grow"), (q = get("/dind", &len)) && len == n && !memcmp(p, q, n));
    free(q);
    free(p);
    if (bs == 1024) {
        /* triple indirect, sparse: past 12 + 256 + 65536 blocks */
        uint64_t off = (12 + 256 + 65536 + 1000) * 1024ull + 5;
        uint8_t w[5000];
        fill(w, sizeof w, 9);
        fs_open(fs, 0, "/tind", O_RDWR | O_CREAT, 0644, &ip);
        CHECK(T("big.triple-indirect-write"), fs_write(ip, off, w, sizeof w) == (int)sizeof w);
        uint8_t r[5000];
        CHECK(T("big.triple-indirect-read"), fs_read(ip, off, r, sizeof r) == (int)sizeof r && !memcmp(r, w, sizeof w));
        fs_fstat(ip, &st);
        CHECK(T("big.triple-indirect-blocks"), st.st_size == off + sizeof w && st.st_blocks == (5 + 3) * 2);
        CHECK(T("big.triple-truncate"), fs_truncate(ip, 70000) == 0 && (fs_fstat(ip, &st), st.st_blocks == 0));
        fs_iput(ip);
        /* a second sparse file that stays: rdump compares it whole */
        fs_open(fs, 0, "/tind2", O_RDWR | O_CREAT, 0644, &ip);
        CHECK(T("big.triple-indirect-stays"), fs_write(ip, off, w, sizeof w) == (int)sizeof w);
        fs_iput(ip);
    }
    struct klos_statfs sf;
    fs_statfs(fs, &sf);
    CHECK(T("big.umount"), umount_img() == 0);
    verify("big");
}

static void scenario_enospc(void)
{
    mkimage(img, 0, bs, bs == 1024 ? 3072 : 8192);
    MOUNT_OR_RETURN("enospc.mount");
    struct klos_statfs s0, s1;
    fs_statfs(fs, &s0);
    struct inode *ip;
    fs_open(fs, 0, "/fill", O_RDWR | O_CREAT, 0644, &ip);
    static uint8_t chunk[65536];
    fill(chunk, sizeof chunk, 3);
    uint64_t off = 0;
    int r, partial = 0;
    while ((r = fs_write(ip, off, chunk, sizeof chunk)) > 0) {
        if (r < (int)sizeof chunk)
            partial = 1;
        off += (uint64_t)r;
    }
    CHECK(T("enospc.write"), r == -ENOSPC && partial);
    fs_statfs(fs, &s1);
    CHECK(T("enospc.no-free-blocks"), s1.f_bfree == 0);
    CHECK(T("enospc.size-matches"), fs_size(ip) == off);
    fs_iput(ip);
    int made = 0;
    char path[64];
    for (;;) {
        snprintf(path, sizeof path, "/e%d", made);
        if ((r = fs_open(fs, 0, path, O_WRONLY | O_CREAT, 0644, &ip)) < 0)
            break;
        fs_iput(ip);
        made++;
    }
    CHECK(T("enospc.create-until-full"), r == -ENOSPC && made > 0);
    CHECK(T("enospc.mkdir"), fs_mkdir(fs, 0, "/newdir", 0755) == -ENOSPC);
    CHECK(T("enospc.umount"), umount_img() == 0);
    verify("enospc-full");
    MOUNT_OR_RETURN("enospc.remount");
    size_t len;
    uint8_t *q = get("/fill", &len);
    int same = q && len == off;
    for (size_t i = 0; same && i < len; i += sizeof chunk)
        same = !memcmp(q + i, chunk, len - i < sizeof chunk ? len - i : sizeof chunk);
    free(q);
    CHECK(T("enospc.content-kept"), same);
    CHECK(T("enospc.delete"), fs_unlink(fs, 0, "/fill") == 0);
    for (int i = 0; i < made; i++) {
        snprintf(path, sizeof path, "/e%d", i);
        fs_unlink(fs, 0, path);
    }
    fs_statfs(fs, &s1);
    CHECK(T("enospc.counts-back"), s1.f_bfree == s0.f_bfree && s1.f_ffree == s0.f_ffree);
    CHECK(T("enospc.umount2"), umount_img() == 0);
    verify("enospc-freed");
}

/* mke2fs -d puts files in; KLOS reads each byte-exact, then changes the dir_index directory */
static void scenario_interop_in(void)
{
    char src[600];
    snprintf(src, sizeof src, "%s/src", tmp_dir());
    run_cmd("rm -rf %s; mkdir -p %s/a/b/c/d %s/many %s/empty", src, src, src, src);
    long ppb = bs / 4;
    long sizes[] = {0, 1, bs - 1, bs, bs + 1, 12L * bs - 1, 12L * bs, 12L * bs + 1, (12 + ppb) * bs,
                    (12 + ppb) * bs + 1, 1048576 + 3};
    for (unsigned i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        run_cmd("head -c %ld /dev/urandom > %s/a/s%ld", sizes[i], src, sizes[i]);
    run_cmd("head -c 5000 /dev/urandom > %s/a/b/c/d/deep", src);
    run_cmd("cd %s/many && for i in $(seq 1 500); do echo \"entry $i\" > file-with-a-longer-name-$i; done", src);
    run_cmd("ln -s a/s1 %s/link", src);
    /* mke2fs -d writes linear directories; e2fsck -fD indexes the big one */
    CHECK(T("interop.mke2fs-d"), mkimage(img, src, bs, bs == 1024 ? 16384 : 32768) == 0 &&
          run_cmd("e2fsck -fyD %s >/dev/null 2>&1", img) == 0);
    char out[600];
    snprintf(out, sizeof out, "%s/htree.txt", tmp_dir());
    run_cmd("debugfs -R 'htree /many' %s >%s 2>&1", img, out);
    char *t = read_file(out, 0);
    CHECK(T("interop.many-is-indexed"), t && strstr(t, "Root node dump") && !strstr(t, "Not a hash-indexed"));
    free(t);
    uint64_t size;
    uint32_t links, flags;
    CHECK(T("interop.index-flag-set"), dstat("/many", &size, &links, &flags) == 0 && (flags & 0x1000));

    struct tree host = {0}, ours = {0};
    tree_load_dir(&host, src);
    struct blkdev *d = filedev_open(img, 1);
    struct fs *f;
    int r = fs_mount(d, FS_MOUNT_RDONLY, 4096, &f);
    if (r == 0) {
        r = tree_load_fs(&ours, f, 1);
        struct inode *ip;
        CHECK(T("interop.symlink-kept"), fs_lookup(f, 0, "/link", &ip) == 0 &&
              (fs_fstat(ip, &(struct klos_stat){0}), 1) && !fs_isdir(ip));
        if (!r)
            fs_iput(ip);
        CHECK(T("interop.readonly-refuses-writes"), fs_mkdir(f, 0, "/x", 0755) == -EROFS);
        fs_umount(f);
    }
    filedev_close(d);
    char why[300] = "";
    int eq = r == 0 && tree_equal(&host, &ours, why, sizeof why);
    CHECK(T("interop.every-file-byte-exact"), eq);
    if (!eq)
        printf("    | %s (%d)\n", why, r);
    tree_free(&host);
    tree_free(&ours);

    /* change the indexed directory: add, remove, rename inside */
    if (mount_img() != 0) {
        CHECK(T("interop.mount-rw"), 0);
        return;
    }
    CHECK(T("interop.add-to-indexed"), put("/many/new-file", "new", 3) == 3);
    CHECK(T("interop.remove-from-indexed"), fs_unlink(fs, 0, "/many/file-with-a-longer-name-250") == 0);
    CHECK(T("interop.rename-in-indexed"), fs_rename(fs, 0, "/many/file-with-a-longer-name-7", "/many/seven") == 0);
    CHECK(T("interop.lookup-after"), is("/many/seven", "entry 7\n", 8) &&
          is("/many/file-with-a-longer-name-499", "entry 499\n", 10));
    CHECK(T("interop.unlink-symlink"), fs_unlink(fs, 0, "/link") == 0);
    CHECK(T("interop.umount"), umount_img() == 0);
    CHECK(T("interop.index-flag-cleared"), dstat("/many", &size, &links, &flags) == 0 && !(flags & 0x1000));
    verify("interop-changed");
}

/* an extended-attribute block: kept on changes, freed with the file */
static void scenario_xattr(void)
{
    mkimage(img, 0, bs, 8192);
    MOUNT_OR_RETURN("xattr.mount");
    put("/x", "data", 4);
    put("/y", "keep", 4);
    umount_img();
    char val[600];
    snprintf(val, sizeof val, "%s/val", tmp_dir());
    run_cmd("head -c 600 /dev/zero | tr '\\0' v > %s", val);
    run_cmd("debugfs -w -R 'ea_set -f %s /x user.big' %s >/dev/null 2>&1", val, img);
    run_cmd("debugfs -w -R 'ea_set -f %s /y user.big' %s >/dev/null 2>&1", val, img);
    snprintf(val, sizeof val, "%s/ea.txt", tmp_dir());
    run_cmd("debugfs -R 'stat /x' %s > %s 2>&1", img, val);
    char *t = read_file(val, 0);
    CHECK(T("xattr.block-made"), t && !strstr(t, "File ACL: 0\n"));
    free(t);
    CHECK(T("xattr.clean-before"), e2fsck_clean(img));
    MOUNT_OR_RETURN("xattr.mount2");
    struct inode *ip;
    fs_open(fs, 0, "/y", O_RDWR, 0, &ip);
    CHECK(T("xattr.write-keeps"), fs_write(ip, 4, "more", 4) == 4 && fs_truncate(ip, 2) == 0);
    fs_iput(ip);
    CHECK(T("xattr.unlink"), fs_unlink(fs, 0, "/x") == 0);
    CHECK(T("xattr.umount"), umount_img() == 0);
    verify("xattr");
}

/* the feature rules: unknown INCOMPAT refuses, unknown RO_COMPAT is read-only */
static void scenario_features(void)
{
    mkimage(img, 0, bs, 8192);
    MOUNT_OR_RETURN("feature.mount");
    put("/f", "x", 1);
    umount_img();
    run_cmd("debugfs -w -R 'feature extent' %s >/dev/null 2>&1", img);
    fsh_log_clear();
    dev = filedev_open(img, 0);
    CHECK(T("feature.incompat-refused"), fs_mount(dev, 0, 1024, &fs) == -EINVAL && fsh_logged("extent"));
    filedev_close(dev);
    run_cmd("debugfs -w -R 'feature -extent' %s >/dev/null 2>&1", img);
    run_cmd("debugfs -w -R 'feature huge_file' %s >/dev/null 2>&1", img);
    fsh_log_clear();
    CHECK(T("feature.ro-compat-read-only"), mount_img() == 0 && fsh_logged("huge_file") && fsh_logged("read-only"));
    CHECK(T("feature.ro-compat-reads"), is("/f", "x", 1));
    struct inode *ip;
    CHECK(T("feature.ro-compat-erofs"), fs_open(fs, 0, "/g", O_WRONLY | O_CREAT, 0644, &ip) == -EROFS &&
          fs_unlink(fs, 0, "/f") == -EROFS && fs_open(fs, 0, "/f", O_WRONLY, 0, &ip) == -EROFS);
    umount_img();
    run_cmd("debugfs -w -R 'feature -huge_file' %s >/dev/null 2>&1", img);
    /* a journal feature KLOS does not know: read-only */
    MOUNT_OR_RETURN("feature.mount-again");
    uint32_t jsb = fs->j.jsb_block;
    umount_img();
    struct blkdev *d = filedev_open(img, 0);
    uint8_t blk[4096];
    d->read(d, (uint64_t)jsb * (uint32_t)bs / 512, (uint32_t)bs / 512, blk);
    blk[0x2B] |= 0x02;                  /* s_feature_incompat: 64bit */
    d->write(d, (uint64_t)jsb * (uint32_t)bs / 512, (uint32_t)bs / 512, blk);
    filedev_close(d);
    fsh_log_clear();
    CHECK(T("feature.journal-incompat-read-only"), mount_img() == 0 && fs->rdonly && fsh_logged("journal features"));
    umount_img();
}

/* unlinked while open, then the power goes: the next mount frees it */
static void scenario_orphan_crash(void)
{
    mkimage(img, 0, bs, 8192);
    struct blkdev *m = memdev_load(img);
    CHECK(T("orphan.mount"), fs_mount(m, 0, 1024, &fs) == 0);
    struct klos_statfs s0, s1;
    fs_statfs(fs, &s0);
    static uint8_t data[40000];
    fill(data, sizeof data, 5);
    struct inode *ip;
    fs_open(fs, 0, "/o", O_RDWR | O_CREAT, 0644, &ip);
    fs_write(ip, 0, data, sizeof data);
    fs_unlink(fs, 0, "/o");
    fs_commit(fs);
    /* the power goes: the disk as it is now */
    struct blkdev *m2 = memdev_from(memdev_data(m), memdev_size(m));
    fs_iput(ip);
    fs_umount(fs);
    memdev_free(m);
    fsh_log_clear();
    struct fs *f2;
    CHECK(T("orphan.remount"), fs_mount(m2, 0, 1024, &f2) == 0 && fsh_logged("orphan inode"));
    fs_statfs(f2, &s1);
    CHECK(T("orphan.freed"), s1.f_bfree == s0.f_bfree && s1.f_ffree == s0.f_ffree);
    fs_umount(f2);
    memdev_save(m2, img);
    memdev_free(m2);
    CHECK(T("orphan.e2fsck-clean"), e2fsck_clean(img));
}

/* a fault in the caller's buffer, and a disk that fails */
static void scenario_faults(void)
{
    mkimage(img, 0, bs, 8192);
    MOUNT_OR_RETURN("fault.mount");
    static uint8_t data[20000];
    fill(data, sizeof data, 11);
    struct inode *ip;
    fs_open(fs, 0, "/p", O_RDWR | O_CREAT, 0644, &ip);
    fsh_fault_after = 4;                /* the 4th copy faults */
    int r = fs_write(ip, 0, data, sizeof data);
    fsh_fault_after = 0;
    CHECK(T("fault.efault-partial"), r == 3 * bs && fs_size(ip) == 3u * (uint32_t)bs);
    fsh_fault_after = 1;
    uint8_t b[16];
    CHECK(T("fault.efault-read"), fs_read(ip, 0, b, 16) == -EFAULT);
    fsh_fault_after = 0;
    fs_iput(ip);
    CHECK(T("fault.umount"), umount_img() == 0);
    verify("efault");

    struct blkdev *m = memdev_load(img);
    CHECK(T("eio.mount"), fs_mount(m, 0, 1024, &fs) == 0);
    put("/q", data, 5000);
    memdev_fail_writes = 3;             /* the commit's third write fails, and all after */
    fsh_log_clear();
    CHECK(T("eio.commit-fails"), fs_commit(fs) == -EIO && fsh_logged("commit failed"));
    CHECK(T("eio.no-more-changes"), put("/q2", "x", 1) < 0);
    memdev_fail_writes = 0;
    fs_umount(fs);
    CHECK(T("eio.remount"), fs_mount(m, 0, 1024, &fs) == 0);
    CHECK(T("eio.old-state"), fs_lookup(fs, 0, "/q", &ip) == -ENOENT);
    fs_umount(fs);
    memdev_save(m, img);
    memdev_free(m);
    CHECK(T("eio.e2fsck-clean"), e2fsck_clean(img));
}

/* Blocks that start with the journal's magic are logged escaped and come
 * back whole from a replay. */
static void scenario_escape(void)
{
    mkimage(img, 0, bs, 8192);
    size_t size;
    uint8_t *start = (uint8_t *)read_file(img, &size);
    struct blkdev *m = memdev_from(start, size);
    struct wlog log = {0};
    struct blkdev *d = recdev_new(m, &log);
    CHECK(T("escape.mount"), fs_mount(d, 0, 1024, &fs) == 0);
    uint32_t n = 3 * (uint32_t)bs;
    uint8_t *data = malloc(n);
    fill(data, n, 99);
    for (uint32_t b = 0; b < n; b += (uint32_t)bs) {
        memcpy(data + b, "\xC0\x3B\x39\x98\0\0\0\x01\0\0\0\x02" "ESCP", 16);   /* looks like a descriptor */
    }
    put("/magic", data, n);
    size_t l0 = log.n;
    fs_commit(fs);
    size_t l1 = log.n;
    struct jext own[J_MAXEXT];
    uint32_t nown = fs->j.nown;
    memcpy(own, fs->j.own, nown * sizeof own[0]);
    fs_umount(fs);
    long unescaped = 0, cut = -1;
    for (size_t i = l0; i < l1; i++) {
        struct wlog_entry *e = &log.e[i];
        if (e->flush)
            continue;
        uint32_t blk = (uint32_t)(e->lba * 512 / (uint32_t)bs);
        int in_j = 0;
        for (uint32_t k = 0; k < nown; k++)
            in_j |= blk - own[k].p < own[k].n;
        if (!in_j)
            continue;
        if (be32_get(e->data) == JBD_MAGIC && !memcmp(e->data + 12, "ESCP", 4))
            unescaped++;
        if (be32_get(e->data) == JBD_MAGIC && be32_get(e->data + 4) == JBD_COMMIT && cut < 0)
            cut = (long)i + 2;          /* the commit block and its flush */
    }
    CHECK(T("escape.logged-escaped"), unescaped == 0 && cut > 0);
    /* the power goes after the commit, before the checkpoint: replay */
    uint8_t *cimg = malloc(size);
    memcpy(cimg, start, size);
    for (long i = 0; i < cut && cut > 0; i++)
        if (!log.e[i].flush)
            memcpy(cimg + log.e[i].lba * 512, log.e[i].data, log.e[i].nsect * 512u);
    /* a read-only mount replays too, and leaves no needs_recovery behind */
    struct blkdev *ro = memdev_from(cimg, size);
    fsh_log_clear();
    int rok = fs_mount(ro, FS_MOUNT_RDONLY, 1024, &fs) == 0;
    CHECK(T("escape.replayed-read-only"), rok && fsh_logged("journal recovered") && is("/magic", data, n) &&
          fs->rdonly);
    if (rok)
        fs_umount(fs);
    memdev_save(ro, img);
    CHECK(T("escape.read-only-replay-clean"), e2fsck_clean(img));
    memdev_free(ro);
    struct blkdev *c = memdev_from(cimg, size);
    fsh_log_clear();
    int ok = fs_mount(c, 0, 1024, &fs) == 0;
    CHECK(T("escape.replayed"), ok && fsh_logged("journal recovered") && is("/magic", data, n));
    if (ok)
        fs_umount(fs);
    memdev_save(c, img);
    CHECK(T("escape.e2fsck-clean"), e2fsck_clean(img));
    memdev_free(c);
    recdev_free(d);
    memdev_free(m);
    wlog_free(&log);
    free(cimg);
    free(start);
    free(data);
}

/* A block map pointing at metadata: a write through it is refused, the
 * metadata stays as it was. */
static void scenario_hostile_map(void)
{
    mkimage(img, 0, bs, bs == 1024 ? 8192 : 16384);
    MOUNT_OR_RETURN("hostile.mount");
    uint32_t ppb = (uint32_t)bs / 4;
    size_t blen = (12 + ppb + 8) * (size_t)bs;
    uint8_t *data = malloc(blen);
    fill(data, blen, 1);
    CHECK(T("hostile.big"), put("/big", data, blen) == (int)blen);
    free(data);
    fs_mkdir(fs, 0, "/dir", 0755);
    struct inode *ip;
    fs_lookup(fs, 0, "/big", &ip);
    uint32_t ino = ip->ino, ind = ip->d.i_block[EXT2_IND];
    fs_iput(ip);
    fs_lookup(fs, 0, "/dir", &ip);
    uint32_t dino = ip->ino;
    fs_iput(ip);
    /* metadata a corrupt map might name */
    uint32_t targets[6], nt = 0;
    struct ext2_gd *g0 = gd_get(fs, 0);
    if (bs == 1024)
        targets[nt++] = 1;              /* the superblock (with 4 KiB in block 0, which reads as a hole) */
    targets[nt++] = fs->first_data + 1;                              /* descriptors */
    if (fs->resv_gdt)
        targets[nt++] = fs->first_data + 1 + fs->ngdb;               /* reserved GDT */
    targets[nt++] = g0->bg_block_bitmap;
    targets[nt++] = g0->bg_inode_table;
    targets[nt++] = fs->j.jsb_block;
    uint32_t itab = g0->bg_inode_table, ipb = (uint32_t)bs / fs->isize, isz = fs->isize;
    umount_img();
    size_t size;
    uint8_t *clean = (uint8_t *)read_file(img, &size);
    int refused = 1, intact = 1, lines = 1;
    for (uint32_t t = 0; t < nt; t++)
        for (int where = 0; where < 3; where++) {
            uint8_t *im = malloc(size);
            memcpy(im, clean, size);
            uint32_t *slot;
            uint64_t off;
            if (where == 0) {           /* an entry of the single indirect block */
                slot = (uint32_t *)(im + (size_t)ind * (size_t)bs) + 3;
                off = (12 + 3) * (uint64_t)bs;
            } else {                    /* a direct pointer: of the file, of the directory */
                uint32_t n = where == 1 ? ino : dino;
                struct ext2_inode *di = (struct ext2_inode *)(im + (size_t)(itab + (n - 1) / ipb) * (size_t)bs +
                                                             (n - 1) % ipb * isz);
                slot = where == 1 ? &di->i_block[2] : &di->i_block[0];
                off = 2 * (uint64_t)bs;
            }
            *slot = targets[t];
            uint8_t *before = malloc((size_t)bs);
            memcpy(before, im + (size_t)targets[t] * (size_t)bs, (size_t)bs);
            struct blkdev *m = memdev_from(im, size);
            fsh_log_clear();
            if (fs_mount(m, 0, 1024, &fs) == 0) {
                int r;
                if (where < 2) {
                    fs_open(fs, 0, "/big", O_RDWR, 0, &ip);
                    r = fs_write(ip, off + 5, "overwrite", 9);
                    int r2 = fs_truncate(ip, 100);
                    fs_iput(ip);
                    refused &= r == -EUCLEAN && r2 < 0;
                } else {
                    char p[40];
                    for (int i = 0; i < 60 && (r = put(((void)snprintf(p, sizeof p, "/dir/name%d", i), p), "x", 1)) > 0; i++)
                        ;
                    refused &= r == -EUCLEAN;
                }
                lines &= fsh_logged("corrupt");
                fs_umount(fs);
            }
            /* neither the file's bytes nor a directory entry landed on the metadata */
            const uint8_t *tb = memdev_data(m) + (size_t)targets[t] * (size_t)bs;
            intact &= !memmem(tb, (size_t)bs, "overwrite", 9) && !memmem(tb, (size_t)bs, "name1", 5) &&
                      1;
            struct fs *f2;
            intact &= fs_mount(m, FS_MOUNT_RDONLY, 1024, &f2) == 0 && (fs_umount(f2), 1);
            memdev_free(m);
            free(before);
            free(im);
        }
    CHECK(T("hostile.map-to-metadata-refused"), refused);
    CHECK(T("hostile.map-to-metadata-line"), lines);
    CHECK(T("hostile.metadata-intact"), intact);
    free(clean);
}

int main(void)
{
    long pages0 = fsh_pages;
    for (bs = 1024; bs <= 4096; bs *= 4) {
        snprintf(img, sizeof img, "%s/img%d", tmp_dir(), bs);
        scenario_basic();
        scenario_getdents();
        scenario_bigfiles();
        scenario_enospc();
        scenario_interop_in();
        scenario_xattr();
        scenario_features();
        scenario_orphan_crash();
        scenario_faults();
        scenario_escape();
        scenario_hostile_map();
    }
    bs = 0;
    CHECK("fs.pages-all-freed", fsh_pages == pages0);
    run_cmd("rm -rf %s", tmp_dir());
    return check_exit();
}
