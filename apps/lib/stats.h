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
    int pilot;                  /* set by stats_sample: the pilot's size */
};

/* Two-sided 98% critical value x1000 for n samples: Student t with n - 1
 * degrees of freedom (a table to 30, then a Cornish-Fisher expansion);
 * 0 for n < 2. */
uint32_t stats_crit_milli(int n);

/* 0 on success, -1 if n < 1 or n > STATS_MAX. */
int stats_compute(const uint32_t *s, int n, struct stats *out);

/* 1 if n >= 2 and ci <= pct% of the mean. */
int stats_converged(const struct stats *st, int pct);

/* Fixed n after a pilot (two-stage sampling): `pilot' samples estimate the
 * spread; from them n = (t * sd / (pct% of mean))^2, clamped to [min_n, cap];
 * then n fresh samples are taken and only they are reported (the pilot is
 * dropped), so n does not depend on the data it summarises and the t
 * interval needs no correction for optional stopping.  Returns n;
 * out->converged says whether the final CI is within pct% of the mean. */
int stats_sample(uint32_t (*measure)(void *), void *ctx, uint32_t *buf,
                 int pilot, int min_n, int cap, int pct, struct stats *out);

/* "123.456" for 123456; returns the length.  buf needs 25 bytes. */
int stats_fmt_milli(char *buf, uint64_t milli);

uint64_t stats_isqrt(uint64_t x);

#endif
