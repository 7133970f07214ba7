/* a_tlbstale: plain Design B taken away takes effect at once.
 *
 * When a process gains a second thread or shared memory the OS clears the
 * directory entry that maps plain Design B and Design A (docs/DESIGN.md §5.3,
 * proc_restrict in os/proc/spawn.c).  The CPU may still hold a translation
 * for a stub page it used a moment ago (SDM 4.10.4: a paging-structure
 * write is not seen until the TLB is flushed), so unless the OS flushes
 * before the service returns, the same thread could go on calling plain B in
 * the same time slice -- on a stack the new thread, or another process
 * sharing memory, can rewrite.
 *
 * Each case runs in a child ("a_tlbstale T" or "S"):
 *   1. sleep(1): a fresh time slice (the wake-up comes with a tick), so no
 *      event falls between 3 and 4;
 *   2. a plain Design B write of 0 bytes: the stub's page is in the TLB;
 *   3. thread_create (T) or shm_create + shm_map (S), through hardened B;
 *   4. at once the same plain B write, with a line that says REACHED.
 * Contained: 4 faults on the absent stub page (#PF at the stub, EIP = CR2)
 * before the service runs, the OS ends the child (status 128 + 14) and the
 * line never appears (if it does, the child exits with 3).  Prints
 * ATTACK name=tlbstale_T|S status=N result=contained|REACHED. */
#include "attack.h"

static uint8_t thread_stack[4096] __attribute__((aligned(16)));
static const char reached_T[] = "ATTACK name=tlbstale_T plain_b=RAN result=REACHED\n";
static const char reached_S[] = "ATTACK name=tlbstale_S plain_b=RAN result=REACHED\n";

static void thread_main(void *arg)
{
    (void)arg;
    klosH_thread_exit(0);
}

static int child(char how)
{
    sleep(1);
    svcB_write(1, "", 0);
    if (how == 'T') {
        if (klosH_thread_create((void *)thread_main, 0, thread_stack + sizeof thread_stack) < 0)
            return 2;
        svcB_write(1, reached_T, sizeof reached_T - 1);
    } else {
        if (klosH_shm_create(0x544C4253, 4096) < 0)   /* "TLBS" */
            return 2;
        int r = (int)klosH_shm_map(0x544C4253);
        if (r < 0 && r > -4096)
            return 2;
        svcB_write(1, reached_S, sizeof reached_S - 1);
    }
    klosH_exit(3);                                      /* the stale stub ran */
    return 3;
}

int main(int argc, char **argv)
{
    if (argc > 1)
        return child(argv[1][0]);
    int bad = 0;
    for (int i = 0; i < 2; i++) {
        const char *how = i ? "S" : "T";
        int st = -1, pid = spawn(argv[0], how);
        if (pid < 0 || wait(pid, &st) != pid) {
            printf("ATTACK name=tlbstale result=ERROR why=spawn\n");
            return 2;
        }
        int ok = st == 128 + 14;
        bad += !ok;
        printf("ATTACK name=tlbstale_%s status=%d result=%s\n", how, st,
               ok ? "contained" : st == 3 ? "REACHED" : "ERROR");
    }
    return bad != 0;
}
