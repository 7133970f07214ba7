/* What a fault means for the process that took it.  Every fault (vectors
 * 0..31) comes here through the hooks fault_init sets, unless a room that
 * hooked the vector later (dsos.c's #NP) claimed it; it is one of:
 *  - raised inside an OS event handler (handlers nest deeper than one
 *    level): an OS bug.  Reported; the handlers under way are abandoned --
 *    each resumes at its way out (event_abandon) -- the process the outermost event interrupted is ended, and the switch
 *    is made on the outermost frame, never on a nested one.  So the event
 *    delivery unwinds every level: its depth comes back to 0 and the next
 *    process's CR3 is loaded.
 *  - in OS code on no app's behalf: an OS bug with no one to end: stop.
 *  - in a service or its stub (DSOS in a segment register, EIP in the
 *    stubs): the OS's, reported and handled by the OS, the app ended, never
 *    shown to the app (docs/DESIGN.md §6).
 *  - in app code: the app's registered handler if it has one (deliver.c),
 *    otherwise the app ends. */
#include "os.h"
#include "fault/fault.h"
#include "ecshared.h"
#include "event/event.h"
#include "sched/proc.h"
#include "machine.h"
#include "sched/sched.h"
#include "proc/exit.h"


/* A context an app must never see: DSOS in a segment register, or EIP
 * inside the stubs or the OS's text, whose registers may hold DSOS's value:
 * a single-step #DB right after "mov ax, DSOS" has DS still DSAPP but AX =
 * DSOS; and an app that jumps to byte 2 of a Design B stub runs "B8 imm16
 * 8E D8" as mov eax, 0xD88E<DSOS> and then the service with its own DS, whose
 * first read of OS data faults in OS text with DSOS in EAX (the stubs swap DS
 * only: no ES load follows to put DSOS in a segment register). */
static int os_context(struct trapframe *tf)
{
    uint32_t d = ecshared.dsos;
    return (tf->ds & 0xFFFF) == d || (tf->es & 0xFFFF) == d || (tf->fs & 0xFFFF) == d ||
           (tf->gs & 0xFFFF) == d || (tf->ss & 0xFFFF) == d ||
           (tf->eip >= (uint32_t)_ec_end && tf->eip < (uint32_t)_text_end) ||
           (tf->eip >= SVC_START && tf->eip < SVC_END);
}

static void end_and_switch(struct proc *p, struct trapframe *outer, int code)
{
    proc_exit(p->leader, code);
    sched_switch(outer);
}

static void handler_fault(struct trapframe *tf)
{
    struct proc *p = cur;
    fault_report("in an OS event handler", tf);
    if (!is_app(p)) {
        kprintf("KLOS PANIC: fault in an OS event handler, on no app's behalf\n");
        os_halt(2);
    }
    kprintf("KLOS: OS bug: an event handler faulted at depth %d; the handlers are abandoned "
            "and %s, for which they ran, is ended\n", event_depth, proc_tag(p));
    event_abandon();                            /* tf is level event_depth - 1 */
    end_and_switch(p, ec_frame(0), 128 + tf->vec);
    event_depth = 1;                            /* abandoned levels never count down */
}

static void app_fault(struct trapframe *tf)
{
    struct proc *p = cur;
    if (tf->vec == VEC_PF && p->leader->restricted && tf->cr2 >= SVC_B_BASE && tf->cr2 < SVC_END) {
        fault_report(proc_tag(p), tf);              /* the fetch of the stub's first byte */
        kprintf("KLOS: %s ended: plain Design B or Design A called by a process with threads "
                "or shared memory (the stub is not mapped there: no service ran)\n",
                proc_tag(p));
    } else if (os_context(tf)) {
        fault_report("in a service", tf);
        kprintf("KLOS: %s ended: fault inside a service or its stub, on its behalf\n",
                proc_tag(p));
    } else if (p->leader->exc_handler && !p->in_exc && fault_deliver(p, tf)) {
        return;
    } else {
        fault_report(proc_tag(p), tf);
        kprintf("KLOS: %s ended by %s: %s\n", proc_tag(p), fault_name(tf->vec),
                fault_meaning(tf));
    }
    end_and_switch(p, tf, 128 + tf->vec);
}

void fault(struct trapframe *tf)
{
    if (event_depth > 1) {
        handler_fault(tf);
    } else if (is_app(cur)) {
        app_fault(tf);
    } else {
        fault_report("in the OS", tf);
        kprintf("KLOS PANIC: unexpected fault in ring-3 OS code\n");
        os_halt(2);
    }
}

void fault_init(void)
{
    for (int v = 0; v < NEXC; v++)
        event_hook(v, fault);
    event_cr2_rebuild(fault_addr);
}

