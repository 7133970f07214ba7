/* a_fuzz: random EFLAGS bits (DF, AC, TF, NT, RF, ID) and random
 * values in EAX..EBP into every service -- through its Design B stub, its
 * hardened Design B stub and Design A, picked at random -- and into every
 * DPL-3 vector (int3, into, the software events 48..51, the OS's switch 52).  Arguments are
 * random words or values chosen to hit edges: page 0, page and segment
 * boundaries, the OS region, read-only and unmapped pages, lengths that wrap,
 * INT_MIN/INT_MAX.  A few services get their arguments tamed where the real
 * answer would be to block for ever or end the fuzzer (read from fd 0, sleep,
 * timeouts, exit), or to print garbage on the console (write to fd 1/2).
 *
 * TF=1 into a stub ends the child by design (the OS never shows an app a
 * context inside a stub), so the parent runs the fuzzing in children, one
 * after another, until FUZZ_CALLS calls were made, and counts how each ended.
 * At the end: the free-frame count as before, a later child (hello) runs,
 * and the bystander (a_byst) reports its registers and memory intact; the
 * test forbids any fault the OS reports as its own.
 *
 * On the sealed layout a process with threads or shared memory has no plain
 * Design B or Design A (docs/DESIGN.md §5.3): a call there is stopped before the
 * service runs.  So each child is one of two kinds, chosen by its seed: a
 * "plain" child holds no shared memory and creates no threads (those services
 * are skipped) and fuzzes B, hardened B and A, keeping its counters and
 * buffers in its own memory and reporting its call count in its exit status
 * (1000 + calls), so it calls services with every flag but TF (TF into a stub
 * would end it uncounted); a "shared" child uses the shared counters and buffers, creates
 * threads and regions, and fuzzes hardened B only.
 * ES: the stubs swap DS only, so each call goes in with a random
 * ES -- DSAPP or a null selector (0 or 3) -- and must come back with it, from
 * every stub and every vector ("ES ... came back as ...: WRONG" otherwise; a
 * null one may come back as 0); a null ES also makes any string instruction
 * the OS ran through it fault.
 * Prints ATTACK name=fuzz calls=N ... result=contained | BREACH. */
#include "attack.h"
#include "bystander.h"

#define FUZZ_CALLS 30000
#define CHILD_CALLS 3000
#define FZ_KEY 0xF022
#define RW_KEY 0xF023                   /* the writable buffers the services get */

#define F_TF 0x100
#define F_DF 0x400
#define F_NT 0x4000
#define F_RF 0x10000
#define F_AC 0x40000
#define F_ID 0x200000

struct fz_shm {
    volatile uint32_t svc, vec, faults, tf_in_stub_armed;
};
static struct fz_shm *fz, fz_own;
static int plain;                       /* this child keeps plain B and A (see above) */

static uint32_t rng;
static uint32_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

/* ---- the call: random registers and flags, then fn(args) ---------------- */
uint32_t fz_fn, fz_flags, fz_regs[7], fz_args[5], fz_ret, fz_esp, fz_es;
void fz_call(uint32_t unused);
asm(".text\n.globl fz_call\nfz_call:\n"
    "  pushl %ebp\n  pushl %ebx\n  pushl %esi\n  pushl %edi\n"
    "  movl %esp, fz_esp\n"
    "  movl fz_es, %eax\n  movl %eax, %es\n"         /* probe_call records it after, and reloads */
    "  pushl fz_args+16\n  pushl fz_args+12\n  pushl fz_args+8\n  pushl fz_args+4\n"
    "  pushl fz_args+0\n"
    "  pushl fz_flags\n"
    "  movl fz_regs+0, %eax\n  movl fz_regs+4, %ebx\n  movl fz_regs+8, %ecx\n"
    "  movl fz_regs+12, %edx\n  movl fz_regs+16, %esi\n  movl fz_regs+20, %edi\n"
    "  movl fz_regs+24, %ebp\n"
    "  popfl\n"
    "  call *fz_fn\n"
    "  pushl $0x202\n  popfl\n"
    "  movl %eax, fz_ret\n"
    "  movl fz_esp, %esp\n"
    "  popl %edi\n  popl %esi\n  popl %ebx\n  popl %ebp\n"
    "  ret\n");

/* One entry per DPL-3 vector: the same registers and flags, then int N. */
#define VEC(n)                                                                \
    void fz_int##n(void);                                                     \
    asm(".text\n.globl fz_int" #n "\nfz_int" #n ":\n  int $" #n "\n  ret\n")
VEC(3);
VEC(4);
VEC(48);
VEC(49);
VEC(50);
VEC(51);
VEC(52);                        /* CR3 = EAX for the OS only: refused here */
static void (*const vecs[])(void) = { fz_int3, fz_int4, fz_int48, fz_int49, fz_int50, fz_int51,
                                      fz_int52 };

/* The fault entry registered with exc_register (the OS enters it like a cdecl
 * call with a zero return address): resume after probe_call, with the
 * fuzzer's own flags, never the ones it fuzzed with. */
static void __attribute__((used, noreturn)) fz_entry(struct klos_fault *f)
{
    f->ctx.eflags &= ~(F_DF | F_AC | F_NT | F_TF | F_RF | F_ID);
    if (fz)
        fz->faults++;
    if (probe_on_fault(f))
        KLOS_SVC(exc_return, &f->ctx);
    dprintf(2, "fuzz: unexpected fault vec %u eip %x: WRONG\n", (unsigned)f->vec,
            (unsigned)f->ctx.eip);
    exit(128 + (int)f->vec);
}

/* ---- arguments --------------------------------------------------------------
 * The writable buffers lie at the start of a 64 KiB shared region of their
 * own: what a service writes past them (ps: 3 KiB at most) stays there, and
 * random pointers are kept off the fuzzer's own image and stack. */
static uint8_t (*rw)[4096];
static uint8_t rw_own[16][4096] __attribute__((aligned(4096)));
extern char _end[];
static const uint8_t ro[2 * 4096] __attribute__((aligned(4096))) = { 1 };
static uint8_t tstack[4096] __attribute__((aligned(16)));

static uint32_t off_self(uint32_t p)
{
    if ((p >= APP_IMAGE_BASE && p < (uint32_t)_end + 65536) ||
        (p >= APP_STACK_TOP - 65536 && p < APP_STACK_TOP))
        p ^= 0x40000000;
    return p;
}

static uint32_t ptr(void)
{
    static const uint32_t fixed[] = {
        0, 1, 4095, 4096, APP_TEXT_BASE, APP_DATA_BASE - 4, DSAPP_LIMIT - 3, DSAPP_LIMIT, KERNEL_BASE, SVC_B_BASE,
        SVC_A_BASE, 0xFFFFF000u, 0xFFFFFFFCu, 0xFFFFFFFFu, 0x80000000u, APP_STACK_TOP,
        0xA0000000u /* unmapped */,
    };
    switch (rnd() % 6) {
    case 0: return off_self(rnd());
    case 1: return fixed[rnd() % (sizeof fixed / sizeof fixed[0])];
    case 2: return (uint32_t)&ro[rnd() % sizeof ro];
    case 3: return (uint32_t)&rw[1][4096 - (rnd() % 64)];          /* near a page end */
    default: return (uint32_t)&rw[rnd() % 3][rnd() % 4096];
    }
}

static uint32_t size(void)
{
    static const uint32_t fixed[] = {
        0, 1, 2, 4, 12, 64, 4095, 4096, 4097, 65536, 65537, 0x7FFFFFFF, 0x80000000u,
        0xFFFFFFFFu, 0xFFFFFFFEu, 0x10000000u, 0x7FFFFFFF - 4095,
    };
    return rnd() % 3 == 0 ? rnd() : fixed[rnd() % (sizeof fixed / sizeof fixed[0])];
}

static uint32_t word(void)
{
    switch (rnd() % 3) {
    case 0: return off_self(rnd());
    case 1: return off_self(size());
    default: return ptr();
    }
}

static int uptr_ok_app(uint32_t p)
{
    return p >= APP_DATA_BASE;
}

static void thread_fn(void *arg)
{
    (void)arg;
    KLOS_SVC(thread_exit, 0);
}

static int fz_nocaller;         /* replywait's *from: a pid that is no caller */

/* Per service: arguments that may not block for ever, end us, or print garbage. */
static void tame(int svc)
{
    uint32_t *a = fz_args;
    switch (svc) {
    case SVC_read:
        if (a[0] == 0 && (int)a[2] > 0)
            a[1] = KERNEL_BASE;                         /* fd 0: only the refusals */
        break;
    case SVC_write:
        if (a[0] == 1 || a[0] == 2)
            a[2] = rnd() & 1 ? 0 : (uint32_t)-1;        /* nothing or EFAULT/EINVAL */
        break;
    case SVC_sleep:
        a[0] &= 3;
        break;
    case SVC_send:
        a[3] = 1 + (rnd() & 1);
        break;
    case SVC_recv:
        a[3] = 1 + (rnd() & 1);
        break;
    case SVC_call:                                      /* no timeout: only errors */
        a[0] = rnd() & 1 ? (uint32_t)KLOS_SVC(getpid) : (uint32_t)-1;
        break;
    case SVC_replywait:                                 /* an error before any wait */
        fz_nocaller = rnd() & 1 ? (int)KLOS_SVC(getpid) : 99999;
        a[0] = rnd() & 1 ? (uint32_t)&fz_nocaller : KERNEL_BASE;
        break;
    case SVC_thread_create:
        /* A thread on a few bytes of stack above an unmapped page makes the
         * service it calls (plain Design B runs on the caller's stack) fault
         * half-way: reported, the process ended -- a finding of this fuzzer,
         * left to the stubs (a stack probe).  Here: a real stack, or none. */
        a[0] = (uint32_t)thread_fn;
        if ((rnd() & 1) || uptr_ok_app(a[2]))
            a[2] = (uint32_t)(tstack + sizeof tstack);
        break;
    case SVC_exc_register:
        a[0] = (uint32_t)fz_entry;
        break;
    case SVC_exc_return:
        if (a[0] >= APP_DATA_BASE)
            a[0] = KERNEL_BASE + (a[0] & 0xFFF);        /* refusals only */
        break;
    case SVC_shm_create:
    case SVC_shm_map:
        if (a[0] == BYST_KEY || a[0] == FZ_KEY || a[0] == RW_KEY)
            a[0] = 7;
        break;
    case SVC_sbrk:
        if ((int)a[0] > 0x100000 && (rnd() & 7))
            a[0] %= 1000003;                            /* mostly small, sometimes huge ("&= 0xFFFFF" compiles to 0F 00 A3: VERR) */
        break;
    }
}

static uint32_t flags(int svc_call)
{
    uint32_t f = 0x202 | (rnd() & 0x8D5);              /* and random CF PF AF ZF SF OF */
    static const uint32_t bits[] = { F_DF, F_AC, F_NT, F_RF, F_ID };
    for (unsigned i = 0; i < sizeof bits / sizeof bits[0]; i++)
        if (rnd() & 1)
            f |= bits[i];
    if (svc_call ? rnd() % 512 == 0 : rnd() % 4 == 0)
        f |= F_TF;
    return f;
}

static const uint32_t es_values[] = { SEL_DSAPP, 0, 3 };
static int es_wrong;

static void pick_es(void)
{
    fz_es = es_values[rnd() % 3];
}

/* After a call that returned (probe_call 0): ES must be what it went in with.
 * A null selector may come back as 0: an IRET to CPL 3 loads NULL into a data
 * segment register whose descriptor is not valid there (SDM IRET), and a null
 * one never is -- any service that blocked or took an event went through one. */
static void check_es(int r, const char *what, uint32_t n)
{
    uint32_t es = probe_out.es & 0xFFFF;
    if (r == 0 && es != fz_es && (es | fz_es) > 3 && es_wrong++ < 5)
        dprintf(2, "fuzz: ES %x came back as %x from %s %u: WRONG\n", (unsigned)fz_es,
                (unsigned)(probe_out.es & 0xFFFF), what, (unsigned)n);
}

static void one_service(int svc)
{
    for (int i = 0; i < 5; i++)
        fz_args[i] = word();
    for (int i = 0; i < 7; i++)
        fz_regs[i] = rnd();
    if (plain && (svc == SVC_thread_create || svc == SVC_shm_create || svc == SVC_shm_map))
        return;                                         /* would take plain B and A away */
    tame(svc);
    uint32_t design = plain ? rnd() % 3 : 1;
    if (design == 0) {
        fz_fn = SVC_B_ADDR(svc);
    } else if (design == 1) {
        fz_fn = SVC_H_ADDR(svc);
    } else {                                            /* Design A: n, then the args */
        for (int i = 4; i > 0; i--)
            fz_args[i] = fz_args[i - 1];
        fz_args[0] = svc;                               /* or a number past the table */
        if (rnd() % 16 == 0)
            fz_args[0] = SVC_COUNT + rnd() % (0xFFFFFFFFu - SVC_COUNT);
        fz_fn = (uint32_t)svcA_entry;
    }
    fz_flags = flags(1);
    if (plain)
        fz_flags &= ~F_TF;                              /* so it lives to report its count */
    if (fz_flags & F_TF)
        fz->tf_in_stub_armed++;
    fz->svc++;
    pick_es();
    check_es(probe_call(fz_call, 0), fz_fn == (uint32_t)svcA_entry ? "Design A, service"
             : fz_fn >= SVC_B_BASE ? "Design B, service" : "hardened B, service", svc);
    if (svc == SVC_thread_create && (int)fz_ret > 0)
        KLOS_SVC(thread_join, fz_ret);                        /* no zombie threads piling up */
}

static void one_vector(void)
{
    for (int i = 0; i < 7; i++)
        fz_regs[i] = rnd();
    fz_fn = (uint32_t)vecs[rnd() % (sizeof vecs / sizeof vecs[0])];
    fz_flags = flags(0);
    fz->vec++;
    pick_es();
    check_es(probe_call(fz_call, 0), "vector entry", (uint32_t)fz_fn);
}

static int child(uint32_t seed)
{
    rng = seed | 1;
    plain = (seed >> 8) & 1;
    if (plain) {
        fz = &fz_own;
        rw = rw_own;
    } else {
        fz = shm_get(FZ_KEY, 4096);
        rw = shm_get(RW_KEY, 65536);
    }
    if (!fz || !rw || KLOS_SVC(exc_register, (void *)fz_entry) < 0)
        return 1;
    for (int i = 0; i < CHILD_CALLS; i++) {
        int svc = rnd() % SVC_COUNT;
        if (rnd() % 8 == 0)
            one_vector();
        else if (svc != SVC_exit && svc != SVC_thread_exit)
            one_service(svc);
    }
    /* the last call: exit itself, through a random design and flags */
    fz_args[0] = plain ? 1000 + fz->svc + fz->vec + 1 : 0;
    fz_args[1] = 0;
    for (int i = 0; i < 7; i++)
        fz_regs[i] = rnd();
    fz_fn = plain && (rnd() & 1) ? SVC_B_ADDR(SVC_exit) : SVC_H_ADDR(SVC_exit);
    fz_flags = flags(1) & ~F_TF;
    fz->svc++;
    pick_es();
    probe_call(fz_call, 0);
    return 1;                                           /* exit did not end us */
}

int main(int argc, char **argv)
{
    if (argc > 1)
        return child(strtoul(argv[1], 0, 16));
    fz = shm_get(FZ_KEY, 4096);
    uint32_t before = byst_join();
    uint32_t seed = (uint32_t)rdtsc64() ^ 0x9E3779B9u;
    int children = 0, clean = 0, by_os = 0, other = 0, plain_kids = 0, t0 = uptime();
    uint32_t plain_calls = 0;
    printf("fuzz: seed %x, %d calls, %d per child\n", seed, FUZZ_CALLS, CHILD_CALLS);
    while (fz && fz->svc + fz->vec + plain_calls < FUZZ_CALLS) {
        char arg[16];
        seed = seed * 1664525u + 1013904223u;
        snprintf(arg, sizeof arg, "%x", seed);
        int st = -1, pid = spawn("a_fuzz", arg);
        if (pid < 0 || wait(pid, &st) != pid) {
            printf("fuzz: child %d not started (%d): WRONG\n", children, pid);
            break;
        }
        children++;
        if (st == 0) {
            clean++;
        } else if (st > 1000 && st <= 1000 + CHILD_CALLS + 1) {
            clean++;
            plain_kids++;
            plain_calls += st - 1000;                   /* a plain child's own count */
        }
        else if (st == 128 + 1)
            by_os++;                                    /* TF into a stub: ended by the OS */
        else {
            other++;
            printf("fuzz: child %d (pid %d) ended with %d: WRONG\n", children, pid, st);
        }
    }
    int later = -1, pid = spawn("hello", "");
    if (pid > 0)
        wait(pid, &later);
    uint32_t after = byst_free_frames();
    int ok = fz && fz->svc + fz->vec + plain_calls >= FUZZ_CALLS && !other && later == 0 &&
             before == after;
    printf("ATTACK name=fuzz calls=%u services=%u vectors=%u plain_calls=%u faults_caught=%u "
           "tf_into_stub=%u children=%d plain_children=%d exited=%d ended_by_os=%d later_child=%d "
           "ticks=%d frames_before=%u frames_after=%u result=%s\n",
           fz ? fz->svc + fz->vec + plain_calls : 0, fz ? fz->svc : 0,
           fz ? fz->vec : 0, plain_calls, fz ? fz->faults : 0, fz ? fz->tf_in_stub_armed : 0,
           children, plain_kids, clean, by_os, later, uptime() - t0, before, after, ok ? "contained" : "BREACH");
    byst_leave();
    return !ok;
}
