/* Device memory (memory-mapped I/O: the screen, the local APIC) in the OS
 * data region, between the direct map and the per-process window: DSOS
 * reaches it, DSAPP (expand-down, above DSAPP_LIMIT) and CSOS (execute-only,
 * the code region) do not, so no app can read or write a device register.
 * The page tables come from the kernel's directory, whose OS entries every
 * process directory copies when it is made (mm/uvm.c): map before the first
 * process exists (os_main does). */
#include "os.h"
#include "mm/vm.h"
#include "mm/mmio.h"

void *mmio_map(uint64_t pa, uint32_t len, uint32_t va, uint32_t flags)
{
    uint64_t first = pa & ~0xFFFull, end = (pa + len + 0xFFF) & ~0xFFFull;
    if (!len || end > 0x100000000ull || va < MMIO_BASE || va % 4096 ||
        (uint64_t)va + (end - first) > MMIO_END)
        return 0;
    for (uint64_t p = first; p < end; p += 4096)
        if (vm_map(vm_kernel(), va + (uint32_t)(p - first), (uint32_t)p,
                   PTE_W | PTE_U | flags) < 0)
            return 0;
    return (void *)(va + (uint32_t)(pa - first));
}
