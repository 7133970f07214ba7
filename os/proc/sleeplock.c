/* Sleep locks (sleeplock.h). */
#include "os.h"
#include "sched/proc.h"
#include "sched/sched.h"
#include "proc/sleeplock.h"

#define NLOCKS 8
static struct sleeplock *all[NLOCKS];   /* every lock there is: sleeplock_defer looks */

void sleeplock_init(struct sleeplock *lk)
{
    lk->holder = 0;
    list_init(&lk->waiters);
    for (int i = 0; i < NLOCKS; i++)
        if (!all[i] || all[i] == lk) {
            all[i] = lk;
            return;
        }
    kprintf("KLOS PANIC: more than %d sleep locks\n", NLOCKS);
    os_halt(2);
}

void sleep_lock(struct sleeplock *lk)
{
    cur->locks++;
    if (!lk->holder) {
        lk->holder = cur;
        return;
    }
    list_add_before(&cur->sq, &lk->waiters);
    sched_block(W_LOCK, 0);                     /* woken holding it: sleep_unlock hands over */
}

void sleep_unlock(struct sleeplock *lk)
{
    lk->holder = 0;
    if (!list_empty(&lk->waiters)) {
        struct proc *p = list_entry(lk->waiters.next, struct proc, sq);
        lk->holder = p;
        sched_wake(p, 0);                       /* takes it off the waiters too */
    }
    cur->locks--;
}

int sleep_locked_by_me(struct sleeplock *lk)
{
    return lk->holder == cur;
}

struct proc *sleeplock_holder_in(struct proc *p)
{
    for (int i = 0; i < NLOCKS && all[i]; i++) {
        struct proc *h = all[i]->holder;
        if (h && (h == p || (p == p->leader && h->leader == p)))
            return h;
    }
    return 0;
}
