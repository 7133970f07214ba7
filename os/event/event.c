/* Ring-3 event dispatch.  The OS registers one entry for every vector in the
 * page it shares with the event core (registering is a memory write); that
 * entry calls the handler hooked for the vector.  The rooms above hook what
 * they handle: the fault room the exceptions, the scheduler the tick and the
 * yield, the drivers their IRQs. */
#include "os.h"
#include "ecshared.h"
#include "event/event.h"
#include "mm/vm.h"

extern char upcall_ret[], tev_resume[];

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
    else if (tf->vec < NEXC) {
        kprintf("KLOS PANIC: exception %u with no OS handler (eip=%08x)\n", tf->vec, tf->eip);
        os_halt(2);
    } else if (tf->vec >= VEC_IRQ0 + VEC_NIRQ)
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

void event_abandon(void)
{
    if (events_task)
        tev_abandon(event_depth);
    else
        for (int d = 1; d < event_depth; d++)
            ec_frame(d)->eip = ecshared.upcall_ret;
}

int event_cr2_rebuilt(const struct trapframe *tf)
{
    return events_task && tf->vec == VEC_PF;
}

const char *event_gp_meaning(const struct trapframe *tf)
{
    if (events_task && tev_busy_task(tf->err & ~1u))    /* EXT off; a GDT selector */
        return "the vector's handler task is busy (events=task: an event nested in its own "
               "handler)";
    return 0;
}

uint32_t event_gdt_fixed(void)
{
    return events_task ? GDT_FIXED_TASK : GDT_FIXED;
}

void event_dsos_moved(uint16_t old, uint16_t new)
{
    if (events_task)
        tev_dsos_moved(old, new);
}

void event_init(void)
{
    ecshared.upcall_ret = (uint32_t)upcall_ret;
    for (int v = 0; v < NVEC; v++)
        ecshared.handler[v] = (uint32_t)os_event;
    event_hook(VEC_UPCALL, null_upcall);
    if (events_task) {
        event_hook(VEC_SWITCH, tev_switch);
        tev_init();
    }
}
