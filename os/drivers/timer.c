/* The scheduler's clock.  Some boards gate the 8254 off (QEMU -M pc,pit=off):
 * IRQ 0 never comes, and without a tick nothing is preempted and no sleep
 * ends.  So at start-up the OS checks that IRQ 0 really ticks, against the
 * CMOS clock (rtc.c: a 32.768 kHz crystal, independent of the PIT); where it
 * does not, it calibrates the local APIC timer against the same clock and
 * runs it at TIMER_HZ on its own vector; without either it says so and goes
 * on without preemption.  Where the RTC does not tick either, the PIT is given
 * 2^30 TSC cycles (0.27 s at 4 GHz) for two ticks, and nothing can calibrate
 * the APIC. */
#include "os.h"
#include "drivers/timer.h"
#include "sched/sched.h"

#define CAL_PERIODS 32                  /* of the RTC: 31.25 ms */
#define PERIOD_MAX  (1ull << 28)        /* TSC cycles for one 976 us RTC period: generous,
                                           as an emulator on a loaded host runs late */

int timer_kind;

/* n RTC periods from the next one's start; 0, or -1 without an RTC */
static int rtc_span(int n, void (*at_start)(void))
{
    if (rtc_wait_period(PERIOD_MAX) < 0)
        return -1;
    if (at_start)
        at_start();
    for (int i = 0; i < n; i++)
        if (rtc_wait_period(PERIOD_MAX) < 0)
            return -1;
    return 0;
}

static uint32_t ticks0;
static void mark_ticks(void) { ticks0 = ticks; }

/* Does IRQ 0 tick?  Two ticks in 31.25 ms (100 Hz gives 3). */
static int pit_ticks(int rtc)
{
    pit_init(TIMER_HZ);
    pic_unmask(0);
    if (rtc && rtc_span(CAL_PERIODS, mark_ticks) == 0)
        return ticks - ticks0 >= 2;
    uint64_t t0 = rdtsc();
    ticks0 = ticks;
    while (ticks - ticks0 < 2 && rdtsc() - t0 < (1ull << 30))
        ;
    return ticks - ticks0 >= 2;
}

/* The local APIC timer at TIMER_HZ; 0, or why not. */
static const char *apic_timer(int rtc)
{
    if (!apic_present()) {
        uint32_t r[4];
        cpuid(1, r);
        return (r[3] >> 9) & 1 ? "the local APIC is disabled by the firmware (or in x2APIC mode)"
                               : "this CPU has no local APIC";
    }
    if (!rtc)
        return "the RTC does not tick either: nothing to calibrate the local APIC timer against";
    apic_enable();
    /* the median of 5 windows of 8 periods: an emulator may set the RTC's
     * flag late now and then (its timers run when the host gets round to it) */
    uint32_t n[5];
    for (int i = 0; i < 5; i++) {
        if (rtc_span(CAL_PERIODS / 4, apic_count_start) < 0)
            return "the RTC stopped ticking";
        n[i] = apic_count_elapsed();
        for (int k = i; k > 0 && n[k] < n[k - 1]; k--) {
            uint32_t t = n[k];
            n[k] = n[k - 1];
            n[k - 1] = t;
        }
    }
    uint64_t per_s = (uint64_t)n[2] * RTC_HZ / (CAL_PERIODS / 4);
    if (per_s < 100 * TIMER_HZ)
        return "the local APIC timer does not count";
    apic_timer_periodic((uint32_t)(per_s / TIMER_HZ));
    if (rtc_span(CAL_PERIODS, mark_ticks) < 0 || ticks - ticks0 < 2) {
        apic_timer_stop();
        return "the local APIC timer does not interrupt";
    }
    kprintf("KLOS: timer: local APIC %u Hz (%u.%03u MHz after its divide-by-16, calibrated "
            "against the RTC), the PIT does not tick\n", TIMER_HZ, (uint32_t)(per_s / 1000000),
            (uint32_t)(per_s / 1000 % 1000));
    return 0;
}

void timer_init(void)
{
    rtc_periodic_start();
    int rtc = rtc_wait_period(PERIOD_MAX) == 0;
    if (pit_ticks(rtc)) {
        timer_kind = KLOS_TIMER_PIT;
        kprintf("KLOS: timer: PIT %u Hz\n", TIMER_HZ);
    } else {
        pic_mask(0);
        const char *why = apic_timer(rtc);
        if (!why) {
            timer_kind = KLOS_TIMER_APIC;
        } else {
            timer_kind = KLOS_TIMER_NONE;
            kprintf("KLOS: timer: none: the PIT does not tick and %s; no preemption (a program "
                    "that never waits keeps the CPU), and no sleep or timeout ends\n", why);
        }
    }
    rtc_periodic_stop();
}
