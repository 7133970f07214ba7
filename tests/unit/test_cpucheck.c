// What boot/ requires of the CPU (boot/cpucheck.h).
// SOURCES:
#include "check.h"
#include "../../boot/cpucheck.h"

int main(void)
{
    const uint32_t tsc = 1u << 4;
    CHECK("cpu.pentium-ok", cpu_lacks(1, 1, tsc | 1) == 0);
    CHECK("cpu.no-cpuid", cpu_lacks(0, 0, 0) != 0);
    CHECK("cpu.no-cpuid-ignores-rest", cpu_lacks(0, 5, tsc) != 0);
    CHECK("cpu.no-leaf-1", cpu_lacks(1, 0, tsc) != 0);
    CHECK("cpu.no-tsc", cpu_lacks(1, 1, ~tsc) != 0);
    return check_exit();
}
