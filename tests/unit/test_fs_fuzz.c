// Bad input (docs/DESIGN.md §13): seeded corruption of the superblock, group
// descriptors, inode table, directories, indirect blocks and the journal
// (a committed transaction not yet checkpointed included) of mke2fs images;
// each image is mounted and walked, every file read, then written to
// (create, write, mkdir, rename, unlink, truncate, commit, umount) in a
// child process with a time limit.  Each must end in a refused mount with a
// line, or in errors, or in success -- never a crash (built with ASan and
// UBSan: an out-of-bounds access aborts the child), never a hang (the
// child's alarm), never a write outside the file system (the device is
// larger than the file system: every write's LBA is checked, and the boot
// sector must stay as it was).
//
//   test_fs_fuzz            100 images per base image (3 bases), for make test
//   test_fs_fuzz --full N   N per base (make crash runs 400)
// SOURCES: os/fs/bcache.c os/fs/journal.c os/fs/recover.c os/fs/super.c os/fs/balloc.c os/fs/inode.c os/fs/bmap.c os/fs/file.c os/fs/dir.c os/fs/namei.c os/fs/dcache.c tests/unit/fs/fshost.c tests/unit/fs/fstree_host.c tests/unit/fs/fstree_fs.c tests/unit/fs/fsmodel.c tests/unit/fs/workload.c
// CFLAGS: -fsanitize=address,undefined -fno-sanitize-recover=all -DFS_GUARD_BUFFERS
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <unistd.h>
#include <sys/wait.h>
#include "check.h"
#include "fs/fsint.h"
#include "fs/fshost.h"
#include "fs/fstree.h"
#include "fs/workload.h"

#define PAD (1u << 20)          /* device bytes past the file system */

enum { R_SB, R_GD, R_ITABLE, R_DIR, R_IND, R_JOURNAL, NREGION };
static const char *region_name[NREGION] = {"superblock", "descriptors", "inode-table", "directory",
                                           "indirect", "journal"};

struct base {
    const char *name;
    uint8_t *img;
    uint64_t size;              /* the file system's bytes; the device has PAD more */
    uint32_t bs, nblocks, first_data, ninodes;
    uint32_t blocks[NREGION][64];
    int nblk[NREGION];
    uint32_t forbid[32][2];     /* block ranges KLOS never writes: reserved GDT, backups */
    int nforbid;
};

enum { OUT_REFUSED, OUT_ERRORS, OUT_CLEAN, OUT_STRAY, OUT_SILENT, OUT_CLOBBER, NOUT };
static const char *out_name[NOUT] = {"refused", "errors", "ok", "STRAY-WRITE", "REFUSED-WITHOUT-A-LINE",
                                     "METADATA-OVERWRITTEN"};

static uint64_t fs_bytes;       /* the child's device check */
static const uint8_t *boot;     /* the first 1024 bytes as they were */
static const struct base *cur;
static int stray;

static int check_write(uint64_t lba, uint32_t n, const void *data)
{
    /* inside the file system; the boot sector (before the superblock) as it was */
    if ((lba + n) * 512 > fs_bytes || (lba * 512 < 1024 && memcmp((const uint8_t *)data, boot + lba * 512,
                                                                   (size_t)(1024 - lba * 512)))) {
        stray = 1;
        return 1;
    }
    uint64_t b0 = lba * 512 / cur->bs, b1 = ((lba + n) * 512 - 1) / cur->bs;
    for (int i = 0; i < cur->nforbid; i++)
        if (b0 < cur->forbid[i][1] && b1 >= cur->forbid[i][0]) {
            stray = 1;
            return 1;
        }
    return 0;
}

static void add(struct base *b, int r, uint32_t blk)
{
    if ((blk || r == R_SB) && blk < b->nblocks && b->nblk[r] < 64)
        b->blocks[r][b->nblk[r]++] = blk;
}

static void add_file_blocks(struct base *b, struct fs *f, const char *path, int region, int indirect_only)
{
    struct inode *ip;
    if (fs_lookup(f, 0, path, &ip) < 0)
        return;
    if (indirect_only) {
        add(b, region, ip->d.i_block[EXT2_IND]);
        add(b, region, ip->d.i_block[EXT2_DIND]);
        struct buf *bp;
        if (ip->d.i_block[EXT2_DIND] && bread(f, ip->d.i_block[EXT2_DIND], &bp) == 0) {
            add(b, region, ((uint32_t *)bp->data)[0]);
            add(b, region, ((uint32_t *)bp->data)[1]);
            brelse(f, bp);
        }
    } else {
        for (uint32_t lb = 0; lb < 8 && lb < ip->d.i_size / f->bsize; lb++) {
            uint32_t p;
            if (bmap(ip, lb, 0, &p, 0) == 0)
                add(b, region, p);
        }
    }
    fs_iput(ip);
}

/* the blocks of each region, found with KLOS's own reader on the clean image */
static int survey(struct base *b)
{
    struct blkdev *d = memdev_from(b->img, b->size);
    struct fs *f;
    int r = fs_mount(d, FS_MOUNT_RDONLY, 4096, &f);
    if (r < 0)
        return r;
    b->bs = f->bsize;
    b->nblocks = f->nblocks;
    b->first_data = f->first_data;
    b->ninodes = f->ninodes;
    add(b, R_SB, 1024 / f->bsize);
    for (uint32_t g = 0; g < f->ngroups && b->nforbid < 32; g++)
        if (group_has_super(f, g)) {
            uint32_t start = f->first_data + g * f->bpg;
            b->forbid[b->nforbid][0] = start + (g ? 0 : 1 + f->ngdb);
            b->forbid[b->nforbid++][1] = start + 1 + f->ngdb + f->resv_gdt;
        }
    add(b, R_GD, f->first_data + 1);
    uint32_t it = gd_get(f, 0)->bg_inode_table;
    for (uint32_t i = 0; i < 6 && i < f->itb; i++)
        add(b, R_ITABLE, it + i);
    add_file_blocks(b, f, "/", R_DIR, 0);
    add_file_blocks(b, f, "/dir", R_DIR, 0);
    add_file_blocks(b, f, "/dir/many", R_DIR, 0);
    add_file_blocks(b, f, "/big", R_IND, 1);
    add(b, R_JOURNAL, f->j.jsb_block);
    uint32_t start = be32_get(f->j.jsb + JSB_START), first = start ? start : f->j.first;
    for (uint32_t i = 0; i < 12; i++) {
        uint32_t p;
        if (j_map(f, first + i, &p) == 0)
            add(b, R_JOURNAL, p);
    }
    fs_umount(f);
    memdev_free(d);
    return 0;
}

static const uint32_t nasty32[] = {0, 1, 2, 3, 7, 8, 11, 12, 0x7FFFFFFF, 0x80000000u, 0xFFFFFFFFu, 0xFFFFFFFEu,
                                   0xC03B3998u, 0x98393BC0u, 1024, 4096, 65536};
static const uint16_t nasty16[] = {0, 1, 4, 8, 12, 13, 16, 1020, 1024, 1028, 4092, 4096, 4100, 0xFFFF, 0x8000};

static void corrupt(struct base *b, uint8_t *img, int region, uint64_t *rng)
{
    if (!b->nblk[region])
        region = R_SB;
    uint32_t blk = b->blocks[region][rnd_next(rng) % (uint32_t)b->nblk[region]];
    uint8_t *p = img + (uint64_t)blk * b->bs;
    uint32_t span = b->bs;
    if (region == R_SB) {               /* the superblock itself: 1024 bytes at 1024 */
        p = img + 1024;
        span = rnd_next(rng) % 4 ? 264 : 1024;
    } else if (region == R_GD || region == R_ITABLE || region == R_JOURNAL) {
        span = rnd_next(rng) % 3 ? (b->bs < 1024 ? b->bs : 1024) : b->bs;
    }
    if (region == R_DIR && rnd_next(rng) % 3 == 0) {
        /* an entry's rec_len or name_len, found by walking the (still sane) block */
        uint32_t offs[256], k = 0;
        for (uint32_t o = 0; o + 8 <= b->bs && k < 256;) {
            uint16_t rl;
            memcpy(&rl, p + o + 4, 2);
            offs[k++] = o;
            if (rl < 12 || (rl & 3))
                break;
            o += rl;
        }
        uint32_t o = offs[rnd_next(rng) % k];
        static const int16_t delta[] = {-12, -8, -4, -2, -1, 1, 2, 4, 8, 64, 1024, -1024};
        uint16_t rl;
        memcpy(&rl, p + o + 4, 2);
        if (rnd_next(rng) % 4) {
            rl = rnd_next(rng) % 3 ? (uint16_t)(rl + delta[rnd_next(rng) % 12]) : (uint16_t)(b->bs - o + 4);
            memcpy(p + o + 4, &rl, 2);
        } else {
            p[o + 6] = (uint8_t)(rnd_next(rng) % 2 ? 255 : rl - 8 + 1);   /* name_len */
        }
        return;
    }
    int n = 1 + (int)(rnd_next(rng) % 4);
    for (int i = 0; i < n; i++) {
        uint32_t kind = rnd_next(rng) % 3, off = rnd_next(rng) % span;
        if (kind == 0) {
            p[off] = (uint8_t)rnd_next(rng);
        } else if (kind == 1) {
            uint32_t v = rnd_next(rng) % 4 == 0 ? b->nblocks - 1 + rnd_next(rng) % 3
                       : rnd_next(rng) % 4 == 0 ? b->ninodes + rnd_next(rng) % 3 - 1
                       : nasty32[rnd_next(rng) % (sizeof nasty32 / 4)];
            if (region == R_IND || region == R_DIR || region == R_ITABLE)
                v = rnd_next(rng) % 2 ? v : rnd_next(rng) % 40;     /* metadata blocks, low inodes */
            off &= ~3u;
            if (off + 4 > span)
                off = span - 4;
            memcpy(p + off, &v, 4);
        } else {
            uint16_t v = nasty16[rnd_next(rng) % (sizeof nasty16 / 2)];
            off &= ~1u;
            if (off + 2 > span)
                off = span - 2;
            memcpy(p + off, &v, 2);
        }
    }
}

int put_many(struct fs *f);

/* an error a corrupt image may cause; ENOENT and the like are the
 * workload's business (the journaled base's workload moved files) */
static int bad(int r)
{
    return r < 0 && r != -ENOENT && r != -EEXIST && r != -ENOTEMPTY && r != -ENOSPC && r != -ENOTDIR &&
           r != -EISDIR;
}

/* mount, walk, read, write: the child's work; returns an OUT_ code */
static int exercise(uint8_t *img, uint64_t devsize)
{
    struct blkdev *m = memdev_from(img, devsize);
    struct wlog log = {0};
    struct blkdev *d = recdev_new(m, &log);
    recdev_check = check_write;
    fsh_log_clear();
    struct fs *f;
    int r = fs_mount(d, 0, 1024, &f);
    if (r < 0)
        return stray ? OUT_STRAY : fsh_logged("fs: ") ? OUT_REFUSED : OUT_SILENT;
    /* what KLOS never changes: the superblock's geometry, where each group's
     * bitmaps and inode table are; a data write landing there would show */
    uint8_t sb_geo[44], gd_loc[64][12];
    uint32_t ng = f->ngroups < 64 ? f->ngroups : 64, gdoff = (f->first_data + 1) * f->bsize;
    const uint8_t *mounted = memdev_data(m);         /* after the journal's replay */
    memcpy(sb_geo, mounted + 1024, sizeof sb_geo);
    for (uint32_t g = 0; g < ng; g++)
        memcpy(gd_loc[g], mounted + gdoff + 32 * g, 12);
    int errors = 0;
    struct tree t = {0};
    errors |= bad(tree_load_fs(&t, f, 0));
    /* every regular file read again piecewise past its end too */
    for (size_t i = 0; i < t.n; i++) {
        struct inode *ip;
        if (t.e[i].dir || fs_lookup(f, 0, t.e[i].path, &ip) < 0)
            continue;
        uint8_t buf[512];
        errors |= bad(fs_read(ip, fs_size(ip) + 5, buf, sizeof buf));
        fs_iput(ip);
    }
    static uint8_t data[40000];
    memset(data, 0x5A, sizeof data);
    struct inode *ip;
    if (fs_open(f, 0, "/fuzz-new", O_RDWR | O_CREAT, 0644, &ip) == 0) {
        errors |= bad(fs_write(ip, 0, data, sizeof data));
        errors |= bad(fs_write(ip, 300000, data, 100));
        errors |= bad(fs_truncate(ip, 5000));
        fs_iput(ip);
    }
    if (fs_open(f, 0, "/big", O_RDWR, 0, &ip) == 0) {
        errors |= bad(fs_write(ip, 3000, data, 9000));
        /* through the single and the double indirect block */
        errors |= bad(fs_write(ip, (12 + 3) * (uint64_t)f->bsize, data, 100));
        errors |= bad(fs_write(ip, (12 + f->ppb + 3) * (uint64_t)f->bsize, data, 100));
        errors |= bad(fs_truncate(ip, 100000));
        fs_iput(ip);
    }
    errors |= bad(fs_mkdir(f, 0, "/dir/newdir", 0755));
    errors |= put_many(f);
    errors |= bad(fs_rename(f, 0, "/dir/a", "/dir/renamed"));
    errors |= bad(fs_rename(f, 0, "/dir/newdir", "/moved"));
    errors |= bad(fs_unlink(f, 0, "/small"));
    errors |= bad(fs_unlink(f, 0, "/dir/many/n17"));
    errors |= bad(fs_rmdir(f, 0, "/emptydir"));
    errors |= bad(fs_commit(f));
    errors |= bad(fs_umount(f));
    tree_free(&t);
    if (stray)
        return OUT_STRAY;
    const uint8_t *now = memdev_data(m);
    if (memcmp(now + 1024, sb_geo, 12) || memcmp(now + 1024 + 20, sb_geo + 20, 24))
        return OUT_CLOBBER;
    for (uint32_t g = 0; g < ng; g++)
        if (memcmp(now + gdoff + 32 * g, gd_loc[g], 12))
            return OUT_CLOBBER;
    if (memcmp(memdev_data(m), img, 1024))
        return OUT_STRAY;               /* the boot sector changed */
    return errors ? OUT_ERRORS : OUT_CLEAN;
}

int put_many(struct fs *f)
{
    int errors = 0;
    for (int i = 0; i < 20; i++) {
        char p[64];
        struct inode *ip;
        snprintf(p, sizeof p, "/dir/many/extra%d", i);
        if (fs_open(f, 0, p, O_WRONLY | O_CREAT, 0644, &ip) == 0) {
            errors |= bad(fs_write(ip, 0, p, (uint32_t)strlen(p)));
            fs_iput(ip);
        }
    }
    return errors;
}

static void fuzz_base(struct base *b, int count, uint64_t seed0)
{
    long outs[NOUT] = {0}, crashes = 0, hangs = 0, per_region[NREGION] = {0};
    uint64_t devsize = b->size + PAD;
    uint8_t *img = malloc(devsize);
    for (int i = 0; i < count; i++) {
        uint64_t rng = seed0 * 1000003 + (uint64_t)i;
        int region = i % NREGION;
        if (!b->nblk[region])
            region = R_SB;
        memcpy(img, b->img, b->size);
        memset(img + b->size, 0, PAD);
        corrupt(b, img, region, &rng);
        if (rnd_next(&rng) % 4 == 0)
            corrupt(b, img, (int)(rnd_next(&rng) % NREGION), &rng);
        per_region[region]++;
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0) {
            fs_bytes = b->size;
            boot = b->img;
            cur = b;
            alarm(20);
            _exit(exercise(img, devsize));
        }
        int st;
        waitpid(pid, &st, 0);
        if (WIFSIGNALED(st) && WTERMSIG(st) == SIGALRM) {
            hangs++;
            printf("    | %s case %d (%s): hang\n", b->name, i, region_name[region]);
        } else if (!WIFEXITED(st) || WEXITSTATUS(st) >= NOUT) {
            crashes++;
            printf("    | %s case %d (%s): crash (status 0x%x)\n", b->name, i, region_name[region], st);
        } else {
            outs[WEXITSTATUS(st)]++;
            if (WEXITSTATUS(st) >= OUT_STRAY)
                printf("    | %s case %d (%s): %s\n", b->name, i, region_name[region], out_name[WEXITSTATUS(st)]);
        }
    }
    free(img);
    char nm[300];
    int bad = crashes || hangs || outs[OUT_STRAY] || outs[OUT_SILENT] || outs[OUT_CLOBBER];
    snprintf(nm, sizeof nm, "fs.fuzz.%s: %d images (sb %ld, gd %ld, itable %ld, dir %ld, ind %ld, journal %ld): "
             "%ld refused with a line, %ld mounted with errors, %ld mounted fine; %ld crashes, %ld hangs, "
             "%ld stray writes, %ld silent refusals, %ld metadata overwritten", b->name, count, per_region[0],
             per_region[1], per_region[2], per_region[3], per_region[4], per_region[5], outs[OUT_REFUSED],
             outs[OUT_ERRORS], outs[OUT_CLEAN], crashes, hangs, outs[OUT_STRAY], outs[OUT_SILENT],
             outs[OUT_CLOBBER]);
    printf("%s %s\n", bad ? "FAIL" : "PASS", nm);
    if (bad)
        check_failed = 1;
}

/* a base image: files, a directory of many entries, a file with double indirect blocks */
static int make_base(struct base *b, const char *name, int bs, int journaled)
{
    char src[600], img[600];
    memset(b, 0, sizeof *b);
    b->name = name;
    snprintf(src, sizeof src, "%s/src-%s", tmp_dir(), name);
    snprintf(img, sizeof img, "%s/%s.img", tmp_dir(), name);
    run_cmd("rm -rf %s; mkdir -p %s/dir/many %s/emptydir; echo small > %s/small; echo a > %s/dir/a; "
            "head -c %d /dev/urandom > %s/big; cd %s/dir/many && for i in $(seq 1 120); do echo $i > n$i; done",
            src, src, src, src, src, (12 + bs / 4 + 20) * bs + 11, src, src);
    if (mkimage(img, src, bs, bs == 1024 ? 4096 : 16384) != 0)
        return -1;
    b->img = (uint8_t *)read_file(img, &b->size);
    if (!b->img)
        return -1;
    if (journaled) {
        /* run a workload; keep the disk as it was right after a commit was
         * durable and before its checkpoint: the journal holds it */
        struct wlog log = {0};
        struct blkdev *m = memdev_from(b->img, b->size), *d = recdev_new(m, &log);
        struct fs *f;
        char *ops = 0;
        struct tree t = {0};
        if (fs_mount(d, 0, 4096, &f) < 0 || tree_load_fs(&t, f, 1) < 0)
            return -1;
        workload_run(f, &t, 3, 30, &ops);
        free(ops);
        tree_free(&t);
        fs_umount(f);
        long cut = -1, commits = 0;
        for (size_t i = 0; i < log.n && cut < 0; i++)
            if (!log.e[i].flush && be32_get(log.e[i].data) == JBD_MAGIC &&
                be32_get(log.e[i].data + 4) == JBD_COMMIT && ++commits == 3)
                cut = (long)i + 2;      /* the commit block and the flush after it */
        if (cut < 0)
            return -1;
        for (long i = 0; i < cut; i++)
            if (!log.e[i].flush)
                memcpy(b->img + log.e[i].lba * 512, log.e[i].data, log.e[i].nsect * 512u);
        wlog_free(&log);
        recdev_free(d);
        memdev_free(m);
    }
    return survey(b);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, 0, _IOLBF, 0);
    int count = 100;
    if (argc > 2 && !strcmp(argv[1], "--full"))
        count = atoi(argv[2]);
    struct base b;
    const char *names[3] = {"1k", "4k", "1k-journal"};
    int sizes[3] = {1024, 4096, 1024}, journaled[3] = {0, 0, 1};
    for (int i = 0; i < 3; i++) {
        char nm[100];
        snprintf(nm, sizeof nm, "fs.fuzz.%s.base", names[i]);
        int ok = make_base(&b, names[i], sizes[i], journaled[i]) == 0;
        CHECK(nm, ok);
        if (journaled[i] && ok) {
            /* the clean journaled base replays and is consistent */
            struct blkdev *m = memdev_from(b.img, b.size);
            struct fs *f;
            fsh_log_clear();
            snprintf(nm, sizeof nm, "fs.fuzz.%s.base-replays", names[i]);
            int mr = fs_mount(m, 0, 1024, &f);
            CHECK(nm, mr == 0 && fsh_logged("journal recovered") && fs_umount(f) == 0);
            if (mr || !fsh_logged("journal recovered"))
                printf("    | mount %d: %s\n", mr, fsh_last_log());
            memdev_free(m);
        }
        if (ok)
            fuzz_base(&b, count, (uint64_t)i + 1);
        free(b.img);
    }
    run_cmd("rm -rf %s", tmp_dir());
    return check_exit();
}
