/* a_ecedge: children with no fault handler jump to the
 * last bytes before the event core's supervisor-only pages (OS_EC_START, read
 * from the OS image at build time) with every register pointing there.  The
 * bytes there (the boot stack's zeros) decode as "add [eax], al", a #GP above
 * DSAPP's limit (Bochs: QEMU TCG checks no limits and gives #PF instead), and
 * the fault reporter that decodes the instruction bytes at EIP must not read
 * on into the supervisor page: the OS faulted inside its own handler and
 * later processes ran on a freed page directory.  Each child must be ended
 * by its own fault; then a later child must run, the bystander finish, and
 * no frame be lost.
 * Prints ATTACK name=ecedge ... result=contained | BREACH. */
#include "user.h"
#include "bystander.h"
#include "os_syms.h"

static void jump(uint32_t target)
{
    asm volatile("movl %0, %%edx\n\t"
                 "movl %1, %%eax\n\t"
                 "movl %%eax, %%ebx\n\tmovl %%eax, %%ecx\n\tmovl %%eax, %%esi\n\t"
                 "movl %%eax, %%edi\n\tmovl %%eax, %%ebp\n\tmovl %%eax, %%esp\n\t"
                 "jmp *%%edx" : : "r"(target), "i"(OS_EC_START));
}

int main(int argc, char **argv)
{
    if (argc > 1) {
        jump(OS_EC_START - atoi(argv[1]));
        return 1;
    }
    uint32_t before = byst_join();
    int ended = 0, st;
    for (int k = 1; k <= 4; k++) {
        char arg[8];
        snprintf(arg, sizeof arg, "%d", k);
        int pid = spawn("a_ecedge", arg);
        st = -1;
        if (pid > 0 && wait(pid, &st) == pid && st >= 128)
            ended++;
        printf("ecedge: jump to ec_start-%d: status %d\n", k, st);
    }
    int pid = spawn("hello", ""), later = -1;
    if (pid > 0)
        wait(pid, &later);
    uint32_t after = byst_free_frames();
    int ok = ended == 4 && later == 0 && before == after;
    printf("ATTACK name=ecedge target=0x%x tries=4 ended=%d later_child=%d frames_before=%u "
           "frames_after=%u result=%s\n", OS_EC_START, ended, later, before, after,
           ok ? "contained" : "BREACH");
    byst_leave();
    return !ok;
}
