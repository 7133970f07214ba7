/* Page tables, written by ring-3 OS code through the direct map (phys p is
 * at KERNEL_BASE + p).  Ring 3 cannot read CR3, so the OS remembers which
 * directory is loaded: it is the one that asked the event core to load it. */
#include "os.h"
#include "mm/vm.h"
#include "mm/frame.h"

pde_t *vm_loaded = (pde_t *)ptpool[0];

pde_t *vm_kernel(void)      { return (pde_t *)ptpool[0]; }

int vm_map(pde_t *pd, uint32_t va, uint32_t pa, uint32_t flags)
{
    pde_t *e = &pd[PDX(va)];
    if (!(*e & PTE_P)) {
        uint32_t f = frame_alloc();
        if (!f)
            return -1;
        *e = f | PTE_P | PTE_W | PTE_U;
    }
    uint32_t *pt = P2V(PTE_ADDR(*e));
    pt[PTX(va)] = (pa & ~0xFFFu) | flags | PTE_P;
    return 0;
}

uint32_t vm_lookup(pde_t *pd, uint32_t va)
{
    pde_t e = pd[PDX(va)];
    if (!(e & PTE_P))
        return 0;
    uint32_t pte = ((uint32_t *)P2V(PTE_ADDR(e)))[PTX(va)];
    return (pte & PTE_P) ? pte : 0;
}
