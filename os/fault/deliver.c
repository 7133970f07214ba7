/* Delivering a fault to the app's own handler (the exc_register service):
 * the OS builds a struct klos_fault (include/klos_fault.h) on the app's
 * stack, through the direct map and only where the app itself could write,
 * and resumes the app in its handler with what the C ABI assumes (DF=0).
 * exc_return resumes a context the handler repaired -- with the flags an
 * app may set, and the app's own selectors, whatever it wrote. */
#include "os.h"
#include "fault/fault.h"
#include "klos_fault.h"
#include "sched/proc.h"
#include "proc/uptr.h"
#include "sched/sched.h"

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
    tf->eflags = (c->eflags & EFL_USER) | EFL_IF | EFL_RSVD1;
    tf->cs = SEL_CSOS;
    tf->ds = tf->es = tf->ss = SEL_DSAPP;
}

int fault_deliver(struct proc *p, struct trapframe *tf)
{
    struct klos_fault f = {
        tf->vec, tf->err, tf->vec == VEC_PF ? tf->cr2 : 0,
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
    c.eflags &= ~EFL_DF;                        /* the handler is C: DF=0 (f.ctx keeps it) */
    app_context(tf, &c);
    p->in_exc = 1;
    return 1;
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
