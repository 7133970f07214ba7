/* Ring-3 event dispatch.  The OS registers one entry for every vector in the
 * page it shares with the event core; registering is a memory write. */
#include "os.h"
#include "ecshared.h"
#include "mm/vm.h"
#include "fault/fault.h"

extern char upcall_ret[];

volatile uint32_t ticks;
int event_depth;
static event_fn hooks[NVEC];

/* The one registered handler.  Runs at CPL 3 on a handler-stack slice with
 * interrupts off, and returns to upcall_ret, which calls the gate.  The event
 * core enters it by IRET with EFLAGS = 0x002, so DF, AC, TF and NT are 0
 * whatever the interrupted app had set: what the C compiler assumes. */
static void os_event(struct trapframe *tf)
{
    event_depth++;
    if (hooks[tf->vec])
        hooks[tf->vec](tf);
    else if (tf->vec < 32)
        fault(tf);
    else if (tf->vec >= VEC_IRQ0 + VEC_NIRQ)
        kprintf("KLOS: software event %u with no OS handler, ignored\n", tf->vec);
    event_depth--;
}

event_fn event_hook(int vec, event_fn fn)
{
    event_fn old = hooks[vec];
    hooks[vec] = fn;
    return old;
}

static void null_upcall(struct trapframe *tf)
{
    (void)tf;
}

void tlb_flush(void)
{
    ecshared.req_cr3 = V2P(vm_current());
    asm volatile("int %0" : : "i"(VEC_UPCALL) : "memory");
}

void event_init(void)
{
    ecshared.upcall_ret = (uint32_t)upcall_ret;
    for (int v = 0; v < NVEC; v++)
        ecshared.handler[v] = (uint32_t)os_event;
    event_hook(VEC_UPCALL, null_upcall);
    tev_init();
}
