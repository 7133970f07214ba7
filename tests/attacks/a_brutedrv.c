/* a_brutedrv: run a_brute again and again (spawn + wait) until at least
 * BRUTE_TOTAL candidate selectors have been guessed, then compare the number
 * of successes with what DSOS relocation predicts.
 *
 * The prediction.  C = 16374 candidate slots (GDT 10..8191, LDT 0..8191:
 * tests/attacks/a_brute.h).  os/sec/dsos.c moves DSOS after every 3rd #NP to a
 * slot drawn uniformly from the C - 1 = 16373 candidates other than its
 * current one -- the "free slots", F = 16373.  Every miss raises #NP, and the
 * only #NPs in this boot are the attacker's, so the guesses fall into windows
 * of three between moves.  In a window, DSOS sits at a uniformly random one of
 * the F free slots (the attacker cannot know which slot it left: that one is
 * any of the others with equal odds); the window's three guesses are three
 * distinct slots, so
 *     P(1st hits)                = 1/F
 *     P(2nd hits | 1st missed)   = 1/(F-1)    (one slot ruled out)
 *     P(3rd hits | both missed)  = 1/(F-2)
 *     P(window succeeds)         = 1/F + 1/(F-1) + 1/(F-2) = 1.8324e-4
 * (the paper's 1/16382 + 1/16381 + 1/16380 = 1.83e-4 with its 16382 slots),
 * and the mean per guess is p = that / 3 = 6.1080e-5 (= 1/16372 to 1e-8).
 * (That DSOS never stays put -- the new slot is never the old one -- changes
 * P(a guess hits) by a factor 1 +- 1/F^2, well below anything measurable.)
 * A success raises no #NP, so it does not advance the window; the next run
 * starts its scan at a fresh random slot, and its first guess hits with
 * probability 1/C ~ 1/F as well.  The fixed-slot probes at the start of each
 * run (one #NP, for GDT slot 8) only shift the windows' phase.
 *
 * So K, the successes in N guesses, is ~ Binomial(N, p); bound999 is the
 * one-sided 99.9% upper bound for K, from the Poisson(N p) tail (which lies
 * above the binomial tail, so the bound is conservative).
 *
 * That bound has little power against no relocation at all: a sequential
 * scan of a fixed DSOS from a random start finds it once per C/2 guesses on
 * average, only about twice the policy's rate.  So every find is followed by
 * a revisit (a_brute "revisit"): three more #NPs, then the found selector
 * again.  Under the policy one move always falls in between, so a revisit
 * that still loads DSOS (stale) cannot happen; with a fixed DSOS every
 * revisit is stale, and every run of RUN_BUDGET > C guesses finds it.
 * A revisit must fail at once, at the load, with #NP: the moved-away slot is
 * a not-present decoy again (revisit_np = revisits).
 * PASS: K <= bound999, stale = 0, revisit_np = revisits and N >= BRUTE_TOTAL. */
#include "attack.h"
#include "a_brute.h"

#define BRUTE_TOTAL 100000u
#define RUN_BUDGET 20000

int main(void)
{
    struct brute_shm *s = shm_get(BRUTE_SHM_KEY, sizeof *s);
    if (!s) {
        printf("ATTACK name=brute result=ERROR why=shm\n");
        return 2;
    }
    s->magic = BRUTE_MAGIC;
    uint64_t n = 0, np = 0, gp = 0, other = 0;
    uint32_t k = 0, runs = 0, bad_runs = 0, revisits = 0, stale = 0, revisit_np = 0;
    int t0 = uptime();
    char args[32];
    snprintf(args, sizeof args, "%d shm revisit", RUN_BUDGET);
    while (n < BRUTE_TOTAL) {
        s->guesses = s->np = s->gp_load = s->gp_read = s->other = 0;
        s->found = s->found_sel = s->found_at = s->fixed_done = 0;
        s->revisits = s->stale = s->revisit_np = 0;
        int st = -1, pid = spawn("a_brute", args);
        if (pid < 0 || wait(pid, &st) != pid) {
            printf("ATTACK name=brute result=ERROR why=spawn pid=%d\n", pid);
            return 2;
        }
        runs++;
        if (st != 0 || !s->guesses)
            bad_runs++;
        n += s->guesses;
        np += s->np;
        gp += s->gp_load + s->gp_read;
        other += s->other;
        k += s->found;
        revisits += s->revisits;
        stale += s->stale;
        revisit_np += s->revisit_np;
        if (!s->guesses)
            break;                      /* a child that guesses nothing: give up */
    }
    int ticks = uptime() - t0;

    /* p = (1/F + 1/(F-1) + 1/(F-2)) / 3 in units of 2^-48 */
    const uint64_t F = BRUTE_NCAND - 1;
    uint64_t p48 = ((1ull << 48) / F + (1ull << 48) / (F - 1) + (1ull << 48) / (F - 2)) / 3;
    uint64_t lam28 = (n * p48) >> 20;   /* N p in units of 2^-28 */
    int bound = poisson_bound999(lam28);
    int pass = n >= BRUTE_TOTAL && k <= (uint32_t)bound && !bad_runs && !stale &&
               revisit_np == revisits;
    char b1[24], b2[24], b3[24], b4[24], b5[24];
    printf("ATTACK name=brute guesses=%u successes=%u per_guess=%s per3=%s "
           "predicted_per_guess=%s predicted_per3=%s expected=%s bound999=%d runs=%u bad_runs=%u "
           "np=%u gp=%u other=%u revisits=%u revisit_np=%u stale=%u ticks=%d result=%s\n",
           (unsigned)n, k, sci(b1, k, n), sci(b2, 3ull * k, n), sci(b3, p48, 1ull << 48),
           sci(b4, 3 * p48, 1ull << 48), sci(b5, lam28, 1ull << 28), bound, runs, bad_runs,
           (unsigned)np, (unsigned)gp, (unsigned)other, revisits, revisit_np, stale, ticks,
           pass ? "PASS" : "FAIL");
    return pass ? 0 : 1;
}
