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
#include "proc/sleeplock.h"

static void (*files_hook)(struct proc *l);

/* What a process holds in the file system (its open files, its cwd) cannot
 * be let go of here -- that may need the disk, and an exit may come from an
 * event handler, which cannot wait: the file services take it over
 * (svc/sys_fs.c), to close it where waiting is allowed. */
void exit_set_files_hook(void (*hook)(struct proc *l))
{
    files_hook = hook;
}

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
 * proc_reap_zombies, once its directory is no longer loaded.  If a thread
 * it would end holds a sleep lock, the end waits until that thread lets go
 * (proc/sleeplock.c). */
void proc_exit(struct proc *p, int code)
{
    struct proc *h;
    if (p->state != P_FREE && p->state != P_ZOMBIE && (h = sleeplock_holder_in(p))) {
        p->doom = code + 1;
        if (cur != h && cur->leader == p->leader && cur->state == P_RUNNABLE) {
            sched_unlink(cur);                  /* the caller's own thread stops here */
            cur->state = P_BLOCKED;
            cur->waiting = W_DOOMED;
        }
        return;
    }
    proc_exit_now(p, code);
}

/* After a sleep_unlock: a thread whose process was ended meanwhile ends now
 * (it let go of its last lock).  Does not return then. */
void proc_end_doomed(void)
{
    if (cur->locks || !(cur->doom || cur->leader->doom))
        return;
    struct proc *p = cur->doom ? cur : cur->leader;
    int code = p->doom - 1;
    cur->doom = cur->leader->doom = 0;
    proc_exit_now(p, code);
    sched_yield_now();
}

void proc_exit_now(struct proc *p, int code)
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
        if (files_hook)
            files_hook(p);
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
