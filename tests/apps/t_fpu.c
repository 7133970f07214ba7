/* t_fpu: x87 state is per thread.  Two copies (this one spawns a peer) load
 * eight different values onto the x87 stack, get preempted and yield many
 * times while the other does the same, then check every value came back. */
#include "user.h"

static int check(int base)
{
    int in[8], out[8], bad = 0;
    for (int i = 0; i < 8; i++)
        in[i] = base + i;
    asm volatile("fninit");
    for (int i = 0; i < 8; i++)
        asm volatile("fildl %0" : : "m"(in[i]));
    for (int round = 0; round < 50; round++) {
        for (volatile int k = 0; k < 200000; k++)
            ;                           /* long enough to be preempted */
        yield();
    }
    for (int i = 7; i >= 0; i--)
        asm volatile("fistpl %0" : "=m"(out[i]));
    for (int i = 0; i < 8; i++)
        bad += out[i] != in[i];
    return bad;
}

int main(int argc, char **argv)
{
    int peer = argc > 1 && !strcmp(argv[1], "peer"), pid = -1, status = -1;
    if (!peer && (pid = spawn("t_fpu", "peer")) < 0) {
        printf("t_fpu: spawn failed: %d\n", pid);
        return 1;
    }
    int bad = check(peer ? 1000 : 2000);
    printf("t_fpu %s: x87 registers %s\n", peer ? "peer" : "main", bad ? "CORRUPTED" : "intact");
    if (!peer) {
        wait(pid, &status);
        printf("t_fpu: peer exited with %d\n", status);
        return bad || status;
    }
    return bad;
}
