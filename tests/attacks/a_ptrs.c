/* a_ptrs: OS-region pointers and wrapping ranges handed to every service that
 * takes a pointer.  The OS reads and writes app memory through DSOS, so it must
 * itself refuse any range the app could not reach through DSAPP (below 4 KiB,
 * below 0x80000000: OS data, OS text, stubs, its own text -- or wrapping past 4 GiB).  Every call must return an
 * error (< 0), and nothing may crash.  Also: a negative sbrk that wraps the
 * break around 4 GiB must be refused (sbrk takes no pointer but computes
 * one).  Works the same under QEMU and Bochs (the checks are the OS's).
 * With argument "child" it just exits (the child for wait).
 * Prints ATTACK name=ptrs ... result=contained | BREACH. */
#include "attack.h"
#include "klos_cpu.h"

static const uint32_t bad[] = {
    KERNEL_BASE, OS_TEXT_BASE, SVC_B_BASE, SVC_H_BASE, SVC_A_BASE, OS_WINDOW,
    0x7FFFFFFC, 0x00000000, 0x00000FFC,
};
#define NBAD (int)(sizeof bad / sizeof bad[0])

static int calls, refused, accepted;
static char acc[400];
static int al;

static void check(const char *what, uint32_t p, int r)
{
    calls++;
    if (r < 0 && r != -ETIMEDOUT) {     /* it got past the pointer check */
        refused++;
    } else {
        accepted++;
        al += snprintf(acc + al, sizeof acc - al, "%s%s@%x=%d", al ? "," : "", what, p, r);
    }
}

static void noop_thread(void *a)
{
    (void)a;
    klos_thread_exit(0);
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "child"))
        return 7;
    probe_init();
    static char good[64];
    /* ranges that start below the app data region and run into it, or wrap */
    uint32_t top = 0x7FFFFFF0, wrap = 0xFFFFFFF0;
    for (int i = 0; i < NBAD; i++) {
        uint32_t p = bad[i];
        check("write", p, klos_write(1, (void *)p, 16));
        check("read", p, klos_read(0, (void *)p, 16));
        check("spawn_name", p, klos_spawn((const char *)p, ""));
        if (p)                          /* NULL args, from and status mean "none" */
            check("spawn_args", p, klos_spawn("a_ptrs", (const char *)p));
        check("cpuinfo", p, klos_cpuinfo((void *)p));
        check("send", p, klos_send(getpid(), (void *)p, 16, 1));
        check("recv_buf", p, klos_recv((void *)p, 16, 0, 1));
        if (p)
            check("recv_from", p, klos_recv(good, 16, (int *)p, 1));
        check("exc_return", p, klos_exc_return((void *)p));
        check("modules", p, klos_modules((char *)p, 64));
        check("ps", p, klos_ps((char *)p, 64));
        check("meminfo", p, klos_meminfo((void *)p));
        check("thread_stack", p, klos_thread_create((void *)noop_thread, 0, (void *)p));
        int child = p ? klos_spawn("a_ptrs", "child") : -1;
        if (child > 0)
            check("wait_status", p, klos_wait(child, (int *)p));
    }
    /* ranges: inside app memory at the start, past DSAPP's limit / 4 GiB at the end */
    check("write_range", top, klos_write(1, (void *)top, 0x20));
    check("write_wrap", wrap, klos_write(1, (void *)wrap, 0x20));
    check("write_neglen", (uint32_t)good, klos_write(1, good, -1));
    check("read_range", top, klos_read(0, (void *)top, 0x20));
    check("send_range", top, klos_send(getpid(), (void *)top, 0x20, 1));
    check("recv_range", top, klos_recv((void *)top, 0x20, 0, 1));
    check("modules_range", top, klos_modules((char *)top, 0x20));
    check("ps_range", top, klos_ps((char *)top, 0x100));
    check("meminfo_range", 0xFFFFFFFC, klos_meminfo((void *)0xFFFFFFFC));
    check("cpuinfo_range", top, klos_cpuinfo((void *)top));
    check("exc_return_range", 0xFFFFFFF8, klos_exc_return((void *)0xFFFFFFF8));
    check("thread_stack_wrap", 4, klos_thread_create((void *)noop_thread, 0, (void *)4));
    check("thread_stack_top", 0xFFFFFFFF, klos_thread_create((void *)noop_thread, 0,
                                                             (void *)0xFFFFFFFF));
    /* sbrk: a decrement that wraps the break past 4 GiB (new > old) */
    uint32_t brk0 = (uint32_t)klos_sbrk(0);
    int sb = (int)klos_sbrk((int)0x80000000);
    int sb_ok = sb == -1 || sb == 0;
    if (!sb_ok) {
        /* accepted: put the break back (the same decrement wraps it back; the
         * pages above the old break are unmapped, so nothing is freed) */
        klos_sbrk((int)0x80000000);
    }
    uint32_t brk1 = (uint32_t)klos_sbrk(0);
    struct klos_cpuinfo ci;
    int alive = klos_cpuinfo(&ci) == 0 && getpid() > 0;
    int ok = !accepted && sb_ok && brk0 == brk1 && alive;
    printf("ATTACK name=ptrs calls=%d refused=%d accepted=%d%s%s sbrk_wrap=%s brk=%x/%x "
           "alive=%d result=%s\n",
           calls, refused, accepted, al ? " accepted_calls=" : "", acc,
           sb_ok ? "refused" : "ACCEPTED", brk0, brk1, alive, ok ? "contained" : "BREACH");
    return 0;
}
