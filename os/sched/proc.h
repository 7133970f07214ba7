/* The process table.  A thread is a proc that shares its leader's address
 * space; the leader owns the memory.  spawn.c makes procs, exit.c ends and
 * frees them, sched/ runs them. */
#ifndef PROC_H
#define PROC_H
#include <stdint.h>
#include "trapframe.h"
#include "mm/vm.h"
#include "sched/list.h"

#ifndef NPROC
#define NPROC 64               /* make scale rebuilds with 256 */
#endif
#define NOFILE 32              /* file descriptors per process */
#define MSG_REGS 4              /* a message of up to 16 bytes travels in registers */

struct ofile;
struct inode;

enum pstate { P_FREE, P_RUNNABLE, P_BLOCKED, P_ZOMBIE };
enum wait_on { W_NONE, W_SLEEP, W_CHILD, W_THREAD, W_SEND, W_RECV, W_INPUT,
               W_CALL,          /* call: message queued at the server, not yet taken */
               W_REPLY,         /* call: message taken, waiting for the server's reply */
               W_DISK,          /* a disk command, until its IRQ (os/drivers/ata.c) */
               W_DISKLOCK,      /* a disk channel another thread is using */
               W_LOCK,          /* a sleep lock another thread holds (sched/sleeplock.c) */
               W_DOOMED };      /* its process is ending; another thread must first let go
                                 * of a sleep lock (sched/sleeplock.c): never woken */

struct proc {
    enum pstate state;
    int pid;                    /* threads get pids too */
    char name[32];
    struct proc *leader;        /* self for a process */
    struct proc *parent;
    int nthreads;               /* leader: live threads including itself */
    pde_t *pd;
    uint32_t pd_pa, iomap_pa[2];
    struct trapframe tf;        /* saved context while not running */
    uint32_t ctx[3];            /* or, if ctx[0]: ESP, SS, ES saved by swtch (sched.c) */
    uint32_t heap_lo, brk;
    uint32_t os_stack_pa;       /* hardened Design B: this thread's OS stack */
    int exit_code, reaped;
    enum wait_on waiting;
    uint32_t wake_tick;         /* 0 = no timeout */
    int wait_for;
    int wait_result;
    enum wait_on defer_why;             /* a wake deferred by an IRQ over OS code (sched.c) */
    int defer_result;
    /* IPC: a blocked sender's message, in its own address space */
    uint32_t msg_va;
    int msg_len, msg_to;
    int msg_cap;                /* call: the reply's room at msg_va */
    /* app exception handling */
    uint32_t exc_handler;
    int in_exc;
    int resume_pending;
    struct trapframe resume_tf;
    int driver;                 /* named by drivers= on the command line */
    uint32_t np_faults;
    uint32_t shm_mask;          /* shared regions this process holds */
    int restricted;             /* leader: plain Design B and Design A unmapped */
    uint8_t fpu[108];           /* x87 state (FNSAVE format) while not running */
    int bench;                  /* holds the ring-0 benchmark entries (bench.c) */
    /* sleep locks (sched/sleeplock.c) */
    int locks;                  /* sleep locks this thread holds */
    int doom;                   /* exit code + 1: ends when it lets go of its last lock */
    /* files (svc/sys_fs.c): the leader's, shared by its threads */
    struct ofile *ofile[NOFILE];        /* fds 3..NOFILE-1; 0..2 are the console */
    struct inode *cwd;                  /* 0: the root */
    /* scheduler and IPC queues (sched.c, sys_ipc.c): all O(1) */
    struct list rq;             /* run queue: runnable, not running */
    struct list sl;             /* timeout queue, sorted by wake_tick */
    struct list sq;             /* link in a receiver's queue of blocked senders */
    struct list senders;        /* senders blocked on this proc, oldest first */
    struct list callers;        /* callers whose message this proc took: owed a reply */
};

extern struct proc procs[NPROC];
const char *proc_tag(struct proc *p);           /* "pid 3 (hello)" */
int proc_live_apps(void);

/* pid -> proc in O(1): slot pid % PIDMAP (proc.c keeps it) */
#define PIDMAP 1024
extern struct proc *pidmap[PIDMAP];
static inline struct proc *proc_find(int pid)
{
    struct proc *p = pid > 0 ? pidmap[pid % PIDMAP] : 0;
    return p && p->state != P_FREE && p->pid == pid && p >= &procs[2] ? p : 0;
}
void proc_links_init(struct proc *p);

/* copy between an app's memory and the OS, through the direct map */
int copy_from_app(struct proc *p, void *dst, uint32_t src, uint32_t len);
int copy_to_app(struct proc *p, uint32_t dst, const void *src, uint32_t len);
#endif
