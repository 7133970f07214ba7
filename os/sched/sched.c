/* Round-robin, preemptive scheduler.  It runs inside event handlers, on the
 * live frame the event core hands up (edited in place): a switch saves that
 * frame into the current proc, copies the next one's over it, and asks the
 * event core to load the next CR3 (the paper's "optional TLB flush").  OS
 * code -- a frame whose DS is DSOS -- is never preempted: the next tick
 * decides.  So no OS structure needs a lock.
 *
 * Every step is O(1) in the number of processes, like seL4's fastpath:
 *   run queue    runnable procs other than the running one and idle, FIFO;
 *   sleep queue  blocked procs with a timeout, sorted by wake_tick, so a
 *                tick looks at the head only (the sorted insert is paid once,
 *                when a proc blocks with a timeout);
 *   zombies      freed only after an exit or a wait asked for it. */
#include "os.h"
#include "event/event.h"
#include "ecshared.h"
#include "machine.h"
#include "sched/proc.h"
#include "sched/sched.h"

#define QUANTUM 2               /* ticks */

struct proc *cur;
volatile uint32_t ticks;        /* timer ticks since the scheduler started */
uint32_t svc_os_stack;          /* hardened Design B stubs switch to this stack */
static int slice, resched;
static struct list runq, sleepq;
static struct proc *handoff;    /* sched_handoff's target, for on_yield */
int reap_pending;               /* a zombie may be ready to free */
static void (*reaper)(void);

void sched_set_reaper(void (*reap)(void))
{
    reaper = reap;
}
extern char idle_loop[];

#define IDLE (&procs[1])

int is_app(struct proc *p)
{
    return p >= &procs[2];
}

/* p may run: at the tail of the run queue (the running proc and idle stay off it). */
void sched_ready(struct proc *p)
{
    p->state = P_RUNNABLE;
    if (p != cur && p != IDLE && list_empty(&p->rq))
        list_add_before(&p->rq, &runq);
}

/* Off every queue (the proc ends, or runs now). */
void sched_unlink(struct proc *p)
{
    list_del(&p->rq);
    list_del(&p->sl);
    list_del(&p->sq);
}

/* The next proc to run: the given one (a handoff), else the run queue's head,
 * else idle.  A running proc that may go on goes to the tail, or, when it
 * hands off, to the head: it continues right after the receiver. */
static struct proc *pick(struct proc *to)
{
    if (cur->state == P_RUNNABLE && cur != IDLE)
        list_add_before(&cur->rq, to ? runq.next : &runq);
    if (to && to->state == P_RUNNABLE) {
        list_del(&to->rq);
        return to;
    }
    if (list_empty(&runq))
        return IDLE;
    struct proc *p = list_entry(runq.next, struct proc, rq);
    list_del(&p->rq);
    return p;
}

/* *d = *s for trapframes, inline: a call to memcpy would cost 20 instructions
 * more than the copy (4 copies per context-switch round trip).  Like memcpy
 * (lib/string.c says why) it loads ES from DS around its rep movsd and puts
 * ES back -- tools/strscan.py holds every string instruction to that. */
static inline void frame_copy(struct trapframe *d, const struct trapframe *s)
{
    uint32_t es, t, n = sizeof *d / 4;
    asm volatile("mov %%es, %[es]\n\t"
                 "mov %%ds, %[t]\n\t"
                 "mov %[t], %%es\n\t"
                 "rep movsl\n\t"
                 "mov %[es], %%es"
                 : [es] "=&r"(es), [t] "=&r"(t), "+D"(d), "+S"(s), "+c"(n) : : "memory");
}

/* x87 state is per thread.  FNSAVE/FRSTOR are not privileged, so the
 * ring-3 scheduler swaps it itself (no CR0.TS tricks, which need ring 0). */
uint8_t fpu_init_state[108];

void swtch(uint32_t *from, uint32_t *to, uint32_t cr3);
void swtch_yield(uint32_t *from);
extern char swtch_resume[];

/* Resume next from its swtch context: IRET to swtch_resume on its stack. */
static void swtch_frame(struct trapframe *tf, struct proc *next)
{
    tf->eip = (uint32_t)swtch_resume;
    tf->esp = next->ctx[0];
    tf->ss = next->ctx[1] & 0xFFFF;
    tf->cs = SEL_CSOS;
    tf->eflags = 0x202;
    tf->ds = ecshared.dsos;
    tf->es = next->ctx[2] & 0xFFFF;             /* the app's, as its stub left it */
    tf->fs = tf->gs = 0;                        /* swtch_resume pops its own */
    next->ctx[0] = 0;
}

static void switch_to(struct trapframe *tf, struct proc *to)
{
    struct proc *next = pick(to);
    slice = resched = 0;
    if (next != cur) {
        frame_copy(&cur->tf, tf);
        asm volatile("fnsave %0" : "=m"(cur->fpu));
        asm volatile("frstor %0" : : "m"(next->fpu));
        if (next->ctx[0])
            swtch_frame(tf, next);
        else
            frame_copy(tf, &next->tf);
        if (next->pd != cur->pd) {              /* cur->pd is the loaded directory */
            ecshared.req_cr3 = next->pd_pa;
            vm_set_current(next->pd);
        }
        svc_os_stack = next->os_stack_pa ? (uint32_t)P2V(next->os_stack_pa) + 4096 : 0;
        cur = next;
    }
    if (reap_pending)
        reaper();
}

void sched_switch(struct trapframe *tf)
{
    switch_to(tf, 0);
}

static int in_os(const struct trapframe *tf)
{
    return (tf->ds & 0xFFFF) == ecshared.dsos;
}

/* IRQ handlers run inside OS code too: it runs with interrupts on, and may
 * be half-way through a change to the run queue, the sleep queue or a wait
 * list (sched_ready, sched_unblock, block_mark, a lock's waiters).  So an
 * IRQ that came over OS code changes no list: a wake is written into the
 * proc and a bit (stores only), a tick is only counted, and the next
 * handler that runs over an app, or the OS code's own next yield, applies
 * them (catch_up).  No OS code is preempted meanwhile anyway. */
static uint32_t deferred[(NPROC + 31) / 32];
static int deferred_any, ticks_due;

static int irq_over_os(void)
{
    const struct trapframe *f = ec_frame(0);
    return event_depth == 1 && in_os(f) &&
           ((f->vec >= VEC_IRQ0 && f->vec < VEC_IRQ0 + VEC_NIRQ) || f->vec == VEC_APIC_TIMER);
}

void sched_wake(struct proc *p, int result)
{
    if (irq_over_os()) {
        uint32_t i = p - procs;
        p->defer_why = p->waiting;
        p->defer_result = result;
        deferred[i / 32] |= 1u << (i % 32);
        deferred_any = 1;
        return;
    }
    sched_unblock(p, result);
    sched_ready(p);
    resched = 1;
}

static void wake_due(void)
{
    while (!list_empty(&sleepq)) {
        struct proc *p = list_entry(sleepq.next, struct proc, sl);
        if ((int32_t)(ticks - p->wake_tick) < 0)
            break;
        sched_wake(p, p->waiting == W_SLEEP ? 0 : -ETIMEDOUT);
    }
}

/* The wakes and ticks deferred by IRQs over OS code; a wake still applies
 * if the proc waits for what it waited for then. */
static void catch_up(void)
{
    deferred_any = 0;
    for (uint32_t w = 0; w < sizeof deferred / 4; w++)
        for (uint32_t bits = deferred[w]; bits; bits &= bits - 1) {
            struct proc *p = &procs[w * 32 + __builtin_ctz(bits)];
            if (p->state == P_BLOCKED && p->waiting == p->defer_why)
                sched_wake(p, p->defer_result);
            deferred[w] &= ~(bits & -bits);
        }
    if (ticks_due) {
        ticks_due = 0;
        wake_due();
    }
}

/* A timer tick: IRQ 0 from the PIT, or the local APIC timer (drivers/apic.c). */
void sched_tick(struct trapframe *tf)
{
    ticks++;
    slice++;
    if (irq_over_os()) {                        /* OS code is not preempted either */
        ticks_due = deferred_any = 1;
        return;
    }
    if (deferred_any)
        catch_up();
    wake_due();
    if ((slice >= QUANTUM || resched || cur == IDLE) && !in_os(tf))
        sched_switch(tf);
}

/* After an IRQ that woke someone, leave the idle loop at once. */
void sched_after_irq(struct trapframe *tf)
{
    if (deferred_any && !irq_over_os())
        catch_up();
    if (resched && cur == IDLE)
        sched_switch(tf);
}

static void on_yield(struct trapframe *tf)
{
    struct proc *to = handoff;
    handoff = 0;
    if (deferred_any)
        catch_up();
    if (cur->resume_pending) {                  /* exc_return: resume a repaired context */
        cur->resume_pending = 0;
        frame_copy(tf, &cur->resume_tf);
        return;
    }
    switch_to(tf, to);
}

static void sleepq_insert(struct proc *p)  /* sorted: once per wait, not per tick */
{
    struct list *e = sleepq.next;
    while (e != &sleepq && (int32_t)(list_entry(e, struct proc, sl)->wake_tick - p->wake_tick) <= 0)
        e = e->next;
    list_add_before(&p->sl, e);
}

/* Mark cur blocked.  The sleep-queue link goes first and the state last
 * (a compiler barrier between): an IRQ handler that wakes a proc it finds
 * blocked must never find it blocked but not yet queued, or the stale queue
 * link would wake it again later, in some other wait. */
static inline __attribute__((always_inline)) void block_mark(enum wait_on why, uint32_t timeout)
{
    struct proc *p = cur;
    p->wake_tick = timeout ? ticks + timeout : 0;
    if (timeout)
        sleepq_insert(p);
    p->waiting = why;
    asm volatile("" : : : "memory");
    p->state = P_BLOCKED;
    asm volatile("" : : : "memory");
}

/* p, blocked with no timeout, also wakes (with -ETIMEDOUT) after `after'
 * ticks: the OS's own thread, asked for deferred work by a service. */
void sched_timeout(struct proc *p, uint32_t after)
{
    if (p->state != P_BLOCKED || p->wake_tick)
        return;
    p->wake_tick = ticks + after;
    sleepq_insert(p);
}

/* A service that must wait: mark the wait, then yield through the
 * software event.  Returns the waker's result once we run again. */
void sched_block(enum wait_on why, uint32_t timeout)
{
    block_mark(why, timeout);
    sched_yield_now();
}

/* sched_block, unless *done is set: for a wait on an IRQ, whose handler sets
 * *done and then wakes the proc if it is blocked on `why'.  An IRQ handler
 * runs even inside OS code; marked blocked before *done is read, the proc
 * cannot miss an IRQ that comes between the test and the block. */
void sched_block_unless(enum wait_on why, uint32_t timeout, volatile int *done)
{
    block_mark(why, timeout);
    if (*done) {
        sched_unblock(cur, 0);
        cur->state = P_RUNNABLE;
        return;
    }
    sched_yield_now();
}

/* Run `to' (just made runnable) now, without a pass over the run queue;
 * the caller runs again right after it. */
void sched_handoff(struct proc *to)
{
    handoff = to;
    sched_yield_now();
}

/* Block without a timeout and run `to' (just made runnable) at once: one
 * switch, no pass over the run queue (call and replywait).  If `to' also
 * waits inside a service (its context is a swtch one), the switch is made
 * here at ring 3 (swtch.asm): no event, no frame copy; the event core is
 * entered only to load CR3.  Else it goes through the yield event. */
void sched_block_to(enum wait_on why, struct proc *to)
{
    struct proc *from = cur;
    from->state = P_BLOCKED;
    from->waiting = why;
    from->wake_tick = 0;
    if (!to->ctx[0] || to->state != P_RUNNABLE || reap_pending || event_depth) {
        handoff = to;
        swtch_yield(from->ctx);                 /* leaves a swtch context for next time */
        return;
    }
    slice = resched = 0;                        /* `to' was blocked: on no run queue */
    /* the same hand-over as switch_to's, written out: a shared inline costs
     * this path or that one a few instructions */
    asm volatile("fnsave %0" : "=m"(from->fpu));
    asm volatile("frstor %0" : : "m"(to->fpu));
    uint32_t cr3 = 0;
    if (to->pd != from->pd) {
        cr3 = to->pd_pa;
        vm_set_current(to->pd);
    }
    svc_os_stack = to->os_stack_pa ? (uint32_t)P2V(to->os_stack_pa) + 4096 : 0;
    cur = to;
    swtch(from->ctx, to->ctx, cr3);
}

void sched_yield_now(void)
{
    asm volatile("int %0" : : "i"(VEC_YIELD) : "memory");
}

void sched_init(void)
{
    struct proc *os = &procs[0], *idle = IDLE;
    list_init(&runq);
    list_init(&sleepq);
    for (int i = 0; i < NPROC; i++)
        proc_links_init(&procs[i]);
    os->state = idle->state = P_RUNNABLE;
    strncpy(os->name, "os", sizeof os->name);
    strncpy(idle->name, "idle", sizeof idle->name);
    os->leader = os;
    idle->leader = idle;
    os->pd = idle->pd = vm_kernel();
    os->pd_pa = idle->pd_pa = V2P(vm_kernel());
    idle->tf.eip = (uint32_t)idle_loop;
    idle->tf.cs = SEL_CSOS;
    idle->tf.ss = SEL_DSAPP;
    idle->tf.esp = APP_STACK_TOP;
    idle->tf.eflags = 0x202;
    idle->pid = -1;
    cur = os;
    asm volatile("fninit\n\tfnsave %0" : "=m"(fpu_init_state));
    memcpy(idle->fpu, fpu_init_state, sizeof idle->fpu);
    event_hook(VEC_IRQ0, sched_tick);
    event_hook(VEC_YIELD, on_yield);
}
