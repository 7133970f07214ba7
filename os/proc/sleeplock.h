/* Sleep locks: for OS state that stays inconsistent across a block (a file
 * system operation waits for the disk while other threads run and may enter
 * the OS).  OS code is never preempted, so taking and releasing need no
 * atomic instruction; a thread that finds the lock held sleeps, and the
 * holder hands it over, oldest waiter first.  Only service context may take
 * one (an event handler cannot block).
 *
 * A process ended while one of its threads holds a lock ends when that
 * thread lets go of its last one: cut off in the middle, the state the lock
 * guards would stay half-changed (proc/exit.c, proc_exit and proc_end_doomed). */
#ifndef SLEEPLOCK_H
#define SLEEPLOCK_H
#include "sched/list.h"

struct proc;

struct sleeplock {
    struct proc *holder;
    struct list waiters;        /* by proc->sq, oldest first */
};

void sleeplock_init(struct sleeplock *lk);
void sleep_lock(struct sleeplock *lk);
void sleep_unlock(struct sleeplock *lk);
int sleep_locked_by_me(struct sleeplock *lk);

/* The thread of p (or, p a leader, of its process) that holds a sleep lock,
 * or 0 (proc/exit.c: such a process ends when it lets go). */
struct proc *sleeplock_holder_in(struct proc *p);
#endif
