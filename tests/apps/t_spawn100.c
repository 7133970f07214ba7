/* 100 spawn / exit / wait cycles of t_child must leave the free-frame count
 * exactly where it was (nothing else runs: no apps=par).  Also waits for a
 * child that is already gone, and for a pid that is not a child. */
#include "user.h"

#define CYCLES 100

int main(void)
{
    unsigned m0[3], m1[3];
    int bad = 0;

    klos_meminfo(m0);
    for (int i = 0; i < CYCLES; i++) {
        char arg[8];
        snprintf(arg, sizeof arg, "%d", i % 50);
        int st = -1, pid = spawn("t_child", arg);
        if (pid <= 0 || wait(pid, &st) != pid || st != i % 50) {
            printf("spawn100: cycle %d: pid %d status %d: WRONG\n", i, pid, st);
            bad++;
        }
    }
    /* A second wait for an ended, reaped child, and for a stranger. */
    int pid = spawn("t_child", "7"), st = -1;
    int w1 = wait(pid, &st), w2 = wait(pid, &st), w3 = wait(1, &st);
    printf("spawn100: wait again %d, wait for a non-child %d: %s\n", w2, w3,
           w1 == pid && w2 < 0 && w3 < 0 ? "ok" : "WRONG");
    bad += !(w1 == pid && w2 < 0 && w3 < 0);
    klos_meminfo(m1);
    printf("spawn100: %d cycles, free frames before %u after %u: %s\n", CYCLES + 1, m0[0], m1[0],
           m0[0] == m1[0] && !bad ? "ok" : "WRONG");
    return m0[0] != m1[0] || bad;
}
