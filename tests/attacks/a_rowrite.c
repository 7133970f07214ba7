/* a_rowrite: services asked to write into the app's own
 * read-only pages (its .rodata, mapped without W).  The OS writes through
 * the direct map, where every page is writable, so it must check the W bit
 * itself: each call must fail with EFAULT and leave the page as it was --
 * meminfo, cpuinfo, ps, modules, wait's status, thread_create's stack, and
 * the fault frame the OS builds for a handler whose stack is read-only (that
 * child must be ended by its fault instead).
 * Prints ATTACK name=rowrite ... result=contained | BREACH. */
#include "user.h"
#include "bystander.h"

static const uint8_t ro[3 * 4096] __attribute__((aligned(4096))) = { 1, 2, 3 };
#define PAGE ((void *)&ro[4096])                /* a whole read-only page */

static uint32_t sum(void)
{
    uint32_t s = 0;
    for (unsigned i = 0; i < sizeof ro; i++)
        s = s * 31 + ro[i];
    return s;
}

static int on_fault(struct klos_fault *f)
{
    printf("rowrite: the handler ran on a read-only stack (vec %u): WRONG\n", (unsigned)f->vec);
    exit(99);
}

static void thread_fn(void *arg)
{
    (void)arg;
    klos_thread_exit(0);
}

int main(int argc, char **argv)
{
    (void)argv;
    if (argc > 1) {                             /* child: fault with ESP in the page */
        klos_on_fault(on_fault);
        asm volatile("movl %0, %%esp\n\tud2" : : "r"(&ro[2 * 4096 - 64]));
        return 1;
    }
    uint32_t before = byst_join(), s0 = sum();
    int refused = 0, n = 0, st = -1;
    n++, refused += KLOS_SVC(meminfo, PAGE) < 0;
    n++, refused += KLOS_SVC(cpuinfo, PAGE) < 0;
    n++, refused += KLOS_SVC(ps, PAGE, 200) < 0;
    n++, refused += KLOS_SVC(modules, PAGE, 200) < 0;
    n++, refused += klosH_meminfo(PAGE) < 0;
    n++, refused += klosA_cpuinfo(PAGE) < 0;
    int pid = spawn("hello", "");
    n++, refused += pid > 0 && wait(pid, PAGE) < 0;
    int tid = klos_thread_create((void *)thread_fn, 0, (void *)&ro[2 * 4096 - 16]);
    n++, refused += tid < 0;
    if (tid > 0)
        klos_thread_join(tid);
    pid = spawn("a_rowrite", "child");
    n++, refused += pid > 0 && wait(pid, &st) == pid && st == 128 + 6;
    uint32_t after = byst_free_frames();
    int ok = refused == n && sum() == s0 && before == after;
    printf("ATTACK name=rowrite calls=%d refused=%d page=%s child_status=%d frames_before=%u "
           "frames_after=%u result=%s\n", n, refused, sum() == s0 ? "unchanged" : "WRITTEN", st,
           before, after, ok ? "contained" : "BREACH");
    byst_leave();
    return !ok;
}
