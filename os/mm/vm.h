#ifndef VM_H
#define VM_H
#include <stdint.h>
#include "machine.h"

/* A page directory, addressed through the direct map. */
typedef uint32_t pde_t;
pde_t *vm_current(void);
void vm_set_current(pde_t *pd);
pde_t *vm_kernel(void);
int vm_map(pde_t *pd, uint32_t va, uint32_t pa, uint32_t flags);
uint32_t vm_lookup(pde_t *pd, uint32_t va);     /* PTE, 0 if unmapped */
int vm_readable(pde_t *pd, uint32_t va, uint32_t len);
#endif
