/* Ending threads and processes, and freeing what they held once it is
 * safe: after the scheduler has switched away from their directory. */
#include "os.h"
#include "sched/proc.h"
#include "proc/exit.h"
#include "sched/sched.h"
#include "mm/frame.h"
#include "mm/uvm.h"
#include "mm/shm.h"
#include "bench/rights.h"

void proc_release(struct proc *p)
{
    if (p->os_stack_pa)
        frame_free(p->os_stack_pa);
    if (p->leader == p && p->pd) {
        shm_drop(&p->shm_mask);
        bench_release(p);
        uvm_free(p->pd, p->pd_pa, p->iomap_pa);
    }
    p->state = P_FREE;
}

/* Senders blocked on p, and callers still owed its reply, get ESRCH: p
 * ends, and its queues with it. */
static void drop_senders(struct proc *p)
{
    while (!list_empty(&p->senders))
        sched_wake(list_entry(p->senders.next, struct proc, sq), -ESRCH);
    while (!list_empty(&p->callers))
        sched_wake(list_entry(p->callers.next, struct proc, sq), -ESRCH);
}

/* End a thread or process.  Its memory is freed later, by
 * proc_reap_zombies, once its directory is no longer loaded. */
void proc_exit(struct proc *p, int code)
{
    if (p->state == P_FREE || p->state == P_ZOMBIE)
        return;
    sched_unlink(p);
    p->state = P_ZOMBIE;
    p->exit_code = code;
    reap_pending = 1;
    struct proc *l = p->leader;
    l->nthreads--;
    if (p == l) {                                       /* a process ends all its threads */
        for (int i = 2; i < NPROC; i++) {
            struct proc *t = &procs[i];
            if (t->state == P_FREE || t == l)
                continue;
            if (t->leader == l) {
                if (t->state != P_ZOMBIE)
                    l->nthreads--;
                sched_unlink(t);
                drop_senders(t);
                t->state = P_ZOMBIE;
                t->reaped = 1;
            }
            if (t->parent == l && t->leader == t && t->state == P_ZOMBIE)
                t->reaped = 1;                          /* orphans nobody will wait for */
            if (t->parent == l)
                t->parent = 0;
        }
        kprintf("KLOS: %s exited with code %d\n", proc_tag(p), code);
    }
    for (int i = 0; i < NPROC; i++) {
        struct proc *w = &procs[i];
        if (w->state == P_BLOCKED &&
            ((w->waiting == W_CHILD && (w->wait_for == p->pid || w->wait_for == -1) && p == l) ||
             (w->waiting == W_THREAD && w->wait_for == p->pid)))
            sched_wake(w, p->pid);
    }
    drop_senders(p);
    if (p == l && !p->parent)
        p->reaped = 1;
}

/* Free what zombies held, except the running one's directory.  The scan
 * runs only after an exit or a wait (reap_pending), never on every switch:
 * it stays pending while a collected zombie could not be freed yet. */
void proc_reap_zombies(void)
{
    int left = 0;
    for (int i = 2; i < NPROC; i++) {
        struct proc *p = &procs[i];
        if (p->state != P_ZOMBIE || !p->reaped)
            continue;
        if (p == cur || (p->leader == p && (p->nthreads > 0 || p->pd == vm_current()))) {
            left = 1;
            continue;
        }
        proc_release(p);
    }
    reap_pending = left;
}

void exit_init(void)
{
    sched_set_reaper(proc_reap_zombies);
}
