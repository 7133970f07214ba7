/* Shared code of the hostile apps (tests/attacks/a_*): included once by each app's
 * .c file (this directory holds .notapp, so it is no app itself).
 *
 *   probe_call(fn, arg)  runs fn(arg) under the app's fault handler, like
 *                        setjmp/longjmp: returns 0 if fn returned, or
 *                        PROBE_FAULT|vector if it faulted (probe_last holds
 *                        the fault).  Either way the callee-saved registers,
 *                        ESP and DS=ES=SS=DSAPP, FS=GS=0 are restored, and
 *                        probe_out holds the segment registers and EAX/ECX/EDX
 *                        as fn left them (after a normal return).
 *   rd32(sel, addr)      probe_call a 4-byte read of sel:addr (through FS)
 *   sel_is_os(sel)       is sel a loadable data segment that reads the OS
 *                        region?  (Loads sel into FS: a hidden slot gives #NP.)
 *   sci()                a/b printed as d.ddde-XX, in integers (no FPU here)
 *   poisson_bound999()   one-sided 99.9% upper bound of a Poisson count
 *
 * Every line meant for the test runner starts with "ATTACK name=".
 * No floating point anywhere: apps have no FPU state saving. */
#ifndef ATTACK_H
#define ATTACK_H
#include "user.h"

#define PROBE_FAULT 0x100

struct probe_jb {
    uint32_t ebx, esi, edi, ebp, esp, eip;
};
struct probe_out {
    uint32_t ds, es, fs, gs, ss, eax, ecx, edx;
};

struct probe_jb probe_jb;
struct probe_out probe_out;
volatile int probe_armed;
struct klos_fault probe_last;
uint32_t probe_nfault[32];              /* faults seen by probe_call, by vector */

int probe_call(void (*fn)(uint32_t), uint32_t arg);

/* After fn returns: record what it left in the segment registers (EBX, ESI
 * are free: restored from the jump buffer), reload DSAPP, restore, return 0. */
asm(".text\n"
    ".globl probe_call\n"
    "probe_call:\n"
    "  movl %ebx, probe_jb+0\n"
    "  movl %esi, probe_jb+4\n"
    "  movl %edi, probe_jb+8\n"
    "  movl %ebp, probe_jb+12\n"
    "  leal 4(%esp), %eax\n"
    "  movl %eax, probe_jb+16\n"
    "  movl (%esp), %eax\n"
    "  movl %eax, probe_jb+20\n"
    "  movl $1, probe_armed\n"
    "  movl 4(%esp), %eax\n"
    "  pushl 8(%esp)\n"
    "  call *%eax\n"
    "  movl %ds, %ebx\n"
    "  movl %eax, %esi\n"
    "  movl $0x23, %eax\n"                  /* SEL_DSAPP */
    "  movl %eax, %ds\n"
    "  movl %ebx, probe_out+0\n"
    "  movl %es, %ebx\n"
    "  movl %ebx, probe_out+4\n"
    "  movl %fs, %ebx\n"
    "  movl %ebx, probe_out+8\n"
    "  movl %gs, %ebx\n"
    "  movl %ebx, probe_out+12\n"
    "  movl %ss, %ebx\n"
    "  movl %ebx, probe_out+16\n"
    "  movl %esi, probe_out+20\n"
    "  movl %ecx, probe_out+24\n"
    "  movl %edx, probe_out+28\n"
    "  movl %eax, %es\n"
    "  movl %eax, %ss\n"
    "  movl probe_jb+16, %esp\n"
    "  xorl %eax, %eax\n"
    "  movl %eax, %fs\n"
    "  movl %eax, %gs\n"
    "  movl %eax, probe_armed\n"
    "  movl probe_jb+0, %ebx\n"
    "  movl probe_jb+4, %esi\n"
    "  movl probe_jb+8, %edi\n"
    "  movl probe_jb+12, %ebp\n"
    "  jmp *probe_jb+20\n");

/* Fault handler link: resume after probe_call with the fault's vector. */
static __attribute__((unused)) int probe_on_fault(struct klos_fault *f)
{
    if (!probe_armed)
        return 0;
    probe_armed = 0;
    probe_last = *f;
    if (f->vec < 32)
        probe_nfault[f->vec]++;
    f->ctx.ebx = probe_jb.ebx;
    f->ctx.esi = probe_jb.esi;
    f->ctx.edi = probe_jb.edi;
    f->ctx.ebp = probe_jb.ebp;
    f->ctx.esp = probe_jb.esp;
    f->ctx.eip = probe_jb.eip;
    f->ctx.eax = PROBE_FAULT | f->vec;
    return 1;
}

static __attribute__((unused)) void probe_init(void)
{
    static int done;
    if (!done && klos_on_fault(probe_on_fault) == 0)
        done = 1;
}

/* ---- reads through a chosen selector (FS: DS stays DSAPP) --------------- */
uint32_t rd_addr, rd_val;
void rd_fs(uint32_t sel);
asm(".text\n"
    ".globl rd_fs\n"
    "rd_fs:\n"
    "  movl 4(%esp), %eax\n"
    "  movl rd_addr, %edx\n"
    "  movl %eax, %fs\n"
    "  movl %fs:(%edx), %eax\n"
    "  movl %eax, rd_val\n"
    "  ret\n");

/* 0 and *val on success, else PROBE_FAULT|vector. */
static __attribute__((unused)) int rd32(uint32_t sel, uint32_t addr, uint32_t *val)
{
    rd_addr = addr;
    int r = probe_call(rd_fs, sel);
    if (!r && val)
        *val = rd_val;
    return r;
}

/* A plain DS-relative read (DS = DSAPP, the app's own). */
void rd_ds(uint32_t addr);
asm(".text\n"
    ".globl rd_ds\n"
    "rd_ds:\n"
    "  movl 4(%esp), %edx\n"
    "  movl (%edx), %eax\n"
    "  movl %eax, rd_val\n"
    "  ret\n");

/* A write of the byte just read (harmless if it ever succeeds). */
uint8_t wr_byte;
void wr_ds(uint32_t addr);
asm(".text\n"
    ".globl wr_ds\n"
    "wr_ds:\n"
    "  movl 4(%esp), %edx\n"
    "  movb wr_byte, %al\n"
    "  movb %al, (%edx)\n"
    "  ret\n");

/* ---- register readers ------------------------------------------------ */
static inline uint32_t get_ds(void) { uint32_t v; asm volatile("movl %%ds, %0" : "=r"(v)); return v & 0xFFFF; }
static inline uint32_t get_es(void) { uint32_t v; asm volatile("movl %%es, %0" : "=r"(v)); return v & 0xFFFF; }
static inline uint32_t get_ss(void) { uint32_t v; asm volatile("movl %%ss, %0" : "=r"(v)); return v & 0xFFFF; }
static inline uint32_t get_cs(void) { uint32_t v; asm volatile("movl %%cs, %0" : "=r"(v)); return v & 0xFFFF; }

static inline uint64_t rdtsc64(void)
{
    uint32_t lo, hi;
    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

/* xorshift32 seeded from the TSC, the tick count and the pid */
static uint32_t a_rng;
static __attribute__((unused)) uint32_t a_rand(void)
{
    if (!a_rng)
        a_rng = ((uint32_t)rdtsc64() ^ ((uint32_t)uptime() << 16) ^ ((uint32_t)getpid() * 2654435761u)) | 1;
    a_rng ^= a_rng << 13;
    a_rng ^= a_rng >> 17;
    a_rng ^= a_rng << 5;
    return a_rng;
}

/* A page of OS code that every process maps U=1 (the first hardened stub;
 * boot and the event core at OS_TEXT_BASE are supervisor-only): CSOS
 * executes it, only DSOS reads it. */
#define OS_TEXT SVC_H_BASE
#define S_(x) #x
#define S(x) S_(x)

struct dtr {
    uint16_t limit;
    uint32_t base;
} __attribute__((packed));

static __attribute__((unused)) uint32_t gdt_base(void)
{
    struct dtr d;
    asm volatile("sgdt %0" : "=m"(d));
    return d.base;
}

/* Is sel (not DSAPP, not null) a data segment that reads the OS region?
 * The breach oracle: 1 yes, 0 no.  *why gets the fault vector or 0. */
static __attribute__((unused)) int sel_is_os(uint32_t sel, int *why)
{
    sel &= 0xFFFF;
    if (why)
        *why = 0;
    if ((sel & ~3u) == 0 || sel == SEL_DSAPP)
        return 0;
    int r = rd32(sel, gdt_base(), 0);
    if (why)
        *why = r;
    return r == 0;
}

/* ---- integer-only output helpers ------------------------------------- */

/* a/b as "d.ddde-XX" (or "0"), four significant digits. */
static __attribute__((unused)) const char *sci(char *buf, uint64_t a, uint64_t b)
{
    if (!a || !b) {
        snprintf(buf, 24, "0");
        return buf;
    }
    int e = 0;
    /* find e with 1000 <= a*10^(3-e)/b < 10000 */
    uint64_t num = a, den = b;
    while (num * 1000 < den) {          /* below 1e-3: scale the numerator */
        num *= 10;
        e--;
        if (num > 1000000000000ull) {
            num /= 10;
            den /= 10;
        }
    }
    while (num >= den * 10) {
        den *= 10;
        e++;
    }
    /* now 1e-3 <= num/den < 10 */
    while (num < den) {
        num *= 10;
        e--;
    }
    uint64_t m = (num * 1000 + den / 2) / den;  /* 1000..10000 */
    if (m >= 10000) {
        m /= 10;
        e++;
    }
    snprintf(buf, 24, "%u.%03ue%c%02d", (unsigned)(m / 1000), (unsigned)(m % 1000),
             e < 0 ? '-' : '+', e < 0 ? -e : e);
    return buf;
}

/* Fixed point with 2^28 = 1.0 */
#define FX_ONE (1ull << 28)

/* e^-x for x = lam/2^28 (0 <= x <= 60): Taylor on x/2^k, then square k times. */
static __attribute__((unused)) uint64_t fx_exp_neg(uint64_t lam)
{
    int k = 0;
    while ((lam >> k) > FX_ONE / 16)
        k++;
    uint64_t y = lam >> k, term = FX_ONE, sum = FX_ONE;
    for (int i = 1; i <= 7; i++) {
        term = term * y / FX_ONE / i;
        if (i & 1)
            sum -= term;
        else
            sum += term;
    }
    while (k--)
        sum = sum * sum / FX_ONE;
    return sum;
}

/* Smallest b with P(X <= b) >= 0.999 for X ~ Poisson(lam/2^28).  The Poisson
 * tail lies above the Binomial(N, p) tail of the same mean (for p < 1), so
 * the bound is a conservative one for Binomial(N, p). */
static __attribute__((unused)) int poisson_bound999(uint64_t lam)
{
    uint64_t pk = fx_exp_neg(lam), cdf = pk, want = FX_ONE - FX_ONE / 1000;
    int b = 0;
    while (cdf < want && b < 100000) {
        b++;
        pk = pk * lam / FX_ONE / b;
        cdf += pk;
        if (!pk && cdf < want)          /* underflow far in the tail */
            break;
    }
    return b;
}

#endif
