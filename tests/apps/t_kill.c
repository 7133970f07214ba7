/* t_kill: the kill service ends only the caller's own children and its own
 * other threads (os/svc/sys_proc.c, sys_kill); anything else is EPERM.
 *
 *   t_kill               the parent: starts a sleeper child, then a second
 *                        child (the sibling) and waits for it; then kills the
 *                        sleeper itself (0) and collects it (status 137)
 *   t_kill sleep         sleeps, long enough never to end on its own
 *   t_kill sib S P       the sibling: kill(S), its sibling; kill(P), its
 *                        parent; kill(itself): -EPERM each; kill(a pid no
 *                        process has): -ESRCH.  Exits 0 if all came out so.
 * Prints "kill: ..." lines for tests/boot/guard.py. */
#include "user.h"

static int sibling(int sleeper, int parent)
{
    int self = getpid();
    int a = KLOS_SVC(kill, sleeper), b = KLOS_SVC(kill, parent), c = KLOS_SVC(kill, self);
    int d = KLOS_SVC(kill, 30000);
    printf("kill: sibling %d: kill(sibling %d)=%d kill(parent %d)=%d kill(self)=%d "
           "kill(no such pid)=%d\n", self, sleeper, a, parent, b, c, d);
    return !(a == -EPERM && b == -EPERM && c == -EPERM && d == -ESRCH);
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "sleep")) {
        sleep(100000);
        return 0;
    }
    if (argc > 3)
        return sibling(atoi(argv[2]), atoi(argv[3]));
    char args[32];
    int sleeper = spawn("t_kill", "sleep"), st = -1;
    snprintf(args, sizeof args, "sib %d %d", sleeper, getpid());
    int sib = spawn("t_kill", args);
    if (sleeper < 0 || sib < 0 || wait(sib, &st) != sib) {
        printf("kill: ERROR spawn\n");
        return 2;
    }
    printf("kill: the sibling exited with %d\n", st);
    int k = KLOS_SVC(kill, sleeper), ks = -1, w = wait(sleeper, &ks);
    printf("kill: parent: kill(child %d)=%d, wait=%d status=%d\n", sleeper, k, w, ks);
    return st != 0 || k != 0 || w != sleeper || ks != KLOS_KILLED;
}
