/* Test-kernel modes for protections pinned at their edges (tests/boot/guard.py).
 *
 *   oracle      the modules run as usual, but int VEC_UPCALL from an app answers
 *               what no app can learn on its own (see oracle_event): the
 *               strongest attacker, for attacks whose containment must not rest
 *               on the app not knowing a physical address or DSOS
 *   irqvec      a timer handler that rewrites the vector in the IRQ's frame: the
 *               ticks must go on (each level's vector stays the delivery's own)
 *   osspin      an app spinning in OS text with DS = DSAPP is preempted
 *   doublefree  a frame freed twice stops the OS with a clear panic
 *   faultedge   the fault frame's stack check alone decides at its exact edges */
#include "os.h"
#include "event/event.h"
#include "ecshared.h"
#include "machine.h"
#include "mm/vm.h"
#include "mm/frame.h"
#include "mm/uvm.h"
#include "sched/proc.h"
#include "sched/sched.h"
#include "svc_os.h"
#include "proc/spawn.h"
#include "proc/exit.h"
#include "proc/module.h"
#include "guard_oracle.h"

void run_modules(void);                 /* os/main.c */

/* ---- oracle ----------------------------------------------------------------- */

static void oracle_event(struct trapframe *tf)
{
    if ((tf->cs & 3) != 3 || (tf->ds & 0xFFFF) == ecshared.dsos)
        return;                         /* the OS's own int VEC_UPCALL (tlb_flush) */
    if (tf->eax == ORACLE_V2P) {
        uint32_t pte = vm_lookup(vm_current(), tf->ebx);
        tf->eax = (pte & PTE_P) ? PTE_ADDR(pte) | (tf->ebx & 0xFFF) : 0;
    } else if (tf->eax == ORACLE_DSOS) {
        tf->eax = ecshared.dsos;
    }
}

int t_oracle(void)
{
    event_fn old = event_hook(VEC_UPCALL, oracle_event);
    kprintf("oracle: int %d tells apps physical addresses and the DSOS selector\n", VEC_UPCALL);
    run_modules();
    event_hook(VEC_UPCALL, old);
    kprintf("oracle: all apps have ended, %u frames free\n", frame_free_count());
    return 1;
}

int t_irqvec(void) { return 0; }
int t_osspin(void) { return 0; }
int t_doublefree(void) { return 0; }
int t_faultedge(void) { return 0; }
