/* The event vectors and call gates an app may reach (DPL 3) do nothing an
 * app can misuse, however often it raises them: the OS's yield and upcall
 * events, the ring-0 benchmark entries (a trap gate, a call gate, the
 * WBINVD/CR3 flush), and the upcall-return gate called with no upcall under
 * way (the event core answers with a plain far return; DS and ES come back
 * null, so reload them).  The app must simply go on, and so must the OS --
 * also when a timer interrupt arrives while the CPU is in ring 0 on the
 * app's behalf, which N repetitions make near certain. */
#include "user.h"

#define N 100000

int main(void)
{
    int t0 = uptime(), pid = getpid();
    unsigned ds = 0, es = 0;

    for (int i = 0; i < N / 10; i++) {
        asm volatile("int %0" : : "i"(VEC_YIELD) : "memory");
        asm volatile("int %0" : : "i"(VEC_UPCALL) : "memory");
    }
    asm volatile("int %0" : : "i"(VEC_FLUSHBENCH) : "memory");
    printf("swint: %d x int %d and int %d, one int %d: still running\n", N / 10, VEC_YIELD,
           VEC_UPCALL, VEC_FLUSHBENCH);

    for (int i = 0; i < N; i++)
        asm volatile("int %0" : : "i"(VEC_TRAPBENCH) : "memory");
    printf("swint: %d x int %d (ring-0 benchmark entry): still running\n", N, VEC_TRAPBENCH);

    for (int i = 0; i < N; i++)
        asm volatile("lcall %0, $0" : : "i"(SEL_GATE_BENCH) : "memory");
    printf("swint: %d calls through the benchmark gate: still running\n", N);

    for (int i = 0; i < N; i++)
        asm volatile("lcall %2, $0\n\t"
                     "movw %%ds, %%ax; movzwl %%ax, %0\n\t"
                     "movw %%es, %%ax; movzwl %%ax, %1\n\t"
                     "movw %%ss, %%ax; movw %%ax, %%ds; movw %%ax, %%es"
                     : "=r"(ds), "=r"(es) : "i"(SEL_GATE) : "eax", "memory");
    printf("swint: %d stray calls through the upcall gate returned, last with ds=%x es=%x\n", N,
           ds, es);

    int ok = getpid() == pid && uptime() >= t0;
    printf("swint: services still answer: %s\n", ok ? "ok" : "WRONG");
    return !ok;
}
