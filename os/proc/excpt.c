/* What a fault means for the process that took it.  Every fault (vectors
 * 0..31) that no OS driver claims comes here, and is one of:
 *  - raised inside an OS event handler (handlers nest deeper than one
 *    level): an OS bug.  Reported; the handlers under way are abandoned --
 *    each resumes at upcall_ret and goes straight back through the gate
 *    (events=task: at tev_resume, which IRETs to the task it interrupted) --
 *    the process the outermost event interrupted is ended, and the switch
 *    is made on the outermost frame, never on a nested one.  So the event
 *    core unwinds every level: its depth comes back to 0 and the next
 *    process's CR3 is loaded.
 *  - in OS code on no app's behalf: an OS bug with no one to end: stop.
 *  - in a service or its stub (DSOS in a segment register, EIP in the
 *    stubs): the OS's, reported and handled by the OS, the app ended, never
 *    shown to the app (DESIGN.md §5).
 *  - in app code: the app's registered handler if it has one (the OS builds
 *    a struct klos_fault on the app's stack and resumes the app there),
 *    otherwise the app ends.
 * fault.c only describes faults. */
#include "os.h"
#include "fault.h"
#include "ecshared.h"
#include "machine.h"
#include "klos_fault.h"
#include "proc/proc.h"
#include "proc/excpt.h"
#include "proc/uptr.h"
#include "sched/sched.h"

int (*fault_fixup)(struct trapframe *tf);
extern char tev_resume[];

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

static void app_context(struct trapframe *tf, const struct klos_context *c)
{
    memset(tf, 0, sizeof *tf);
    tf->edi = c->edi;
    tf->esi = c->esi;
    tf->ebp = c->ebp;
    tf->esp = c->esp;
    tf->ebx = c->ebx;
    tf->edx = c->edx;
    tf->ecx = c->ecx;
    tf->eax = c->eax;
    tf->eip = c->eip;
    tf->eflags = (c->eflags & 0xCD5) | 0x202;       /* arithmetic flags and DF only */
    tf->cs = SEL_CSOS;
    tf->ds = tf->es = tf->ss = SEL_DSAPP;
}

static int deliver(struct proc *p, struct trapframe *tf)
{
    struct klos_fault f = {
        tf->vec, tf->err, tf->vec == 14 ? tf->cr2 : 0,
        { tf->edi, tf->esi, tf->ebp, tf->esp, tf->ebx, tf->edx, tf->ecx, tf->eax, tf->eip,
          tf->eflags },
    };
    uint32_t fp = (tf->esp - sizeof f) & ~3u, sp = fp - 8;
    uint32_t w[2] = { 0, fp };
    if (tf->esp < sizeof f + 8 || !uptr_ok(sp, sizeof f + 8) ||
        copy_to_app(p, fp, &f, sizeof f) < 0 || copy_to_app(p, sp, w, 8) < 0)
        return 0;
    struct klos_context c = f.ctx;
    c.esp = sp;
    c.eip = p->leader->exc_handler;
    c.eflags &= ~0x400u;                        /* the handler is C: DF=0 (f.ctx keeps it) */
    app_context(tf, &c);
    p->in_exc = 1;
    return 1;
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
        os_exit(2);
    }
    kprintf("KLOS: OS bug: an event handler faulted at depth %d; the handlers are abandoned "
            "and %s, for which they ran, is ended\n", event_depth, proc_tag(p));
    for (int d = 1; d < event_depth; d++)       /* tf is level event_depth - 1 */
        ec_frame(d)->eip = events_task ? (uint32_t)tev_resume : ecshared.upcall_ret;
    end_and_switch(p, ec_frame(0), 128 + tf->vec);
    event_depth = 1;                            /* abandoned levels never count down */
}

static void app_fault(struct trapframe *tf)
{
    struct proc *p = cur;
    if (tf->vec == 14 && p->leader->restricted && tf->cr2 >= SVC_B_BASE && tf->cr2 < SVC_END) {
        fault_report(proc_tag(p), tf);              /* the fetch of the stub's first byte */
        kprintf("KLOS: %s ended: plain Design B or Design A called by a process with threads "
                "or shared memory (the stub is not mapped there: no service ran)\n",
                proc_tag(p));
    } else if (os_context(tf)) {
        fault_report("in a service", tf);
        kprintf("KLOS: %s ended: fault inside a service or its stub, on its behalf\n",
                proc_tag(p));
    } else if (p->leader->exc_handler && !p->in_exc && deliver(p, tf)) {
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
    if (fault_fixup && fault_fixup(tf))
        return;
    if (event_depth > 1) {
        handler_fault(tf);
    } else if (is_app(cur)) {
        app_fault(tf);
    } else {
        fault_report("in the OS", tf);
        kprintf("KLOS PANIC: unexpected fault in ring-3 OS code\n");
        os_exit(2);
    }
}

int sys_exc_register(void *handler)
{
    cur->leader->exc_handler = (uint32_t)handler;
    return 0;
}

int sys_exc_return(void *context)
{
    struct klos_context c;
    if (!uptr_ok((uint32_t)context, sizeof c) || copy_from_app(cur, &c, (uint32_t)context, sizeof c))
        return -EFAULT;
    app_context(&cur->resume_tf, &c);
    cur->in_exc = 0;
    cur->resume_pending = 1;
    sched_yield_now();                          /* on_yield loads resume_tf */
    return 0;
}
