#ifndef VM_H
#define VM_H
#include <stdint.h>
#include "machine.h"

/* A page directory, addressed through the direct map. */
typedef uint32_t pde_t;
extern pde_t *vm_loaded;        /* the directory in CR3 (vm.c) */
static inline pde_t *vm_current(void) { return vm_loaded; }
static inline void vm_set_current(pde_t *pd) { vm_loaded = pd; }
pde_t *vm_kernel(void);
int vm_map(pde_t *pd, uint32_t va, uint32_t pa, uint32_t flags);
uint32_t vm_lookup(pde_t *pd, uint32_t va);     /* PTE, 0 if unmapped */
#endif
