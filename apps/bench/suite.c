/* The whole-system benchmark suite (issue 22): lmbench-style rows on KLOS's
 * own services, each run through every service-call design of design.h
 * (B, hardened B, A, and T: a real trap into ring 0 and back around the call).
 *
 * It runs in a child of the bench (bench spawns itself with "suite"): a
 * process with no shared memory and no second thread, so the OS has left it
 * plain Design B and Design A (docs/DESIGN.md §5.3).  Helpers are the same
 * module again: "yielder D" (yields through D until killed), "ipcpeer D"
 * (answers calls through D's replywait), and the program "true".
 *
 * Per row and design it prints
 *   SUITE row=R design=D ops=N calls=C total=T mech=M mech_pct=P idle=I unit=U
 * per operation (C, T, M in milli): C service calls, T instructions (cycles on
 * a PC), M = C x the design's own null-call cost measured first (its "null"
 * row), the share the call mechanism takes.  I: idle-loop instructions taken
 * out (rows that wait for the disk; under QEMU -icount the wait is a spin whose
 * length the host decides, os/bench/idle.c).  A window during which the timer
 * ticked is taken again (short rows), so the figures are deterministic. */
#include "design.h"
#include "klos_cpu.h"
#include "stats.h"

#define DIR "/home/s"
#define BIG DIR "/f1m"                  /* 1 MiB, written by the suite: cached */
#define MIB (1024 * 1024)

static const struct design *D;
static int di;                          /* D's index */
static int icount_mode;
static const char *self;
static uint8_t buf[65536];
static struct klos_stat st;
static uint64_t null_cost[NDESIGN];     /* milli-instructions per call in the mechanism */
static uint64_t null_floor;             /* the same loop and table, a local function */

static inline uint64_t tsc(void)
{
    uint32_t lo, hi, a = 0, b, c, d;
    __asm__ volatile("cpuid" : "+a"(a), "=b"(b), "=c"(c), "=d"(d));
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

static void die(const char *what, int r)
{
    printf("SUITE-FAIL %s design=%s: %d\n", what, D ? D->name : "-", r);
    exit(3);
}

static void name_of(char *out, const char *pre, int i)
{
    snprintf(out, 64, "%s%d", pre, i);
}

/* ---------------------------------------------------------------- rows */

struct row {
    const char *name;
    void (*setup)(int n);               /* untimed */
    void (*run)(int n);                 /* timed: n operations */
    void (*teardown)(int n);            /* untimed */
    int n;                              /* operations per window */
    int div;                            /* report per op / div (1, or KiB per op) */
    int calls_x;                        /* calls seen by this process x this = all */
    int disk;                           /* waits for the disk: not taken again on a tick */
};

static int fd_big, fd_w, fd_sync, child[32], nchild;

static void nothing(int n) { (void)n; }

static void r_null(int n)
{
    while (n--)
        D->null();
}

static void s_big_open(int n)
{
    (void)n;
    if ((fd_big = D->open(BIG, O_RDONLY, 0)) < 0)
        die("open " BIG, fd_big);
}

static void t_big_close(int n)
{
    (void)n;
    D->close(fd_big);
}

static void r_read1(int n)
{
    while (n--)
        D->read(fd_big, buf, 1);
}

static void r_read512(int n)
{
    while (n--)
        D->read(fd_big, buf, 512);
}

static void s_w_open(int n)
{
    (void)n;
    if ((fd_w = D->open(DIR "/w1", O_CREAT | O_RDWR | O_TRUNC, 0644)) < 0)
        die("open w1", fd_w);
}

static void t_w_close(int n)
{
    (void)n;
    D->close(fd_w);
    D->unlink(DIR "/w1");
}

static void r_write1(int n)
{
    while (n--)
        D->write(fd_w, buf, 1);
}

static void r_stat(int n)
{
    while (n--)
        D->stat(BIG, &st);
}

static void r_fstat(int n)
{
    while (n--)
        D->fstat(fd_big, &st);
}

static void r_openclose(int n)
{
    while (n--)
        D->close(D->open(BIG, O_RDONLY, 0));
}

static void r_orc512(int n)
{
    while (n--) {
        int fd = D->open(BIG, O_RDONLY, 0);
        D->read(fd, buf, 512);
        D->close(fd);
    }
}

/* create+write N+close of files c0..c(n-1); then, separately, their unlink */
static int create_size;

static void create_files(int n)
{
    char p[64];
    for (int i = 0; i < n; i++) {
        name_of(p, DIR "/c", i);
        int fd = D->open(p, O_CREAT | O_WRONLY | O_TRUNC, 0644);
        if (create_size)
            D->write(fd, buf, create_size);
        D->close(fd);
    }
}

static void unlink_files(int n)
{
    char p[64];
    for (int i = 0; i < n; i++) {
        name_of(p, DIR "/c", i);
        D->unlink(p);
    }
}

static void r_crdel(int n)
{
    create_files(n);
    unlink_files(n);
}

static void s_create512(int n)
{
    create_size = 512;
    (void)n;
}

static void s_unlink(int n)
{
    create_size = 512;
    create_files(n);
}

static void r_mkdir(int n)
{
    char p[64];
    for (int i = 0; i < n; i++) {
        name_of(p, DIR "/d", i);
        D->mkdir(p, 0755);
    }
}

static void t_rmdir(int n)
{
    char p[64];
    for (int i = 0; i < n; i++) {
        name_of(p, DIR "/d", i);
        D->rmdir(p);
    }
}

static void r_fsync4k(int n)
{
    while (n--) {
        D->lseek(fd_w, 0, SEEK_SET);
        D->write(fd_w, buf, 4096);
        D->fsync(fd_w);
    }
}

static int piece;
static const char *rd_path = BIG;

static void r_read1m(int n)
{
    while (n--) {
        D->lseek(fd_big, 0, SEEK_SET);
        for (int done = 0; done < MIB; done += piece)
            D->read(fd_big, buf, piece);
    }
}

static void s_unc_open(int n)
{
    (void)n;
    if ((fd_big = D->open(rd_path, O_RDONLY, 0)) < 0)
        die("open uncached file", fd_big);
}

/* spawn+exit+wait */
static const char *prog;

static void r_spawn(int n)
{
    int s;
    while (n--) {
        int pid = D->spawn(prog, "");
        if (pid < 0)
            die(prog, pid);
        D->wait(pid, &s);
    }
}

/* context switch between nproc processes: this one and nproc-1 yielders,
 * all yielding through D; the FIFO run queue makes every yield one switch */
static int nproc;

static void s_yielders(int n)
{
    char arg[16];
    (void)n;
    snprintf(arg, sizeof arg, "yielder %s", D->name);
    for (nchild = 0; nchild < nproc - 1; nchild++)
        if ((child[nchild] = klos_spawn(self, arg)) < 0)
            die("spawn yielder", child[nchild]);
    for (int i = 0; i < 4; i++)
        D->yield();                     /* all are in the ring by now */
}

static void t_children(int n)
{
    int s;
    (void)n;
    for (int i = 0; i < nchild; i++) {
        klos_kill(child[i]);
        klos_wait(child[i], &s);
    }
    nchild = 0;
}

static void r_yield(int n)
{
    while (n--)
        D->yield();
}

static void s_ipcpeer(int n)
{
    char arg[16];
    (void)n;
    snprintf(arg, sizeof arg, "ipcpeer %s", D->name);
    if ((child[0] = klos_spawn(self, arg)) < 0)
        die("spawn ipcpeer", child[0]);
    nchild = 1;
    klos_yield();                       /* it blocks in replywait */
}

static void r_ipc(int n)
{
    static int msg;
    while (n--) {
        msg = 0x1234;
        D->call(child[0], &msg, sizeof msg, sizeof msg);
    }
}

/* ---- Postmark-style: 500 files of 512 B..16 KiB, 2000 transactions, each a
 * create or a delete and a read (whole file) or an append, seeded. */
#define PM_FILES 500
#define PM_TX 2000
#define PM_MAX 1000
static uint32_t pm_seed;
static int pm_live[PM_MAX], pm_nlive, pm_next;

static uint32_t pm_rand(void)
{
    pm_seed = pm_seed * 1103515245u + 12345u;
    return pm_seed >> 8;
}

static void pm_create(void)
{
    char p[64];
    int size = 512 + pm_rand() % (16384 - 512 + 1), id = pm_next++;
    name_of(p, "/home/p/f", id);
    int fd = D->open(p, O_CREAT | O_WRONLY | O_TRUNC, 0644);
    if (fd < 0)
        die("postmark create", fd);
    D->write(fd, buf, size);
    D->close(fd);
    pm_live[pm_nlive++] = id;
}

static void pm_delete(int k)
{
    char p[64];
    name_of(p, "/home/p/f", pm_live[k]);
    D->unlink(p);
    pm_live[k] = pm_live[--pm_nlive];
}

static void s_postmark(int n)
{
    (void)n;
    pm_seed = 42;
    pm_nlive = pm_next = 0;
    D->mkdir("/home/p", 0755);
    for (int i = 0; i < PM_FILES; i++)
        pm_create();
}

static void r_postmark(int n)
{
    char p[64];
    while (n--) {
        if (pm_rand() & 1 || pm_nlive < 2)
            pm_create();
        else
            pm_delete(pm_rand() % pm_nlive);
        name_of(p, "/home/p/f", pm_live[pm_rand() % pm_nlive]);
        if (pm_rand() & 1) {
            int fd = D->open(p, O_RDONLY, 0);
            while (D->read(fd, buf, 4096) > 0)
                ;
            D->close(fd);
        } else {
            int fd = D->open(p, O_WRONLY | O_APPEND, 0);
            D->write(fd, buf, 512 + pm_rand() % (4096 - 512 + 1));
            D->close(fd);
        }
    }
}

static void t_postmark(int n)
{
    (void)n;
    while (pm_nlive)
        pm_delete(pm_nlive - 1);
    D->rmdir("/home/p");
}

/* Each row's parameters are set by its own small setup. */
/* once first, untimed: the directory has grown to hold the names */
static void s_cr0(int n) { create_size = 0; r_crdel(n); }
static void s_cr1(int n) { create_size = 1024; r_crdel(n); }
static void s_cr4(int n) { create_size = 4096; r_crdel(n); }
static void s_cr10(int n) { create_size = 10240; r_crdel(n); }
static void s_rd4(int n) { piece = 4096; s_big_open(n); }
static void s_rd64(int n) { piece = 65536; s_big_open(n); }
/* the part read512 reads, read once untimed: in the cache even after postmark */
static void s_rd512(int n)
{
    s_big_open(n);
    for (int done = 0; done < n * 512; done += sizeof buf)
        D->read(fd_big, buf, sizeof buf);
    D->lseek(fd_big, 0, SEEK_SET);
}
static void s_unc4(int n) { piece = 4096; s_unc_open(n); }
static void s_unc64(int n) { piece = 65536; s_unc_open(n); }
static void s_ctx2(int n) { nproc = 2; s_yielders(n); }
static void s_ctx8(int n) { nproc = 8; s_yielders(n); }
static void s_ctx32(int n) { nproc = 32; s_yielders(n); }
/* one spawn first, untimed: the program's blocks are then in the cache */
static void s_disk(int n) { prog = "/bin/true"; r_spawn(1); (void)n; }
static void s_mod(int n) { prog = "true"; r_spawn(1); (void)n; }

enum { R_NULL, R_READ1, R_WRITE1, R_STAT, R_FSTAT, R_OPENCLOSE, R_IPC, R_CTX2, R_CTX8,
       R_CTX32, R_SPAWN_DISK, R_SPAWN_MOD, R_CRDEL0, R_CRDEL1, R_CRDEL4, R_CRDEL10,
       R_FSYNC4K, R_RD4K, R_RD64K, R_UNC4K, R_UNC64K, R_POSTMARK, R_READ512, R_ORC512,
       R_CWC512, R_UNLINK, R_MKDIR, NROW };

static const struct row rows[NROW] = {
    [R_NULL] = {"null", nothing, r_null, nothing, 1000, 1, 1, 0},
    [R_READ1] = {"read1", s_big_open, r_read1, t_big_close, 1000, 1, 1, 0},
    [R_WRITE1] = {"write1", s_w_open, r_write1, t_w_close, 1000, 1, 1, 0},
    [R_STAT] = {"stat", nothing, r_stat, nothing, 200, 1, 1, 0},
    [R_FSTAT] = {"fstat", s_big_open, r_fstat, t_big_close, 1000, 1, 1, 0},
    [R_OPENCLOSE] = {"open+close", nothing, r_openclose, nothing, 200, 1, 1, 0},
    [R_IPC] = {"ipc", s_ipcpeer, r_ipc, t_children, 200, 1, 2, 0},
    [R_CTX2] = {"ctx2", s_ctx2, r_yield, t_children, 200, 1, 1, 0},
    [R_CTX8] = {"ctx8", s_ctx8, r_yield, t_children, 50, 1, 1, 0},
    [R_CTX32] = {"ctx32", s_ctx32, r_yield, t_children, 20, 1, 1, 0},
    [R_SPAWN_DISK] = {"spawn-disk", s_disk, r_spawn, nothing, 10, 1, 1, 0},
    [R_SPAWN_MOD] = {"spawn-module", s_mod, r_spawn, nothing, 10, 1, 1, 0},
    [R_CRDEL0] = {"crdel0k", s_cr0, r_crdel, nothing, 50, 1, 1, 0},
    [R_CRDEL1] = {"crdel1k", s_cr1, r_crdel, nothing, 50, 1, 1, 0},
    [R_CRDEL4] = {"crdel4k", s_cr4, r_crdel, nothing, 50, 1, 1, 0},
    [R_CRDEL10] = {"crdel10k", s_cr10, r_crdel, nothing, 50, 1, 1, 0},
    [R_FSYNC4K] = {"fsync4k", s_w_open, r_fsync4k, t_w_close, 5, 1, 1, 1},
    [R_RD4K] = {"rd1m-4k/KiB", s_rd4, r_read1m, t_big_close, 2, 1024, 1, 0},
    [R_RD64K] = {"rd1m-64k/KiB", s_rd64, r_read1m, t_big_close, 2, 1024, 1, 0},
    [R_UNC4K] = {"unc1m-4k/KiB", s_unc4, r_read1m, t_big_close, 1, 1024, 1, 1},
    [R_UNC64K] = {"unc1m-64k/KiB", s_unc64, r_read1m, t_big_close, 1, 1024, 1, 1},
    [R_POSTMARK] = {"postmark/tx", s_postmark, r_postmark, t_postmark, PM_TX, 1, 1, 1},
    [R_READ512] = {"read512", s_rd512, r_read512, t_big_close, 1000, 1, 1, 0},
    [R_ORC512] = {"open+read512+close", nothing, r_orc512, nothing, 200, 1, 1, 0},
    [R_CWC512] = {"create+write512+close", s_create512, create_files, unlink_files, 50, 1, 1, 0},
    [R_UNLINK] = {"unlink", s_unlink, unlink_files, nothing, 50, 1, 1, 0},
    [R_MKDIR] = {"mkdir", nothing, r_mkdir, t_rmdir, 50, 1, 1, 0},
};

/* issue 21's anchor: xv6 under QEMU 7.2 -icount shift=0, RAM-backed disk */
static const struct { int row; uint32_t xv6; const char *what; } anchors[] = {
    {R_NULL, 1395, "getpid"},
    {R_ORC512, 64872, "open+read 512+close"},
    {R_CWC512, 473671, "create+write 512+close"},
    {R_UNLINK, 193384, "unlink"},
    {R_SPAWN_DISK, 2000000, "fork+exit+wait"},
};

/* Budgets: Design B under QEMU 7.2 -icount shift=0 -cpu pentium3, measured
 * + 20%, milli-instructions per operation (0: no budget). */
static const uint64_t budget_b[NROW] = {
    [R_NULL] = 20419, /* null: 17.016 */
    [R_READ1] = 796819, /* read1: 664.016 */
    [R_WRITE1] = 1822692, /* write1: 1518.910 */
    [R_STAT] = 2946096, /* stat: 2455.080 */
    [R_FSTAT] = 470419, /* fstat: 392.016 */
    [R_OPENCLOSE] = 2892114, /* open+close: 2410.095 */
    [R_IPC] = 689934, /* ipc: 574.945 */
    [R_CTX2] = 302748, /* ctx2: 252.290 */
    [R_CTX8] = 302074, /* ctx8: 251.728 */
    [R_CTX32] = 301886, /* ctx32: 251.572 */
    [R_SPAWN_DISK] = 215716680, /* spawn-disk: 179763.900 */
    [R_SPAWN_MOD] = 165261480, /* spawn-module: 137717.900 */
    [R_CRDEL0] = 16412160, /* crdel0k: 13676.800 */
    [R_CRDEL1] = 22565472, /* crdel1k: 18804.560 */
    [R_CRDEL4] = 23573472, /* crdel4k: 19644.560 */
    [R_CRDEL10] = 31886256, /* crdel10k: 26571.880 */
    [R_FSYNC4K] = 120423840, /* fsync4k: 100353.200 */
    [R_RD4K] = 567718, /* rd1m-4k/KiB: 473.098 */
    [R_RD64K] = 487280, /* rd1m-64k/KiB: 406.067 */
    [R_UNC4K] = 3518534, /* unc1m-4k/KiB: 2932.112 */
    [R_UNC64K] = 3455958, /* unc1m-64k/KiB: 2879.965 */
    [R_POSTMARK] = 133607210, /* postmark/tx: 111339.342 */
    [R_READ512] = 1095667, /* read512: 913.056 */
    [R_ORC512] = 3837714, /* open+read512+close: 3198.095 */
    [R_CWC512] = 15370176, /* create+write512+close: 12808.480 */
    [R_UNLINK] = 7090848, /* unlink: 5909.040 */
    [R_MKDIR] = 14735712, /* mkdir: 12279.760 */
};

static uint64_t res[NROW][NDESIGN], res_calls[NROW][NDESIGN], res_mech[NROW][NDESIGN];

static void run_row(int ri)
{
    const struct row *r = &rows[ri];
    uint64_t total = 0;
    uint32_t calls = 0, idle = 0;
    for (int tries = 0; tries < 4; tries++) {
        r->setup(r->n);
        klos_fsync(fd_sync);            /* every window starts with nothing to commit */
        int t0 = klos_uptime();
        uint32_t c0 = svc_calls, i0 = klos_idle_count();
        uint64_t a = tsc();
        r->run(r->n);
        uint64_t b = tsc();
        uint32_t i1 = klos_idle_count(), c1 = svc_calls;
        int t1 = klos_uptime();
        r->teardown(r->n);
        calls = (c1 - c0) * r->calls_x;
        idle = icount_mode ? 3 * (i1 - i0) : 0;
        total = b - a - idle;
        if (t1 == t0 || r->disk || r->n * r->div > 100000)
            break;                      /* long and disk rows: ticks stay in (say so) */
    }
    uint64_t per = (uint64_t)r->n * r->div;
    uint64_t t = (total * 1000 + per / 2) / per, c = ((uint64_t)calls * 1000 + per / 2) / per;
    if (ri == R_CTX2 || ri == R_CTX8 || ri == R_CTX32) {
        /* per switch: nproc switches per yield of ours, each one a yield through D */
        per *= nproc;
        t = (total * 1000 + per / 2) / per;
        c = 1000;
    }
    if (ri == R_NULL)
        null_cost[di] = t > null_floor ? t - null_floor : 0;
    uint64_t m = (c * null_cost[di] + 500) / 1000;
    if (ri == R_NULL) {
        char x[32];
        stats_fmt_milli(x, null_cost[di]);
        printf("SUITE-PERCALL design=%s mech=%s (the null row less the floor)\n", D->name, x);
    }
    res[ri][di] = t;
    res_calls[ri][di] = c;
    res_mech[ri][di] = m;
    char a[32], b[32], e[32];
    stats_fmt_milli(a, c);
    stats_fmt_milli(b, t);
    stats_fmt_milli(e, m);
    printf("SUITE row=%s design=%s ops=%d calls=%s total=%s mech=%s mech_pct=%u.%u idle=%u"
           " unit=%s\n", r->name, D->name, r->n, a, b, e,
           t ? (uint32_t)(m * 100 / t) : 0, t ? (uint32_t)(m * 1000 / t % 10) : 0, idle,
           icount_mode ? "instructions" : "cycles");
}

/* The call mechanism's share of a null call: the null row less the same loop
 * through the same kind of table entry (a counted call) to a local function
 * that returns 0.  What remains is the design's stub (B, Bh), trampoline (A),
 * or trap and stub (T), and the service's own `xor eax,eax; ret`. */
static int near_null(void)
{
    svc_calls++;
    return 0;
}

static void measure_floor(void)
{
    static struct design near = {.name = "near", .null = near_null};
    char a[32];
    D = &near;
    for (int tries = 0; tries < 4; tries++) {
        int t0 = klos_uptime();
        uint64_t x = tsc();
        r_null(rows[R_NULL].n);
        uint64_t y = tsc();
        null_floor = ((y - x) * 1000 + rows[R_NULL].n / 2) / rows[R_NULL].n;
        if (klos_uptime() == t0)
            break;
    }
    D = 0;
    stats_fmt_milli(a, null_floor);
    printf("SUITE-FLOOR near=%s (the null row's loop and counted table call to a local"
           " function; taken from each design's null row to give its per-call cost)\n", a);
}

static void whole_kib(char *out, uint64_t milli)
{
    snprintf(out, 32, "%llu", (unsigned long long)((milli + 500) / 1000));
}

static void table(void)
{
    char a[32];
    printf("\nSUITE table: %s per operation through each design (calls: service calls per"
           " operation; mech%%: calls x that design's null call, as a share of the total)\n",
           icount_mode ? "instructions" : "cycles");
    printf("%-22s %7s", "row", "calls");
    for (int d = 0; d < NDESIGN; d++)
        printf(" %10s %6s", designs[d].name, "mech%");
    printf("\n");
    for (int ri = 0; ri < NROW; ri++) {
        if (!res[ri][D_B])
            continue;
        stats_fmt_milli(a, res_calls[ri][D_B]);
        a[strlen(a) - 2] = 0;           /* one decimal */
        printf("%-22s %7s", rows[ri].name, a);
        for (int d = 0; d < NDESIGN; d++) {
            uint64_t t = res[ri][d], m = res_mech[ri][d];
            whole_kib(a, t);
            printf(" %10s %5u%%", a, t ? (uint32_t)((m * 100 + t / 2) / t) : 0);
        }
        printf("\n");
    }
    printf("\nSUITE xv6 anchor (issue 21: xv6 under QEMU 7.2 -icount shift=0, RAM-backed disk)"
           " against KLOS Design B\n");
    for (unsigned k = 0; k < sizeof anchors / sizeof anchors[0]; k++) {
        uint64_t v = res[anchors[k].row][D_B];
        if (!v)
            continue;
        uint64_t q = (uint64_t)anchors[k].xv6 * 1000 * 10 / v;
        whole_kib(a, v);
        printf("SUITE-XV6 row=%s klos=%s xv6=%u (%s) ratio=%u.%u\n", rows[anchors[k].row].name,
               a, anchors[k].xv6, anchors[k].what, (uint32_t)(q / 10), (uint32_t)(q % 10));
    }
}

static void checks(void)
{
    char a[32], b[32];
    for (int ri = 0; ri < NROW; ri++) {
        if (!budget_b[ri])
            continue;
        uint64_t v = res[ri][D_B];
        stats_fmt_milli(a, v);
        stats_fmt_milli(b, budget_b[ri]);
        printf("BENCH-CHECK suite-%s-budget %s (%s <= %s instructions, design B, measured +"
               " 20%%)\n", rows[ri].name, v && v <= budget_b[ri] ? "PASS" : "FAIL", a, b);
    }
}

/* ---------------------------------------------------------------- roles */

static void make_file(const char *path, int size)
{
    int fd = klos_open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
    if (fd < 0)
        die(path, fd);
    for (int i = 0; i < (int)sizeof buf; i++)
        buf[i] = (uint8_t)(i * 7);
    for (int done = 0; done < size; done += sizeof buf)
        klos_write(fd, buf, sizeof buf);
    klos_close(fd);
}

int suite_main(const char *me)
{
    struct klos_cpuinfo ci;
    static char upath[NDESIGN][2][32];
    self = me;
    memset(&ci, 0, sizeof ci);
    klos_cpuinfo(&ci);
    icount_mode = ci.icount;
    int r = klos_mkdir(DIR, 0755);
    if (r == -ENODEV || r == -ENOENT) {
        printf("SUITE-NODISK (no file system mounted: the suite needs the disk make run"
               " attaches)\n");
        return 0;
    }
    make_file(BIG, MIB);
    if ((fd_sync = klos_open(BIG, O_RDONLY, 0)) < 0)
        die("open " BIG, fd_sync);
    measure_floor();
    printf("# suite: each row through B (Design B), Bh (hardened B), A (Design A) and T (a trap"
           " into the bench's ring-0 entry and IRET back around each Design B call); per"
           " operation; rows that wait for the disk have the idle loop's instructions taken out"
           " (idle=, os/bench/idle.c)\n");
    for (int d = 0; d < NDESIGN; d++)
        for (int k = 0; k < 2; k++)
            snprintf(upath[d][k], 32, "/bench/u%d", d * 2 + k);
    for (int ri = 0; ri < NROW; ri++)
        for (di = 0; di < NDESIGN; di++) {
            D = &designs[di];
            if (di == D_T && ci.events_task) {
                if (ri == 0)
                    printf("SUITE-NOT design=T reason=events-task (no ring-0 entry to trap"
                           " into)\n");
                continue;
            }
            if (ri == R_UNC4K || ri == R_UNC64K) {
                rd_path = upath[di][ri == R_UNC64K];
                if (klos_stat(rd_path, &st) < 0 || st.st_size < MIB) {
                    if (di == 0)
                        printf("SUITE-NOFILE row=%s (%s: the disk has no /bench files)\n",
                               rows[ri].name, rd_path);
                    continue;
                }
            }
            run_row(ri);
        }
    D = 0;
    klos_unlink(BIG);
    klos_rmdir(DIR);
    table();
    if (icount_mode && !ci.events_task)
        checks();
    printf("SUITE-DONE\n");
    return 0;
}

int suite_helper(const char *role, const char *dname)
{
    int d = design_index(dname);
    if (d < 0)
        return 2;
    D = &designs[d];
    if (!strcmp(role, "yielder"))
        for (;;)
            D->yield();
    if (!strcmp(role, "ipcpeer")) {
        static int msg[4];
        int from = 0, n = 0;
        for (;;)
            if ((n = D->replywait(&from, msg, n, sizeof msg)) < 0)
                return 4;
    }
    return 2;
}
