/* Benchmark statistics in integer arithmetic only (the bench app runs at
 * ring 3 with no FPU state saved).  Fixed-point values are x1000 ("milli").
 * Exact while sum(x) * 1000 < 2^64 and sum((x - mean)^2) * n < 2^64: true for
 * any realistic set of cycle counts. */
#ifndef STATS_H
#define STATS_H

#include <stdint.h>

#define STATS_MAX 8192          /* most samples stats_compute accepts */

struct stats {
    int n;
    uint64_t mean_milli;        /* mean */
    uint64_t sd_milli;          /* sample standard deviation (n - 1) */
    uint64_t ci_milli;          /* 98% confidence half-width of the mean */
    uint64_t median_milli;
    uint32_t min;
    uint32_t max;
    int converged;              /* set by stats_sample */
};

/* Two-sided 98% critical value x1000 for n samples: Student t with n - 1
 * degrees of freedom for n < 30, z = 2.326 from 30 on; 0 for n < 2. */
uint32_t stats_crit_milli(int n);

/* 0 on success, -1 if n < 1 or n > STATS_MAX. */
int stats_compute(const uint32_t *s, int n, struct stats *out);

/* 1 if n >= 2 and ci <= pct% of the mean. */
int stats_converged(const struct stats *st, int pct);

/* Call measure(ctx) for one sample at a time into buf: min_n samples first,
 * then batch more at a time, until converged (pct) or cap samples.
 * Returns the number of samples; out->converged says which. */
int stats_sample(uint32_t (*measure)(void *), void *ctx, uint32_t *buf,
                 int min_n, int cap, int batch, int pct, struct stats *out);

/* "123.456" for 123456; returns the length.  buf needs 25 bytes. */
int stats_fmt_milli(char *buf, uint64_t milli);

uint64_t stats_isqrt(uint64_t x);

#endif
