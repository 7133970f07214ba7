/* What KLOS needs of the CPU, decided from what boot/ measured: CPUID exists
 * only where EFLAGS.ID (bit 21) can be changed (SDM vol. 1, 19.1 / 20.1.2),
 * and RDTSC only where CPUID.1:EDX.TSC (bit 4) is set.  The OS seeds DSOS's
 * placement from RDTSC and names the CPU from CPUID.  Pure logic (host
 * unit-tested): 0 if the CPU will do, else why not. */
#ifndef CPUCHECK_H
#define CPUCHECK_H
#include <stdint.h>

static inline const char *cpu_lacks(int id_toggles, uint32_t max_leaf, uint32_t edx1)
{
    if (!id_toggles)
        return "no CPUID instruction (EFLAGS.ID cannot be changed: a 486 or older)";
    if (max_leaf < 1)
        return "CPUID reports no feature leaf";
    if (!(edx1 & (1u << 4)))
        return "no time-stamp counter (CPUID.1:EDX.TSC is 0)";
    return 0;
}
#endif
