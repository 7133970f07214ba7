/* Round-robin, preemptive scheduler.  It runs inside event handlers: a
 * switch saves the interrupted frame into the current proc, copies the next
 * one's frame over it, and asks the event core to load the next CR3 (the
 * paper's "optional TLB flush").  OS code -- a frame whose DS is DSOS -- is
 * never preempted: the next tick decides.  So no OS structure needs a lock. */
#include "os.h"
#include "ecshared.h"
#include "machine.h"
#include "proc/proc.h"
#include "sched/sched.h"

#define QUANTUM 2               /* ticks */

struct proc *cur;
uint32_t svc_os_stack;          /* hardened Design B stubs switch to this stack */
static int slice, resched;
extern char idle_loop[];

int is_app(struct proc *p)
{
    return p >= &procs[2];
}

static struct proc *pick(void)
{
    int start = cur - procs;
    for (int k = 1; k <= NPROC; k++) {
        struct proc *p = &procs[(start + k) % NPROC];
        if (p != &procs[1] && p->state == P_RUNNABLE)
            return p;
    }
    return &procs[1];
}

/* x87 state is per thread.  FNSAVE/FRSTOR are not privileged, so the
 * ring-3 scheduler swaps it itself (no CR0.TS tricks, which need ring 0). */
uint8_t fpu_init_state[108];

void sched_switch(struct trapframe *tf)
{
    cur->tf = *tf;
    struct proc *next = pick();
    if (next != cur) {
        asm volatile("fnsave %0" : "=m"(cur->fpu));
        asm volatile("frstor %0" : : "m"(next->fpu));
    }
    *tf = next->tf;
    if (next->pd != vm_current()) {
        ecshared.req_cr3 = next->pd_pa;
        vm_set_current(next->pd);
    }
    svc_os_stack = next->os_stack_pa ? (uint32_t)P2V(next->os_stack_pa) + 4096 : 0;
    cur = next;
    slice = resched = 0;
    proc_reap_zombies();
}

static int in_os(struct trapframe *tf)
{
    return (tf->ds & 0xFFFF) == ecshared.dsos;
}

void sched_wake(struct proc *p, int result)
{
    p->state = P_RUNNABLE;
    p->waiting = W_NONE;
    p->wait_result = result;
    resched = 1;
}

static void on_tick(struct trapframe *tf)
{
    ticks++;
    for (int i = 0; i < NPROC; i++)
        if (procs[i].state == P_BLOCKED && procs[i].wake_tick && ticks >= procs[i].wake_tick)
            sched_wake(&procs[i], procs[i].waiting == W_SLEEP ? 0 : ETIMEDOUT);
    if ((++slice >= QUANTUM || resched || cur == &procs[1]) && !in_os(tf))
        sched_switch(tf);
}

/* After an IRQ that woke someone, leave the idle loop at once. */
void sched_after_irq(struct trapframe *tf)
{
    if (resched && cur == &procs[1])
        sched_switch(tf);
}

static void on_yield(struct trapframe *tf)
{
    if (cur->resume_pending) {                  /* exc_return: resume a repaired context */
        cur->resume_pending = 0;
        *tf = cur->resume_tf;
        return;
    }
    sched_switch(tf);
}

/* A service that must wait: mark the wait, then yield through the
 * software event.  Returns the waker's result once we run again. */
void sched_block(enum wait_on why, uint32_t timeout)
{
    cur->state = P_BLOCKED;
    cur->waiting = why;
    cur->wake_tick = timeout ? ticks + timeout : 0;
    sched_yield_now();
}

void sched_yield_now(void)
{
    asm volatile("int %0" : : "i"(VEC_YIELD) : "memory");
}

void sched_init(void)
{
    struct proc *os = &procs[0], *idle = &procs[1];
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
    event_hook(VEC_IRQ0, on_tick);
    event_hook(VEC_YIELD, on_yield);
}
