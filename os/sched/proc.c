/* The process table (proc.h): the procs, pid -> proc, and the copies
 * between an app's memory and the OS.  Making and ending procs is spawn.c's
 * and exit.c's; running them, sched/'s. */
#include "os.h"
#include "sched/proc.h"
#include "mm/uvm.h"

struct proc procs[NPROC];

/* pid -> proc in O(1): slot pid % PIDMAP.  A new pid skips slots still
 * held by a live proc, so each slot names at most one. */
struct proc *pidmap[PIDMAP];
_Static_assert(PIDMAP >= 2 * NPROC, "pid map too small");

void proc_links_init(struct proc *p)
{
    list_init(&p->rq);
    list_init(&p->sl);
    list_init(&p->sq);
    list_init(&p->senders);
    list_init(&p->callers);
}

const char *proc_tag(struct proc *p)
{
    static char buf[48];
    snformat(buf, sizeof buf, "pid %d (%s)", p->pid, p->name);
    return buf;
}

int proc_live_apps(void)
{
    int n = 0;
    for (int i = 2; i < NPROC; i++)                     /* processes, not threads */
        n += procs[i].leader == &procs[i] &&
             (procs[i].state == P_RUNNABLE || procs[i].state == P_BLOCKED);
    return n;
}

int copy_from_app(struct proc *p, void *dst, uint32_t src, uint32_t len)
{
    return uvm_copy(p->pd, src, dst, len, 0);
}

int copy_to_app(struct proc *p, uint32_t dst, const void *src, uint32_t len)
{
    return uvm_copy(p->pd, dst, (void *)src, len, 1);
}
