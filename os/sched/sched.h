/* The scheduler's interface (sched/sched.c). */
#ifndef SCHED_H
#define SCHED_H
#include <stdint.h>
#include "trapframe.h"
#include "sched/proc.h"

extern struct proc *cur;                        /* the running thread */
void sched_init(void);
/* Called after a switch while reap_pending: exit.c frees the zombies there,
 * once their directory is no longer the loaded one. */
void sched_set_reaper(void (*reap)(void));
extern volatile uint32_t ticks;
extern uint8_t fpu_init_state[108];
void sched_switch(struct trapframe *tf);
void sched_block(enum wait_on why, uint32_t timeout);
void sched_timeout(struct proc *p, uint32_t after);
void sched_block_unless(enum wait_on why, uint32_t timeout, volatile int *done);
void sched_wake(struct proc *p, int result);

/* p stops waiting, with result: off its timeout and sender queues (sched_wake
 * then makes it ready; an IPC handoff runs it at once instead). */
static inline __attribute__((always_inline)) void sched_unblock(struct proc *p, int result)
{
    list_del(&p->sl);
    list_del(&p->sq);
    p->waiting = W_NONE;
    p->wait_result = result;
}
void sched_yield_now(void);
void sched_tick(struct trapframe *tf);     /* the timer's handler: PIT or local APIC */
void sched_after_irq(struct trapframe *tf);
void sched_ready(struct proc *p);
void sched_unlink(struct proc *p);
void sched_handoff(struct proc *to);
void sched_block_to(enum wait_on why, struct proc *to);
extern int reap_pending;
int is_app(struct proc *p);
#endif
