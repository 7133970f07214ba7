/* Machine tables (os/machine.c) and the paging constants that boot/ and the
 * ring-3 memory manager share. */
#ifndef MACHINE_H
#define MACHINE_H
#include <stdint.h>
#include "klos.h"
#include "desc.h"

#define PTE_P   0x001
#define PTE_W   0x002
#define PTE_U   0x004
#define PTE_ADDR(e) ((e) & ~0xFFFu)
#define PDX(va) ((uint32_t)(va) >> 22)
#define PTX(va) (((uint32_t)(va) >> 12) & 0x3FF)

/* The OS reaches physical memory through the direct map at KERNEL_BASE. */
#define P2V(pa) ((void *)((uint32_t)(pa) + KERNEL_BASE))
#define V2P(va) ((uint32_t)(va) - KERNEL_BASE)

/* page directory + direct-map tables + the window table */
#define PTPOOL_PAGES (2 + DIRECTMAP_MAX / 0x400000)

extern struct desc gdt[GDT_ENTRIES];
extern struct desc ldt[LDT_ENTRIES];
extern uint32_t ptpool[PTPOOL_PAGES][1024];
extern uint8_t iobitmap_boot[IOBITMAP_SIZE];
extern uint8_t iomap_end_page[4096];
extern uint8_t os_stack[16384];

/* linker.ld */
extern char _kernel_start[], _kernel_end[], _ec_start[], _ec_end[];
#endif
