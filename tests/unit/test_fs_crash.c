// Power cuts (docs/DESIGN.md §13): a seeded workload (tests/unit/fs/workload.c)
// runs on a RECORDING device over a fresh mke2fs image; then, for cut
// points N (the power goes after write N), the image = start image + the
// first N writes is mounted by KLOS (journal recovery, orphans) and must
// hold exactly the tree the op log says existed when a transaction at
// least as new as the last durable one (a FLUSH after its commit block)
// committed -- so every fsynced file is intact, and no file holds bytes it
// never had; after umount e2fsck -fn must be clean.  Mode "cache": the
// writes since the last FLUSH persist only as a random subset (some torn
// sector by sector), several seeds per cut point.  Mode "linux": on a
// sample, e2fsck -fy recovers the raw cut image instead (Linux's own
// replay of KLOS's journal), must leave it clean, and KLOS must then read
// the same tree as after its own recovery.
//
//   test_fs_crash                  the sample make test runs (well under a minute)
//   test_fs_crash --full           every cut point, 1 KiB and 4 KiB, seeds 1-2 (make crash)
//   test_fs_crash --qemu           also drives the recorded writes through QEMU's
//                                  blklogwrites driver (qemu-io) and sweeps the log it wrote
//   test_fs_crash --image I --log L --oplog O   a log recorded elsewhere (a KLOS
//                                  guest under QEMU blklogwrites) and its op log
//   test_fs_crash --mount IMG      KLOS mounts the image file IMG in place (journal
//                                  recovery, orphans), prints "dir PATH" / "file PATH
//                                  size=S fnv=H" for everything on it and unmounts: the
//                                  judge of the real power cuts (tests/boot/files.py)
// SOURCES: os/fs/bcache.c os/fs/journal.c os/fs/recover.c os/fs/super.c os/fs/balloc.c os/fs/inode.c os/fs/bmap.c os/fs/file.c os/fs/dir.c os/fs/namei.c os/fs/dcache.c tests/unit/fs/fshost.c tests/unit/fs/fstree_host.c tests/unit/fs/fstree_fs.c tests/unit/fs/fsmodel.c tests/unit/fs/workload.c
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "fs/fsint.h"
#include "fs/fshost.h"
#include "fs/fstree.h"
#include "fs/fsmodel.h"
#include "fs/workload.h"

struct cfg {
    int full;
    int stride;                 /* every stride-th cut point (1 = all) */
    int cache_seeds;            /* random-subset images per cut point */
    int linux_every;            /* e2fsck -fy on every n-th cut point (0: none) */
};

struct counts {
    long cuts, images, failures, linux_checked, linux_failures;
};

/* what the run being swept left */
struct run {
    uint8_t *start;
    uint64_t size;
    struct wlog log;
    struct oplog ops;
    uint32_t *commit_seq;       /* per log entry: the sequence of a commit block it writes, or 0 */
    int has_commit_seq0;
    uint32_t bsize;
    struct jext own[J_MAXEXT];
    uint32_t nown;
};

static int printed_failures;

static int in_journal(struct run *r, uint64_t lba)
{
    uint64_t b = lba * 512 / r->bsize;
    for (uint32_t i = 0; i < r->nown; i++)
        if (b - r->own[i].p < r->own[i].n)
            return 1;
    return 0;
}

/* the sequence numbers of the commit blocks the log writes (KLOS writes one block per write) */
static void find_commits(struct run *r)
{
    r->commit_seq = calloc(r->log.n + 1, sizeof *r->commit_seq);
    for (size_t i = 0; i < r->log.n; i++) {
        struct wlog_entry *e = &r->log.e[i];
        if (e->flush || !in_journal(r, e->lba))
            continue;
        for (uint32_t o = 0; o + r->bsize <= e->nsect * 512u; o += r->bsize)
            if (be32_get(e->data + o) == JBD_MAGIC && be32_get(e->data + o + 4) == JBD_COMMIT)
                r->commit_seq[i] = be32_get(e->data + o + 8);
    }
}

static void apply(uint8_t *img, uint64_t size, const struct wlog_entry *e, uint64_t *rng, int torn)
{
    for (uint32_t s = 0; s < e->nsect; s++) {
        uint64_t off = (e->lba + s) * 512;
        if (off + 512 > size)
            return;
        if (!torn || rnd_next(rng) % 2)
            memcpy(img + off, e->data + (size_t)s * 512, 512);
    }
}

/* mounts img (KLOS recovery), reads the tree, umounts; the image is left as umount wrote it */
static int recover_tree(uint8_t *img, uint64_t size, struct tree *t, char *why, size_t wl)
{
    struct blkdev *d = memdev_from(img, size);
    struct fs *f;
    int r = fs_mount(d, 0, 4096, &f);
    if (r < 0) {
        snprintf(why, wl, "mount failed (%d): %s", r, fsh_last_log());
        memdev_free(d);
        return r;
    }
    r = tree_load_fs(t, f, 1);
    int r2 = fs_umount(f);
    if (r == 0 && r2 < 0)
        r = r2;
    if (r < 0)
        snprintf(why, wl, "reading the tree or umount failed (%d)", r);
    memcpy(img, memdev_data(d), size);
    memdev_free(d);
    return r;
}

static void report_fail(const char *what, long n, const char *why)
{
    if (printed_failures++ < 10)
        printf("    | %s at cut %ld: %s\n", what, n, why);
}

/* One cut point: the first n log entries happened; mode 0 all of them,
 * mode 1 those after the last flush only as a random subset (seed). */
static void check_cut(struct run *r, const struct cfg *c, struct counts *k, long n, int mode,
                      uint64_t seed, int linux_check)
{
    uint8_t *img = malloc(r->size);
    memcpy(img, r->start, r->size);
    long last_flush = -1;
    for (long i = 0; i < n; i++)
        if (r->log.e[i].flush)
            last_flush = i;
    uint64_t rng = seed * 7919 + (uint64_t)n;
    uint32_t s_dur = r->ops.seq0, s_max = r->ops.seq0;
    for (long i = 0; i < n; i++) {
        const struct wlog_entry *e = &r->log.e[i];
        if (e->flush)
            continue;
        if (mode == 0 || i < last_flush) {
            apply(img, r->size, e, &rng, 0);
        } else {
            uint32_t x = rnd_next(&rng) % 4;
            if (x < 2)
                apply(img, r->size, e, &rng, 0);
            else if (x == 3)
                apply(img, r->size, e, &rng, 1);
        }
        if (r->commit_seq[i]) {
            if (i < last_flush && (int32_t)(r->commit_seq[i] - s_dur) > 0)
                s_dur = r->commit_seq[i];
            if ((int32_t)(r->commit_seq[i] - s_max) > 0)
                s_max = r->commit_seq[i];
        }
    }
    uint8_t *raw = linux_check ? malloc(r->size) : 0;
    if (raw)
        memcpy(raw, img, r->size);
    k->images++;
    char why[600] = "";
    struct tree t = {0};
    int ok = recover_tree(img, r->size, &t, why, sizeof why) == 0;
    if (ok) {
        ok = 0;
        for (uint32_t s = s_dur; !ok && (int32_t)(s - s_max) <= 0; s++) {
            int st[2], ns = oplog_states_for(&r->ops, s, st);
            for (int i = 0; i < ns && !ok; i++)
                ok = tree_equal(&t, &r->ops.states[st[i]], why, sizeof why);
        }
        if (!ok) {
            int st[2];
            oplog_states_for(&r->ops, s_dur, st);
            tree_equal(&t, &r->ops.states[st[0]], why, sizeof why);
            char w2[560];
            snprintf(w2, sizeof w2, "no state of transactions %u..%u matches (vs state %d: %.400s)", s_dur, s_max,
                     st[0], why);
            snprintf(why, sizeof why, "%s", w2);
        }
    }
    if (ok) {
        char path[600];
        snprintf(path, sizeof path, "%s/cut.img", tmp_dir());
        FILE *f = fopen(path, "wb");
        fwrite(img, 1, r->size, f);
        fclose(f);
        if (!e2fsck_clean(path)) {
            ok = 0;
            snprintf(why, sizeof why, "e2fsck -fn not clean after KLOS recovery and umount");
            if (printed_failures < 3)
                run_cmd("head -30 %s.fsck", path);
        }
    }
    if (!ok) {
        k->failures++;
        report_fail(mode ? "cache mode" : "plain", n, why);
    }
    if (raw) {
        /* Linux's recovery: e2fsck replays the journal KLOS wrote */
        char path[600];
        snprintf(path, sizeof path, "%s/linux.img", tmp_dir());
        FILE *f = fopen(path, "wb");
        fwrite(raw, 1, r->size, f);
        fclose(f);
        k->linux_checked++;
        int st = run_cmd("e2fsck -fy %s >%s.fsck 2>&1", path, path);
        int lok = st <= 1 && e2fsck_clean(path);
        struct tree lt = {0};
        if (!lok)
            snprintf(why, sizeof why, "e2fsck -fy exit %d, then not clean", st);
        if (lok) {
            size_t len;
            char *p = read_file(path, &len);
            lok = recover_tree((uint8_t *)p, len, &lt, why, sizeof why) == 0 &&
                  tree_equal(&lt, &t, why, sizeof why);
            free(p);
        }
        if (!lok) {
            k->linux_failures++;
            report_fail("linux recovery", n, why);
        }
        tree_free(&lt);
        free(raw);
    }
    (void)c;
    tree_free(&t);
    free(img);
}

static void sweep(struct run *r, const struct cfg *c, const char *name)
{
    struct counts k = {0};
    long n = (long)r->log.n;
    for (long cut = 0; cut <= n; cut++) {
        /* just before a flush the volatile window is widest: always taken, with more seeds */
        int before_flush = cut < n && r->log.e[cut].flush;
        if (cut != n && c->stride > 1 && cut % c->stride && !before_flush)
            continue;
        k.cuts++;
        int lx = c->linux_every && k.cuts % c->linux_every == 0;
        check_cut(r, c, &k, cut, 0, 0, lx);
        int seeds = before_flush && c->cache_seeds < 4 ? 4 : c->cache_seeds;
        for (int s = 1; s <= seeds; s++)
            check_cut(r, c, &k, cut, 1, (uint64_t)s, 0);
    }
    char line[300];
    snprintf(line, sizeof line, "%s: %ld log entries, %ld cut points, %ld images, %ld failures; "
             "linux recovery %ld images, %ld failures", name, n, k.cuts, k.images, k.failures,
             k.linux_checked, k.linux_failures);
    printf("%s %s\n", k.failures || k.linux_failures ? "FAIL" : "PASS", line);
    if (k.failures || k.linux_failures)
        check_failed = 1;
}

/* the initial tree and journal geometry of a start image */
static int probe(struct run *r)
{
    struct blkdev *d = memdev_from(r->start, r->size);
    struct fs *f;
    struct tree t = {0};
    int e = fs_mount(d, FS_MOUNT_RDONLY, 4096, &f);
    if (e < 0)
        return e;
    r->bsize = f->bsize;
    r->nown = f->j.nown;
    memcpy(r->own, f->j.own, f->j.nown * sizeof r->own[0]);
    fs_umount(f);
    memdev_free(d);
    tree_free(&t);
    return 0;
}

static int initial_tree(struct run *r, struct tree *t)
{
    struct blkdev *d = memdev_from(r->start, r->size);
    struct fs *f;
    int e = fs_mount(d, FS_MOUNT_RDONLY, 4096, &f);
    if (e == 0) {
        e = tree_load_fs(t, f, 1);
        fs_umount(f);
    }
    memdev_free(d);
    return e;
}

static void run_free(struct run *r)
{
    free(r->start);
    wlog_free(&r->log);
    oplog_free(&r->ops);
    free(r->commit_seq);
}

/* Replays the recorded writes through QEMU's blklogwrites driver (qemu-io)
 * and reads back the log QEMU wrote: it must hold the same entries. */
static int through_qemu(struct run *r, struct wlog *out)
{
    const char *dir = tmp_dir();
    char img[600], log[600], script[600];
    snprintf(img, sizeof img, "%s/q.img", dir);
    snprintf(log, sizeof log, "%s/q.log", dir);
    snprintf(script, sizeof script, "%s/q.cmds", dir);
    FILE *f = fopen(img, "wb");
    fwrite(r->start, 1, r->size, f);
    fclose(f);
    f = fopen(log, "wb");
    fclose(f);
    f = fopen(script, "w");
    run_cmd("mkdir -p %s/qd", dir);
    for (size_t i = 0; i < r->log.n; i++) {
        struct wlog_entry *e = &r->log.e[i];
        if (e->flush) {
            fprintf(f, "flush\n");
            continue;
        }
        char dp[700];
        snprintf(dp, sizeof dp, "%s/qd/%zu", dir, i);
        FILE *g = fopen(dp, "wb");
        fwrite(e->data, 512, e->nsect, g);
        fclose(g);
        fprintf(f, "write -s %s %llu %u\n", dp, (unsigned long long)e->lba * 512, e->nsect * 512);
    }
    fclose(f);
    int st = run_cmd("qemu-io -t writeback --image-opts driver=blklogwrites,file.driver=file,file.filename=%s,"
                     "log.driver=file,log.filename=%s < %s > %s.out 2>&1", img, log, script, script);
    if (st != 0)
        return -1;
    size_t nsup;
    int n = wlog_load_dm(out, log, &nsup);
    run_cmd("rm -rf %s/qd", dir);
    return n;
}

static int same_log(const struct wlog *a, const struct wlog *b)
{
    /* QEMU adds a flush when qemu-io closes the image */
    size_t n = a->n;
    if (b->n != n && !(b->n == n + 1 && b->e[n].flush))
        return 0;
    for (size_t i = 0; i < n; i++) {
        const struct wlog_entry *x = &a->e[i], *y = &b->e[i];
        if (x->flush != y->flush || (!x->flush && (x->lba != y->lba || x->nsect != y->nsect ||
                                                    memcmp(x->data, y->data, x->nsect * 512u))))
            return 0;
    }
    return 1;
}

static void one_run(const struct cfg *c, int bs, uint64_t seed, int nops, int qemu)
{
    char name[200], src[600], img[600];
    snprintf(name, sizeof name, "fs.crash.%d.seed%llu", bs, (unsigned long long)seed);
    snprintf(src, sizeof src, "%s/src", tmp_dir());
    snprintf(img, sizeof img, "%s/start.img", tmp_dir());
    run_cmd("rm -rf %s; mkdir -p %s/init/sub; head -c 3000 /dev/zero | tr '\\0' a > %s/init/a; "
            ": > %s/init/b; seq 1 4000 > %s/init/sub/c", src, src, src, src, src);
    struct run r;
    memset(&r, 0, sizeof r);
    if (mkimage(img, src, bs, bs == 1024 ? 4096 : 16384) != 0 || !(r.start = (uint8_t *)read_file(img, &r.size))) {
        printf("FAIL %s: mke2fs\n", name);
        check_failed = 1;
        return;
    }
    struct tree initial = {0};
    if (probe(&r) < 0 || initial_tree(&r, &initial) < 0) {
        printf("FAIL %s: the start image does not mount\n", name);
        check_failed = 1;
        return;
    }
    /* record the workload */
    struct blkdev *m = memdev_from(r.start, r.size);
    struct blkdev *rec = recdev_new(m, &r.log);
    struct fs *f;
    char *ops = 0;
    int e = fs_mount(rec, 0, 4096, &f);
    if (e == 0) {
        e = workload_run(f, &initial, seed, nops, &ops);
        int e2 = fs_umount(f);
        if (e == 0)
            e = e2;
    }
    recdev_free(rec);
    memdev_free(m);
    char nm[260];
    snprintf(nm, sizeof nm, "%s.workload", name);
    CHECK(nm, e == 0);
    if (e < 0)
        return;
    if (getenv("FS_KEEP")) {
        char p[700];
        snprintf(p, sizeof p, "%s/%s.oplog", getenv("FS_KEEP"), name);
        FILE *o = fopen(p, "w");
        fputs(ops, o);
        fclose(o);
        snprintf(p, sizeof p, "%s/%s.dmlog", getenv("FS_KEEP"), name);
        wlog_save_dm(&r.log, p);
        snprintf(p, sizeof p, "%s/%s.start.img", getenv("FS_KEEP"), name);
        o = fopen(p, "wb");
        fwrite(r.start, 1, r.size, o);
        fclose(o);
    }
    snprintf(nm, sizeof nm, "%s.oplog", name);
    CHECK(nm, oplog_load(&r.ops, ops, &initial) == 0 && r.ops.nops > 0);
    /* the model's last state is what the final image holds */
    free(ops);
    tree_free(&initial);
    find_commits(&r);
    long commits = 0;
    for (size_t i = 0; i < r.log.n; i++)
        commits += r.commit_seq[i] != 0;
    snprintf(nm, sizeof nm, "%s.ops%d-commits%ld", name, r.ops.nops, commits);
    CHECK(nm, commits > 3);
    sweep(&r, c, name);
    if (qemu) {
        struct wlog q = {0};
        int n = through_qemu(&r, &q);
        snprintf(nm, sizeof nm, "%s.qemu-blklogwrites-log-parsed", name);
        CHECK(nm, n > 0 && same_log(&r.log, &q));
        if (n > 0) {
            wlog_free(&r.log);
            r.log = q;
            free(r.commit_seq);
            find_commits(&r);
            struct cfg qc = *c;
            if (qc.stride < 5)
                qc.stride = 5;
            qc.cache_seeds = 1;
            snprintf(nm, sizeof nm, "%s.from-qemu-log", name);
            sweep(&r, &qc, nm);
        }
    }
    run_free(&r);
}

/* a log recorded elsewhere: --image start --log dm-log-writes --oplog ops */
static void external(const struct cfg *c, const char *image, const char *log, const char *oplog)
{
    struct run r;
    memset(&r, 0, sizeof r);
    size_t nsup;
    r.start = (uint8_t *)read_file(image, &r.size);
    char *ops = read_file(oplog, 0);
    struct tree initial = {0};
    int n = r.start && ops ? wlog_load_dm(&r.log, log, &nsup) : -1;
    CHECK("fs.crash.external.load", n > 0 && probe(&r) == 0 && initial_tree(&r, &initial) == 0);
    if (n <= 0)
        return;
    printf("external log: %d entries (%zu counted in its super block)\n", n, nsup);
    CHECK("fs.crash.external.oplog", oplog_load(&r.ops, ops, &initial) == 0);
    free(ops);
    tree_free(&initial);
    find_commits(&r);
    sweep(&r, c, "fs.crash.external");
    run_free(&r);
}

/* --mount IMG: what KLOS finds on a disk image after a real power cut */
static int mount_list(const char *path)
{
    struct blkdev *d = filedev_open(path, 0);
    struct fs *f;
    if (!d) {
        printf("mount: cannot open %s\n", path);
        return 2;
    }
    int r = fs_mount(d, 0, 4096, &f);
    if (r < 0) {
        printf("mount: failed (%d): %s\n", r, fsh_last_log());
        filedev_close(d);
        return 1;
    }
    struct tree t = {0};
    r = tree_load_fs(&t, f, 1);
    for (size_t i = 0; i < t.n; i++) {
        const struct tent *e = &t.e[i];
        uint32_t h = 2166136261u;
        for (size_t j = 0; j < e->len; j++)
            h = (h ^ e->data[j]) * 16777619u;
        if (e->dir)
            printf("dir %s\n", e->path);
        else
            printf("file %s size=%zu fnv=%08x\n", e->path, e->len, h);
    }
    int r2 = fs_umount(f);
    filedev_close(d);
    tree_free(&t);
    if (r < 0 || r2 < 0) {
        printf("mount: reading the tree (%d) or umount (%d) failed: %s\n", r, r2, fsh_last_log());
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, 0, _IOLBF, 0);
    struct cfg c = {0, 9, 1, 40};
    int qemu = 0;
    const char *image = 0, *log = 0, *oplog = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--full"))
            c = (struct cfg){1, 1, 3, 10};
        else if (!strcmp(argv[i], "--qemu"))
            qemu = 1;
        else if (!strcmp(argv[i], "--image") && i + 1 < argc)
            image = argv[++i];
        else if (!strcmp(argv[i], "--log") && i + 1 < argc)
            log = argv[++i];
        else if (!strcmp(argv[i], "--oplog") && i + 1 < argc)
            oplog = argv[++i];
        else if (!strcmp(argv[i], "--mount") && i + 1 < argc)
            return mount_list(argv[i + 1]);
    }
    if (image && log && oplog) {
        external(&c, image, log, oplog);
    } else if (c.full) {
        for (int bs = 1024; bs <= 4096; bs *= 4)
            for (uint64_t seed = 1; seed <= 2; seed++)
                one_run(&c, bs, seed, 90, qemu && seed == 1);
    } else {
        one_run(&c, 1024, 1, 60, qemu);
    }
    run_cmd("rm -rf %s", tmp_dir());
    return check_exit();
}
