/* What a_brute and its drivers (a_brutedrv, a_brutenpk) share: the shared
 * memory layout and the candidate-slot numbering. */
#ifndef BRUTE_H
#define BRUTE_H
#include <stdint.h>
#include "user.h"
#include "klos_cpu.h"

#define BRUTE_SHM_KEY 0x42525554        /* "BRUT" */
#define BRUTE_MAGIC 0xB7C0FFEE

/* DSOS may lie in GDT slots GDT_FIXED..8191 and LDT slots 0..8191 (os/sec/dsos.c:
 * dsos_move never picks a fixed GDT slot).  The attacker knows the fixed slots
 * (they answer #GP or load a known selector, never #NP) and scans the rest.
 * With events=task the handler tasks' TSS descriptors follow them (GDT_FIXED_TASK). */
static inline uint32_t brute_gdt_fixed(void)
{
    static uint32_t fixed;
    if (!fixed) {
        struct klos_cpuinfo ci;
        memset(&ci, 0, sizeof ci);
        KLOS_SVC(cpuinfo, &ci);
        fixed = ci.events_task ? GDT_FIXED_TASK : GDT_FIXED;
    }
    return fixed;
}
#define BRUTE_NGDT (GDT_ENTRIES - brute_gdt_fixed())    /* 8182; 8129 with events=task */
#define BRUTE_NCAND (BRUTE_NGDT + LDT_ENTRIES)          /* 16374; 16310 with events=task */

static inline uint32_t brute_sel(uint32_t i)
{
    return i < BRUTE_NGDT ? ((brute_gdt_fixed() + i) << 3) | 3 : ((i - BRUTE_NGDT) << 3) | 4 | 3;
}

/* One a_brute run's counters; the driver zeroes them before each spawn and
 * reads them after wait (the child updates them as it goes, so a child the
 * OS ends part-way still reports). */
struct brute_shm {
    uint32_t magic;
    volatile uint32_t guesses;          /* candidate selectors tried */
    volatile uint32_t np, gp_load, gp_read, other;
    volatile uint32_t found, found_sel, found_at;
    volatile uint32_t fixed_done;
    volatile uint32_t revisits, stale;  /* found selector retried after 3 more #NPs */
    volatile uint32_t revisit_np;       /* ... and answered #NP at the load (moved away) */
};
#endif
