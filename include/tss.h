/* The 32-bit task-state segment (SDM 7.2.1, figure 7-2), for events=task:
 * boot/ builds one per vector (os/event/taskev.c owns them), the ring-3 OS reads
 * and edits the interrupted task's saved state in them.  Selectors are
 * 16 bits wide with the upper half reserved (written 0). */
#ifndef TSS_H
#define TSS_H
#include <stdint.h>
#include "klos.h"

struct tss {
    uint32_t link;              /* previous task's selector (a nested task) */
    uint32_t esp0, ss0, esp1, ss1, esp2, ss2;
    uint32_t cr3, eip, eflags;
    uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi;
    uint32_t es, cs, ss, ds, fs, gs, ldt;
    uint16_t trap, iomap;
};
_Static_assert(sizeof(struct tss) == TSS_SIZE, "struct tss is the CPU's 104 bytes");

/* One handler task per vector, at GDT slots SEL_TEV0 >> 3 on (klos.h). */
extern struct tss tev_tss[NVEC];
#define TEV_SEL(v)      (SEL_TEV0 + 8 * (v))
#define TEV_VEC(sel)    ((((sel) & 0xFFFF) - SEL_TEV0) >> 3)
extern uint8_t tev_estacks[NVEC][TEV_ESTACK];
extern uint32_t tev_entries[NVEC];      /* the generated per-vector entries (tools/gen/vectors.py) */
#endif
