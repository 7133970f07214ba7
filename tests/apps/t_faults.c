/* Every app fault is contained: spawn `t_fault KIND` for each kind, wait,
 * and check it ended with 128 + the expected vector while this app (and any
 * bystander, see t_bystander) goes on.  When it is the only app running
 * (no apps=par) the free-frame count must be the same afterwards; beside
 * other apps that count moves with theirs and is only printed.  Prints "faults: all N contained" and exits 0 when every
 * kind was.  tests/apps/t_segfaults.c builds this file with SEGFAULTS defined: the
 * kinds only Bochs enforces (segment limits, execute-only CS). */
#include "user.h"
#include "t_bystander.h"

#ifdef SEGFAULTS
#define TAG "segfaults"
static const struct { const char *kind; int vec; } kinds[] = {
    { "ss", 12 }, { "osread", 13 }, { "csread", 13 }, { "null", 13 }, { "stubread", 13 },
    { "textread", 13 },
};
#else
#define TAG "faults"
static const struct { const char *kind; int vec; } kinds[] = {
    { "de", 0 }, { "bp", 3 }, { "of", 4 }, { "br", 5 }, { "ud", 6 }, { "np", 11 },
    { "cli", 13 }, { "sti", 13 }, { "hlt", 13 }, { "lgdt", 13 }, { "cr3", 13 },
    { "rdmsr", 13 }, { "in", 13 }, { "out", 13 }, { "int80", 13 }, { "iopl", 13 },
    { "pf", 14 }, { "stack", 14 },
};
#endif

int main(void)
{
    int n = sizeof kinds / sizeof kinds[0], bad = 0;
    unsigned m0[3], m1[3];
    struct bystander_shm *sh = bystander_shm();

    if (sh)
        sh->drivers++;
    KLOS_SVC(meminfo, m0);
    for (int i = 0; i < n; i++) {
        unsigned a[3], b[3];
        KLOS_SVC(meminfo, a);
        int st = -1, pid = spawn("t_fault", kinds[i].kind);
        int r = pid > 0 ? wait(pid, &st) : pid;
        int ok = pid > 0 && r == pid && st == 128 + kinds[i].vec;
        KLOS_SVC(meminfo, b);
        printf(TAG ": %-6s pid %d exit %d (want %d) %s, frames %d\n", kinds[i].kind, pid, st,
               128 + kinds[i].vec, ok ? "ok" : "WRONG", (int)(b[0] - a[0]));
        bad += !ok;
    }
    KLOS_SVC(meminfo, m1);
    int alone = m0[2] == 1 && m1[2] == 1, leak = alone && m0[0] != m1[0];
    printf(TAG ": free frames before %u after %u %s\n", m0[0], m1[0],
           !alone ? "(other apps ran: not compared)" : leak ? "LEAK" : "ok");
    if (bad)
        printf(TAG ": %d of %d NOT contained\n", bad, n);
    else
        printf(TAG ": all %d contained\n", n);
    if (sh)
        sh->finished++;
    return bad || leak;
}
