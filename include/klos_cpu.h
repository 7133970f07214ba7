/* What the cpuinfo service reports (shared by the OS and apps). */
#ifndef KLOS_CPU_H
#define KLOS_CPU_H
#include <stdint.h>

struct klos_cpuinfo {
    char vendor[16];            /* CPUID 0 */
    char brand[52];             /* CPUID 0x80000002-4, or "" */
    char hypervisor[16];        /* CPUID 0x40000000 when ECX bit 31 is set, or "" */
    uint32_t family, model, stepping;
    uint32_t features_edx, features_ecx;
    uint32_t sep;               /* SYSENTER usable (and set up by boot/) */
    uint32_t tsc;               /* RDTSC present */
    uint32_t icount;            /* booted with "icount": RDTSC counts instructions */
    uint32_t events_task;       /* booted with events=task: IDT task gates, no event core */
    uint32_t timer;             /* the scheduler's clock: KLOS_TIMER_* */
    uint32_t timer_hz;          /* its ticks per second (0: none) */
};
#define KLOS_TIMER_NONE 0       /* the PIT does not tick and no local APIC timer could run */
#define KLOS_TIMER_PIT  1
#define KLOS_TIMER_APIC 2       /* the local APIC timer: the PIT does not tick */
#endif
