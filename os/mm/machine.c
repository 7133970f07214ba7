/* The machine tables the ring-3 OS owns: those of protected-mode memory
 * management (SDM chapters 3 and 4) and the I/O bitmap.  boot/ fills them
 * once; after that only ring-3 OS code writes them (through DSOS): the GDT
 * and LDT for DSOS relocation, the page tables for the memory manager, the
 * I/O bitmaps for drivers.  They are U=1 pages, kept from apps by DSAPP's limit alone. */
#include "machine.h"

struct desc gdt[GDT_ENTRIES] __attribute__((aligned(4096)));
struct desc ldt[LDT_ENTRIES] __attribute__((aligned(4096)));
uint32_t ptpool[PTPOOL_PAGES][1024] __attribute__((aligned(4096)));
uint8_t iobitmap_boot[IOBITMAP_SIZE] __attribute__((aligned(4096)));
uint8_t iomap_end_page[4096] __attribute__((aligned(4096)));
uint8_t os_stack[16384] __attribute__((aligned(16)));
