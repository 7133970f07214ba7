/* The scheduler's clock: the PIT, else the local APIC timer (timer.c). */
#ifndef TIMER_H
#define TIMER_H
#include <stdint.h>

#include "klos_cpu.h"

#define TIMER_HZ 100
extern int timer_kind;                  /* KLOS_TIMER_NONE, _PIT or _APIC */

void timer_init(void);

/* the RTC's periodic flag, 1024 Hz: the reference (rtc.c) */
#define RTC_HZ 1024
void rtc_periodic_start(void);
void rtc_periodic_stop(void);
int rtc_wait_period(uint64_t max_tsc);
uint32_t rtc_unix_time(void);           /* the CMOS date and time, or 0 */

/* the local APIC (apic.c) */
extern uint32_t apic_phys;              /* set by boot/: 0 = none the OS can use */
void apic_map(void);
int apic_present(void);
void apic_enable(void);
void apic_count_start(void);            /* one-shot from ~0, masked, divide by 16 */
uint32_t apic_count_elapsed(void);
void apic_timer_periodic(uint32_t count);
void apic_timer_stop(void);

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}
#endif
