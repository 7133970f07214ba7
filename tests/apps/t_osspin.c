/* t_osspin: spin inside OS text with DS = DSAPP.  argv[1] is the address of a
 * loop in OS text an app can reach at CPL 3 (the idle loop: pause; jmp; the
 * test kernel's test=osspin passes it).  OS text is a user page and CSOS
 * reaches it, so the jump works; the app then never leaves it.  The
 * scheduler's "OS code is never preempted" looks at DS alone (os/sched/
 * sched.c, in_os): with DSAPP in DS this is app code wherever EIP is, and the
 * tick must preempt it. */
#include "user.h"

int main(int argc, char **argv)
{
    if (argc < 2)
        return 2;
    uint32_t at = strtoul(argv[1], 0, 16);
    printf("osspin: pid %d jumps to %x (OS text) with DS=DSAPP and stays there\n", getpid(), at);
    asm volatile("jmp *%0" : : "r"(at));
    return 1;
}
