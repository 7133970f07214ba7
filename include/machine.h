/* Machine tables (os/mm/machine.c) and the paging constants that boot/ and the
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

/* page directory, the window table, the direct-map tables, then the three
 * tables of the code region's OS part: OS text, hardened stubs, B + A stubs */
#define PT_DIRECT    2
#define PT_CODE      (PT_DIRECT + DIRECTMAP_MAX / 0x400000)
#define PTPOOL_PAGES (PT_CODE + 3)
/* The direct map's page tables as one array: entry f maps frame f (phys
 * f * 4096) at P2V(f * 4096).  Boot fills it from the memory map; the frame
 * allocator hands out exactly the frames it maps (os/mm/frame.c). */
#define NFRAMES      (DIRECTMAP_MAX / 4096)
#define DIRECT_PTE   ((uint32_t *)ptpool + PT_DIRECT * 1024)

extern struct desc gdt[GDT_ENTRIES];
extern struct desc ldt[LDT_ENTRIES];
extern uint32_t ptpool[PTPOOL_PAGES][1024];
extern uint8_t iobitmap_boot[IOBITMAP_SIZE];
extern uint8_t iomap_end_page[4096];
extern uint8_t os_stack[16384];

/* linker.ld: code-region symbols are identity (VMA = phys) up to
 * _text_end; the stubs lie at their fixed VMAs, loaded at LOADADDR; the data
 * part's VMA is P2V of its load address. */
extern char _kernel_start[], _kernel_end[], _ec_start[], _ec_end[], _text_end[];
extern char _ecdata_start[], _ecdata_end[];
extern char _svc_h_end[], _svc_h_lma[], _svc_b_end[], _svc_b_lma[], _svc_a_end[], _svc_a_lma[];
extern char _svc_p_end[], _svc_p_lma[];
#endif
