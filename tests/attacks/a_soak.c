/* a_soak: SOAK_N launches of a_tiny (spawn + wait), which alternately exits
 * with code 3 or is ended by the OS for a #PF (by its pid's parity); the free
 * frame count must be the same before and after, every launch must succeed
 * and every status must be one of the two expected ones.
 * Prints SOAK launches=N frames_before=.. frames_after=.. result=PASS|FAIL. */
#include "user.h"

#define SOAK_N 10000

static uint32_t free_frames(void)
{
    uint32_t m[3] = { 0, 0, 0 };
    klos_meminfo(m);
    return m[0];
}

int main(void)
{
    uint32_t before = free_frames();
    int t0 = uptime(), ok = 0, clean = 0, faulted = 0, bad = 0, failed = 0;
    for (int i = 0; i < SOAK_N; i++) {
        int st = -1, pid = spawn("a_tiny", "");
        if (pid < 0 || wait(pid, &st) != pid) {
            if (failed++ < 3)
                printf("SOAK launch %d failed: pid %d\n", i, pid);
            continue;
        }
        ok++;
        if (st == 3 && (pid & 1))
            clean++;
        else if (st == 128 + 14 && !(pid & 1))
            faulted++;
        else if (bad++ < 3)
            printf("SOAK launch %d: pid %d status %d\n", i, pid, st);
    }
    uint32_t after = free_frames();
    int pass = ok == SOAK_N && !bad && before == after;
    printf("SOAK launches=%d clean=%d faulted=%d failed=%d odd_status=%d frames_before=%u "
           "frames_after=%u ticks=%d result=%s\n", ok, clean, faulted, failed, bad, before, after,
           uptime() - t0, pass ? "PASS" : "FAIL");
    return 0;
}
