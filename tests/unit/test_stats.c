// Host unit tests for apps/lib/stats.c.
// SOURCES: apps/lib/stats.c
// Build: gcc -O1 -Wall -Wextra -Werror -I include -I apps/lib
//        tests/unit/test_stats.c apps/lib/stats.c -o build/test_stats
// Expected values come from Python's statistics/fractions modules (exact
// mean and variance, t_0.99 quantiles), rounded to x1000.
#include <stdio.h>
#include <string.h>
#include "stats.h"

static int failed;

static void
check(const char *name, int ok, const char *why)
{
    if (ok)
        printf("PASS %s\n", name);
    else {
        printf("FAIL %s: %s\n", name, why);
        failed = 1;
    }
}

static int
near(uint64_t got, uint64_t want)
{
    return got + 1 >= want && got <= want + 1;
}

static void
check_set(const char *name, const uint32_t *s, int n, uint64_t mean,
          uint64_t sd, uint64_t ci, uint64_t median, uint32_t min)
{
    struct stats st;
    char why[256];
    int ok;

    ok = stats_compute(s, n, &st) == 0 && st.n == n && near(st.mean_milli, mean) &&
         near(st.sd_milli, sd) && near(st.ci_milli, ci) &&
         near(st.median_milli, median) && st.min == min;
    snprintf(why, sizeof why,
             "got n=%d mean=%llu sd=%llu ci=%llu median=%llu min=%u, want "
             "mean=%llu sd=%llu ci=%llu median=%llu min=%u", st.n,
             (unsigned long long)st.mean_milli, (unsigned long long)st.sd_milli,
             (unsigned long long)st.ci_milli, (unsigned long long)st.median_milli,
             st.min, (unsigned long long)mean, (unsigned long long)sd,
             (unsigned long long)ci, (unsigned long long)median, min);
    check(name, ok, why);
}

static uint32_t seed;

static uint32_t
lcg(void)
{
    seed = seed * 1103515245u + 12345u;
    return seed >> 8;
}

static uint32_t
m_const(void *ctx)
{
    (void)ctx;
    return 27;
}

static uint32_t
m_noisy(void *ctx)
{
    (void)ctx;
    return 1000 + lcg() % 400;
}

static uint32_t
m_wild(void *ctx)
{
    (void)ctx;
    return lcg() % 100000;
}

static uint32_t buf[STATS_MAX];

int
main(void)
{
    static const uint32_t small[] = {10, 12, 23, 23, 16, 23, 21, 16};
    static const uint32_t five[] = {100, 102, 98, 101, 99};
    static const uint32_t base[] = {27, 28, 27, 26, 27, 29, 27, 27, 31, 27};
    struct stats st;
    char s[32], why[128];
    int i, n;

    check_set("stats-small-t", small, 8, 18000, 5237, 5551, 18500, 10);
    check_set("stats-five-t", five, 5, 100000, 1581, 2650, 100000, 98);

    for (i = 0; i < 50; i++)
        buf[i] = base[i % 10];
    buf[50] = 250;
    check_set("stats-outlier-t50", buf, 51, 31961, 31172, 10489, 27000, 26);

    seed = 12345;
    for (i = 0; i < 1000; i++)
        buf[i] = 1000 + lcg() % 3000000;
    check_set("stats-wide", buf, 1000, 1439749955, 878487133, 64727871,
              1426623000, 5555);

    for (i = 0; i < 40; i++)
        buf[i] = 4000000000u + i * i;
    check_set("stats-huge-values", buf, 40, 4000000513500ULL, 471605, 180900,
              4000000380500ULL, 4000000000u);

    buf[0] = 7;
    n = stats_compute(buf, 1, &st);
    check("stats-one-sample", n == 0 && st.mean_milli == 7000 && st.ci_milli == 0 &&
          st.median_milli == 7000 && !stats_converged(&st, 2), "n=1 mishandled");
    check("stats-reject-empty", stats_compute(buf, 0, &st) == -1 &&
          stats_compute(buf, STATS_MAX + 1, &st) == -1, "bad n accepted");

    check("stats-t-table", stats_crit_milli(1) == 0 && stats_crit_milli(2) == 31821 &&
          stats_crit_milli(3) == 6965 && stats_crit_milli(5) == 3747 &&
          stats_crit_milli(11) == 2764 && stats_crit_milli(29) == 2467 &&
          stats_crit_milli(30) == 2462 && stats_crit_milli(31) == 2457 &&
          stats_crit_milli(32) == 2453 && stats_crit_milli(41) == 2423 &&
          stats_crit_milli(51) == 2403 && stats_crit_milli(100) == 2365 &&
          stats_crit_milli(1001) == 2330 && stats_crit_milli(5000) == 2327,
          "wrong critical value (Student t for n - 1 degrees of freedom)");

    check("stats-isqrt", stats_isqrt(0) == 0 && stats_isqrt(1) == 1 &&
          stats_isqrt(15) == 3 && stats_isqrt(16) == 4 &&
          stats_isqrt(1000000000000ULL) == 1000000 &&
          stats_isqrt(~0ULL) == 4294967295u, "wrong root");

    n = 1;
    stats_fmt_milli(s, 123456);
    n &= strcmp(s, "123.456") == 0;
    stats_fmt_milli(s, 0);
    n &= strcmp(s, "0.000") == 0;
    stats_fmt_milli(s, 5);
    n &= strcmp(s, "0.005") == 0;
    stats_fmt_milli(s, 1000);
    n &= strcmp(s, "1.000") == 0;
    n &= stats_fmt_milli(s, ~0ULL) == 21 && strcmp(s, "18446744073709551.615") == 0;
    check("stats-fmt-milli", n, s);

    st.n = 100;
    st.mean_milli = 100000;
    st.ci_milli = 2000;
    n = stats_converged(&st, 2);
    st.ci_milli = 2001;
    check("stats-converged-rule", n && !stats_converged(&st, 2), "2% boundary");

    n = stats_sample(m_const, 0, buf, 10, 30, 4096, 2, &st);
    snprintf(why, sizeof why, "n=%d converged=%d", n, st.converged);
    check("stats-sample-constant", n == 30 && st.pilot == 10 && st.converged &&
          st.mean_milli == 27000 && st.ci_milli == 0, why);

    seed = 1;
    /* uniform 1000..1399: sd ~ 115.5, mean ~ 1200; a 30-sample pilot asks for
     * about (2.46 * 115.5 / 24)^2 ~ 140 fresh samples */
    n = stats_sample(m_noisy, 0, buf, 30, 30, 4096, 2, &st);
    snprintf(why, sizeof why, "n=%d converged=%d ci=%llu mean=%llu", n, st.converged,
             (unsigned long long)st.ci_milli, (unsigned long long)st.mean_milli);
    check("stats-sample-noisy-fixed-n", n > 80 && n < 250 && st.n == n &&
          st.ci_milli * 40 <= st.mean_milli, why);

    seed = 1;
    n = stats_sample(m_wild, 0, buf, 30, 30, 200, 2, &st);
    snprintf(why, sizeof why, "n=%d converged=%d", n, st.converged);
    check("stats-sample-cap", n == 200 && st.n == 200 && !st.converged, why);

    return failed;
}
