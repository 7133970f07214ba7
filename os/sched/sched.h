/* The scheduler's interface (sched/sched.c). */
#ifndef SCHED_H
#define SCHED_H
#include <stdint.h>
#include "trapframe.h"
#include "proc/proc.h"

void sched_init(void);
extern uint8_t fpu_init_state[108];
void sched_switch(struct trapframe *tf);
void sched_block(enum wait_on why, uint32_t timeout);
void sched_wake(struct proc *p, int result);
void sched_yield_now(void);
void sched_after_irq(struct trapframe *tf);
void sched_ready(struct proc *p);
void sched_unlink(struct proc *p);
void sched_handoff(struct proc *to);
void sched_block_to(enum wait_on why, struct proc *to);
extern int reap_pending;
int is_app(struct proc *p);
#endif
