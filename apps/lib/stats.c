/* Benchmark statistics, integer only, freestanding.  See stats.h. */
#include "stats.h"

/* Student t, two-sided 98% (t_0.99), x1000, for 1..30 degrees of freedom. */
static const uint16_t t98[31] = {
    0, 31821, 6965, 4541, 3747, 3365, 3143, 2998, 2896, 2821,
    2764, 2718, 2681, 2650, 2624, 2602, 2583, 2567, 2552, 2539,
    2528, 2518, 2508, 2500, 2492, 2485, 2479, 2473, 2467, 2462, 2457,
};
/* Beyond 30: the Cornish-Fisher expansion t = z + g1/df + g2/df^2 + g3/df^3,
 * coefficients x1e9 for z = z_0.99 (within 2e-7 of the exact quantile). */
#define Z98_N  2326347874ULL
#define G1_N   3729074245ULL
#define G2_N   5719745901ULL
#define G3_N   6718577996ULL

static uint32_t scratch[STATS_MAX];

uint64_t
stats_isqrt(uint64_t x)
{
    uint64_t r = 0, b = (uint64_t)1 << 62;

    while (b > x)
        b >>= 2;
    while (b) {
        if (x >= r + b) {
            x -= r + b;
            r = (r >> 1) + b;
        } else {
            r >>= 1;
        }
        b >>= 2;
    }
    return r;
}

/* sqrt(x) rounded to the nearest integer */
static uint64_t
rsqrt(uint64_t x)
{
    uint64_t r = stats_isqrt(x);

    if (x - r * r > r)
        r++;
    return r;
}

uint32_t
stats_crit_milli(int n)
{
    uint64_t df = n - 1, t;

    if (n < 2)
        return 0;
    if (df <= 30)
        return t98[df];
    t = Z98_N + G1_N / df + G2_N / (df * df) + G3_N / (df * df * df);
    return (uint32_t)((t + 500000) / 1000000);
}

static void
sort(uint32_t *a, int n)
{
    int gap, i, j;
    uint32_t v;

    for (gap = n / 2; gap > 0; gap /= 2)
        for (i = gap; i < n; i++) {
            v = a[i];
            for (j = i; j >= gap && a[j - gap] > v; j -= gap)
                a[j] = a[j - gap];
            a[j] = v;
        }
}

int
stats_compute(const uint32_t *s, int n, struct stats *out)
{
    uint64_t sum = 0, s1, s2 = 0, num, den, q, r, var;
    uint32_t m0, mn, mx;
    int64_t d;
    int i;

    if (n < 1 || n > STATS_MAX)
        return -1;
    mn = mx = s[0];
    for (i = 0; i < n; i++) {
        sum += s[i];
        if (s[i] < mn)
            mn = s[i];
        if (s[i] > mx)
            mx = s[i];
    }
    out->n = n;
    out->min = mn;
    out->max = mx;
    out->mean_milli = (sum * 1000 + n / 2) / n;

    /* sum((x-mean)^2) = s2 - s1^2/n with deviations d from m0 = floor(mean) */
    m0 = sum / n;
    s1 = sum - (uint64_t)m0 * n;
    for (i = 0; i < n; i++) {
        d = (int64_t)s[i] - m0;
        s2 += (uint64_t)(d * d);
    }
    out->sd_milli = 0;
    out->ci_milli = 0;
    if (n >= 2) {
        num = s2 * n - s1 * s1;
        den = (uint64_t)n * (n - 1);
        q = num / den;
        r = num % den;
        if (q < 18000000000000ULL) {          /* q * 10^6 fits in 64 bits */
            var = q * 1000000 + (r * 1000000 + den / 2) / den;
            out->sd_milli = rsqrt(var);
        } else {
            out->sd_milli = rsqrt(q) * 1000;
        }
        /* ci = crit * sd / sqrt(n) = crit * sd * 10^4 / sqrt(n * 10^14);
         * crit * sd < 2^64 since sd < 2^32 * 1000 */
        num = stats_crit_milli(n) * out->sd_milli;
        q = stats_isqrt((uint64_t)n * 100000000000000ULL);
        out->ci_milli = num / q * 10000 + (num % q * 10000 + q / 2) / q;
    }

    for (i = 0; i < n; i++)
        scratch[i] = s[i];
    sort(scratch, n);
    if (n & 1)
        out->median_milli = (uint64_t)scratch[n / 2] * 1000;
    else
        out->median_milli = ((uint64_t)scratch[n / 2 - 1] + scratch[n / 2]) * 500;
    return 0;
}

int
stats_converged(const struct stats *st, int pct)
{
    return st->n >= 2 && st->ci_milli * 100 <= (uint64_t)pct * st->mean_milli;
}

int
stats_sample(uint32_t (*measure)(void *), void *ctx, uint32_t *buf,
             int pilot, int min_n, int cap, int pct, struct stats *out)
{
    struct stats p;
    uint64_t need, num, den;
    int i, n;

    if (cap > STATS_MAX)
        cap = STATS_MAX;
    if (cap < 2)
        cap = 2;
    if (pilot < 2)
        pilot = 2;
    if (pilot > cap)
        pilot = cap;
    if (min_n < 2)
        min_n = 2;
    if (min_n > cap)
        min_n = cap;
    for (i = 0; i < pilot; i++)
        buf[i] = measure(ctx);
    stats_compute(buf, pilot, &p);
    /* n = (t * sd / (pct% of mean))^2, with the pilot's t and sd */
    num = (uint64_t)stats_crit_milli(pilot) * p.sd_milli / 1000 * 100;
    den = (uint64_t)pct * p.mean_milli;
    if (!den)
        need = num ? (uint64_t)cap : 0;
    else if (num / den >= 91)                   /* 91^2 > STATS_MAX */
        need = cap;
    else {
        num = num * 1000 / den;                 /* the ratio x1000; no overflow below 91 */
        need = num * num / 1000000 + 1;
    }
    n = need > (uint64_t)cap ? cap : need < (uint64_t)min_n ? min_n : (int)need;
    for (i = 0; i < n; i++)                     /* fresh samples: the pilot is dropped */
        buf[i] = measure(ctx);
    stats_compute(buf, n, out);
    out->pilot = pilot;
    out->converged = stats_converged(out, pct);
    return n;
}

int
stats_fmt_milli(char *buf, uint64_t milli)
{
    char tmp[24];
    uint64_t ip = milli / 1000;
    uint32_t fp = milli % 1000;
    int i = 0, len = 0;

    do {
        tmp[i++] = '0' + ip % 10;
        ip /= 10;
    } while (ip);
    while (i > 0)
        buf[len++] = tmp[--i];
    buf[len++] = '.';
    buf[len++] = '0' + fp / 100;
    buf[len++] = '0' + fp / 10 % 10;
    buf[len++] = '0' + fp % 10;
    buf[len] = 0;
    return len;
}
