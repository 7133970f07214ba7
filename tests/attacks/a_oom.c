/* a_oom: run the machine out of memory, twice, and check that everything
 * comes back.
 *
 *   a_oom        measures the free frames, runs "a_oom hog", waits for it,
 *                measures again: the two counts must be equal.
 *   a_oom hog    sbrk until it fails (1 MiB, then 64 KiB, then 4 KiB steps);
 *                with no memory left, spawns a module (must fail: the OS says
 *                "not started"); gives 1 MiB back and spawns "a_oom child"
 *                until a spawn fails (memory, or process slots); wakes and
 *                reaps the children; gives the heap back.
 *   a_oom child  blocks in recv until the hog's message, then exits.
 * Prints ATTACK name=oom_hog ... and ATTACK name=oom ... result=contained. */
#include "attack.h"

#define MIB (1 << 20)
#define MAXKIDS 64

static uint32_t free_frames(void)
{
    uint32_t m[3] = { 0, 0, 0 };
    klos_meminfo(m);
    return m[0];
}

static int hog(void)
{
    uint32_t f0 = free_frames(), total = 0;
    int steps[3] = { MIB, 64 << 10, 4 << 10 };
    for (int i = 0; i < 3; i++)
        while ((int)klos_sbrk(steps[i]) != -1 && klos_sbrk(0))
            total += steps[i];
    uint32_t f_low = free_frames();
    int r_full = klos_spawn("a_oom", "child");          /* nothing left: must fail */
    if (r_full > 0)
        klos_send(r_full, "x", 1, 0);
    /* give 1 MiB back, then processes until a spawn fails */
    klos_sbrk(-MIB);
    total -= MIB;
    int kids[MAXKIDS], n = 0, r = 0;
    while (n < MAXKIDS && (r = klos_spawn("a_oom", "child")) > 0)
        kids[n++] = r;
    uint32_t f_kids = free_frames();
    int woke = 0, reaped = 0;
    for (int i = 0; i < n; i++) {
        woke += klos_send(kids[i], "x", 1, 0) == 0;
        int st = -1;
        reaped += klos_wait(kids[i], &st) == kids[i] && st == 0;
    }
    klos_sbrk(-(int)total);
    uint32_t f_end = free_frames();
    printf("ATTACK name=oom_hog frames_start=%u heap_kib=%u frames_at_oom=%u spawn_when_full=%d "
           "children=%d spawn_error=%d frames_with_children=%u woken=%d reaped=%d "
           "frames_end=%u\n",
           f0, total >> 10, f_low, r_full, n, r, f_kids, woke, reaped, f_end);
    int ok = total > 8 * MIB && r_full < 0 && n > 0 && r < 0 && woke == n && reaped == n;
    return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "child")) {
        char b[4];
        int from = 0;
        klos_recv(b, sizeof b, &from, 0);
        return 0;
    }
    if (argc > 1 && !strcmp(argv[1], "hog"))
        return hog();
    uint32_t f0 = free_frames();
    int st = -1, pid = klos_spawn("a_oom", "hog");
    int w = pid > 0 ? klos_wait(pid, &st) : pid;
    uint32_t f1 = free_frames();
    /* and the OS still works: a fresh process */
    int st2 = -1, p2 = klos_spawn("a_oom", "child");
    if (p2 > 0)
        klos_send(p2, "x", 1, 0);
    int w2 = p2 > 0 ? klos_wait(p2, &st2) : p2;
    int ok = pid > 0 && w == pid && st == 0 && f1 == f0 && w2 == p2 && st2 == 0;
    printf("ATTACK name=oom hog_status=%d frames_before=%u frames_after=%u spawn_after=%s "
           "result=%s\n", st, f0, f1, w2 == p2 && st2 == 0 ? "ok" : "FAILED",
           ok ? "contained" : "FAIL");
    return 0;
}
