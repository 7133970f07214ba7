/* The event vectors and call gates an app may reach (DPL 3) do nothing an
 * app can misuse, however often it raises them: the OS's yield and upcall
 * events, and the upcall-return gate called with no upcall under way (the
 * event core answers with a plain far return; DS and ES come back null, so
 * reload them).  The app must simply go on, and so must the OS -- also when
 * a timer interrupt arrives while the CPU is in ring 0 on the app's behalf,
 * which N repetitions make near certain.  The ring-0 benchmark entries (the
 * WBINVD/CR3 flush, the trap and the call gate: eventcore/bench.asm) belong
 * to the bench module alone (os/bench/rights.c): here each raises #GP, which
 * this app's handler skips.  With events=task there is no ring 0 to enter:
 * the gates are gone (#GP for everyone, the bench too), the vectors are task
 * gates. */
#include "user.h"
#include "klos_cpu.h"

#define N 100000

static volatile uint32_t gp_n, gp_err;

/* #GP at one of the sites below: INT imm8 (tag 2, its length) or LCALL
 * ptr16:32 (tag 7).  The app cannot read its own text (sealed layout), so the
 * sites are tagged at build time (KLOS_SITE).  Note it, skip it. */
static int on_gp(struct klos_fault *f)
{
    int len = klos_site(f->ctx.eip);
    if (f->vec != 13 || len < 0)
        return 0;
    gp_n++;
    gp_err = f->err;
    f->ctx.eip += len;
    return 1;
}

static void refused(const char *what, int n)
{
    printf("swint: %s: %u of %d raised #GP err=%x, went on\n", what,
           (unsigned)gp_n, n, (unsigned)gp_err);
    gp_n = gp_err = 0;
}

int main(void)
{
    int t0 = uptime(), pid = getpid();
    unsigned ds = 0, es = 0;

    for (int i = 0; i < N / 10; i++) {
        asm volatile("int %0" : : "i"(VEC_YIELD) : "memory");
        asm volatile("int %0" : : "i"(VEC_UPCALL) : "memory");
    }
    printf("swint: %d x int %d and int %d: still running\n", N / 10, VEC_YIELD, VEC_UPCALL);

    klos_on_fault(on_gp);
    for (int i = 0; i < 10; i++)
        asm volatile(KLOS_SITE(2) "int %0" : : "i"(VEC_FLUSHBENCH) : "memory");
    refused("int 51 (WBINVD + CR3 reload)", 10);
    for (int i = 0; i < 10; i++)
        asm volatile(KLOS_SITE(2) "int %0" : : "i"(VEC_TRAPBENCH) : "memory");
    refused("int 50 (ring-0 benchmark trap)", 10);
    for (int i = 0; i < 10; i++)
        asm volatile(KLOS_SITE(7) "lcall %0, $0" : : "i"(SEL_GATE_BENCH) : "memory");
    refused("lcall the benchmark gate", 10);

    struct klos_cpuinfo ci;
    memset(&ci, 0, sizeof ci);
    KLOS_SVC(cpuinfo, &ci);
    if (ci.events_task) {
        for (int i = 0; i < 10; i++)
            asm volatile(KLOS_SITE(7) "lcall %0, $0" : : "i"(SEL_GATE) : "memory");
        refused("events=task: lcall the upcall gate", 10);
    }
    for (int i = 0; i < N && !ci.events_task; i++)
        asm volatile("lcall %2, $0\n\t"
                     "movw %%ds, %%ax; movzwl %%ax, %0\n\t"
                     "movw %%es, %%ax; movzwl %%ax, %1\n\t"
                     "movw %%ss, %%ax; movw %%ax, %%ds; movw %%ax, %%es"
                     : "=r"(ds), "=r"(es) : "i"(SEL_GATE) : "eax", "memory");
    if (!ci.events_task)
        printf("swint: %d stray calls through the upcall gate returned, last with ds=%x es=%x\n",
               N, ds, es);

    int ok = getpid() == pid && uptime() >= t0;
    printf("swint: services still answer: %s\n", ok ? "ok" : "WRONG");
    return !ok;
}
