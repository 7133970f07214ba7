/* a_brutenpk: the brute-force attack against the second policy, np_kill=K
 * (os/sec/dsos.c: a process with more than K #NP faults is ended).  Boot with
 * np_kill=K; this driver spawns NPK_RUNS attackers (a_brute, no fixed-slot
 * probes, so every fault is a guess's) one after another and checks that
 * each one was ended by the OS (exit status 128 + 11) after exactly K #NPs
 * delivered to it, i.e. after K + 1 guesses.  K is learnt from the first run.
 *
 * Odds: each guess hits with p = (1/F + 1/(F-1) + 1/(F-2))/3, F = 16373 (see
 * tests/attacks/a_brutedrv.c); an attacker gets K + 1 guesses before it is ended, so a
 * run succeeds with probability ~ (K+1) p, and NPK_RUNS runs are expected to
 * find DSOS NPK_RUNS (K+1) p times (0.12 for K = 3 and 500 runs): 0 expected.
 * PASS: every run ended by the OS after K + 1 guesses (or, should it happen,
 * a success) and successes <= the Poisson 99.9% bound. */
#include "attack.h"
#include "a_brute.h"

#define NPK_RUNS 500

/* Shifts the libc's write by 16 bytes: its "jmp svcB_write" displacement was
 * 0xFF80020F, which holds LAR (0F 02) (found by tools/check/sealscan.py). */
void __attribute__((noinline, used)) brutenpk_layout_pad(void)
{
}

int main(void)
{
    struct brute_shm *s = shm_get(BRUTE_SHM_KEY, sizeof *s);
    if (!s) {
        printf("ATTACK name=brute_npkill result=ERROR why=shm\n");
        return 2;
    }
    s->magic = BRUTE_MAGIC;
    uint32_t runs = 0, killed = 0, succ = 0, odd = 0, n = 0, k = 0xFFFFFFFF;
    int t0 = uptime();
    for (int r = 0; r < NPK_RUNS; r++) {
        s->guesses = s->np = s->gp_load = s->gp_read = s->other = 0;
        s->found = s->found_sel = s->found_at = s->fixed_done = 0;
        int st = -1, pid = spawn("a_brute", "0 shm nofixed");
        if (pid < 0 || wait(pid, &st) != pid) {
            printf("ATTACK name=brute_npkill result=ERROR why=spawn pid=%d\n", pid);
            return 2;
        }
        runs++;
        n += s->guesses;
        if (s->found) {
            succ++;
            continue;
        }
        if (k == 0xFFFFFFFF)
            k = s->np;
        if (st == 128 + 11 && s->np == k && s->guesses == k + 1 && !s->gp_load && !s->gp_read)
            killed++;
        else if (odd++ < 3)
            printf("ATTACK name=brute_npkill_odd run=%d status=%d guesses=%u np=%u\n", r, st,
                   s->guesses, s->np);
    }
    const uint64_t F = BRUTE_NCAND - 1;
    uint64_t p48 = ((1ull << 48) / F + (1ull << 48) / (F - 1) + (1ull << 48) / (F - 2)) / 3;
    uint64_t lam28 = ((uint64_t)n * p48) >> 20;
    int bound = poisson_bound999(lam28);
    int pass = k != 0xFFFFFFFF && k > 0 && killed + succ == runs && succ <= (uint32_t)bound;
    char b1[24], b2[24], b3[24], b4[24];
    printf("ATTACK name=brute_npkill runs=%u killed=%u np_per_run=%u guesses=%u successes=%u "
           "per_run=%s predicted_per_run=%s predicted_per_guess=%s expected=%s bound999=%d "
           "ticks=%d result=%s\n",
           runs, killed, k, n, succ, sci(b1, succ, runs),
           sci(b2, (uint64_t)(k + 1) * p48, 1ull << 48), sci(b3, p48, 1ull << 48),
           sci(b4, lam28, 1ull << 28), bound, uptime() - t0, pass ? "PASS" : "FAIL");
    return pass ? 0 : 1;
}
