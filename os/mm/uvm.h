#ifndef UVM_H
#define UVM_H
#include "mm/vm.h"
pde_t *uvm_create(uint32_t *pd_pa, uint32_t iomap_pa[2]);
int uvm_alloc(pde_t *pd, uint32_t va, uint32_t len);
void uvm_window_map(pde_t *pd, uint32_t va, uint32_t pte);
int uvm_map_shared(pde_t *pd, uint32_t va, uint32_t pa);
void uvm_protect(pde_t *pd, uint32_t va, uint32_t len);
void uvm_dealloc(pde_t *pd, uint32_t va, uint32_t len);
void uvm_free(pde_t *pd, uint32_t pd_pa, uint32_t iomap_pa[2]);
int uvm_app_range(uint32_t va, uint32_t len);
void uvm_restrict_stubs(pde_t *pd);
int uvm_copy(pde_t *pd, uint32_t va, void *buf, uint32_t len, int to_app);
#endif
