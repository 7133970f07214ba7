/* Process services. */
#include "os.h"
#include "event/event.h"
#include "drivers/timer.h"
#include "svc_os.h"
#include "klos_cpu.h"
#include "machine.h"
#include "sched/proc.h"
#include "sched/sched.h"
#include "proc/uptr.h"
#include "proc/elf.h"
#include "mm/frame.h"
#include "mm/uvm.h"
#include "proc/exit.h"
#include "proc/spawn.h"
#include "proc/module.h"
#include "svc/files.h"

int sys_exit(int code)
{
    proc_exit(cur->leader, code);
    sched_yield_now();                          /* never runs again */
    return 0;
}

int sys_getpid(void)
{
    return cur->leader->pid;
}

int sys_uptime(void)
{
    return ticks;
}

int sys_yield(void)
{
    sched_yield_now();
    return 0;
}

int sys_sleep(int n)
{
    if (n <= 0)
        return 0;
    if (timer_kind == KLOS_TIMER_NONE) {        /* no clock: a sleep would never end */
        sched_yield_now();                      /* (the shell polls its input so) */
        return 0;
    }
    sched_block(W_SLEEP, n);
    return 0;
}

void *sys_sbrk(int incr)
{
    struct proc *l = cur->leader;
    uint32_t old = l->brk;
    int64_t want = (int64_t)old + incr;
    if (want < l->heap_lo || want > APP_LOAD_END)
        return (void *)-1;
    uint32_t new = want;
    if (incr > 0 && uvm_alloc(l->pd, old, incr) < 0) {
        uvm_dealloc(l->pd, (old + 4095) & ~4095u, new - ((old + 4095) & ~4095u));
        return (void *)-1;
    }
    if (incr < 0) {
        uint32_t keep = (new + 4095) & ~4095u;
        if (keep < old)
            uvm_dealloc(l->pd, keep, old - keep);
        tlb_flush();
    }
    l->brk = new;
    return (void *)old;
}

static int app_string(const char *s, char *buf, int cap)
{
    if (!s) {
        buf[0] = 0;
        return 0;
    }
    for (int i = 0; i < cap; i++) {
        if (!uptr_ok((uint32_t)s + i, 1) || copy_from_app(cur, &buf[i], (uint32_t)s + i, 1) < 0)
            return -EFAULT;
        if (!buf[i])
            return 0;
    }
    return -EINVAL;
}

/* A GRUB module by its name, else a program from the disk: a path, or a
 * bare name from /bin (svc/sys_fs.c). */
int sys_spawn(const char *module, const char *args)
{
    char name[32], a[128];
    int r = app_string(module, name, sizeof name);
    if (r == -EFAULT || app_string(args, a, sizeof a) < 0)
        return -EFAULT;
    struct module *m = r == 0 ? module_find(name) : 0;
    int pid = m ? proc_spawn(m, a, cur->leader) : file_spawn(module, a, cur->leader);
    if (pid > 0)
        file_inherit(proc_find(pid), cur->leader);
    return pid;
}


/* Collect an ended child (or thread): its code, and it may be freed now. */
static int reap(struct proc *c, int *status)
{
    int code = c->exit_code, pid = c->pid;
    c->reaped = 1;
    proc_reap_zombies();
    if (status && (!uptr_ok((uint32_t)status, 4) || copy_to_app(cur, (uint32_t)status, &code, 4) < 0))
        return -EFAULT;
    return pid;
}

static int wait_common(int pid, int *status, enum wait_on why)
{
    if (status && !uptr_ok((uint32_t)status, 4))
        return -EFAULT;
    struct proc *c = proc_find(pid);
    int thread = why == W_THREAD;
    if (!c || c->reaped || (thread ? c->leader != cur->leader || c == c->leader
                                   : c->parent != cur->leader || c->leader != c))
        return -ESRCH;
    if (c->state != P_ZOMBIE) {
        cur->wait_for = pid;
        sched_block(why, 0);
    }
    return reap(c, status);
}

int sys_wait(int pid, int *status)
{
    return wait_common(pid, status, W_CHILD);
}

/* Process 0 waits for pid like sys_wait, and also comes back when woken for
 * the OS's deferred work (the file services': sched_timeout): 1 once pid
 * has ended and is collected, 0 to do the work and wait again. */
int os_wait(int pid)
{
    struct proc *c = proc_find(pid);
    if (!c || c->reaped || c->parent != cur->leader)
        return 1;
    if (c->state != P_ZOMBIE) {
        cur->wait_for = pid;
        sched_block(W_CHILD, 0);
        if (c->state != P_ZOMBIE || c->pid != pid)
            return 0;
    }
    reap(c, 0);
    return 1;
}

int sys_thread_create(void *entry, void *arg, void *stack_top)
{
    if (!uptr_ok((uint32_t)stack_top - 8, 8))
        return -EFAULT;
    return proc_thread_create(cur, (uint32_t)entry, (uint32_t)arg, (uint32_t)stack_top);
}

int sys_thread_join(int tid)
{
    return wait_common(tid, 0, W_THREAD);
}

int sys_thread_exit(int code)
{
    if (cur == cur->leader)
        return sys_exit(code);
    proc_exit(cur, code);
    sched_yield_now();
    return 0;
}

/* End a child process of the caller's, or another thread of its own process
 * (not its leader: that would end the caller too).  The shell's Ctrl-C. */
int sys_kill(int pid)
{
    struct proc *t = proc_find(pid), *me = cur->leader;
    if (!t || t->state == P_ZOMBIE)
        return -ESRCH;
    int child = t->leader == t && t->parent == me;
    int thread = t->leader == me && t != me && t != cur;
    if (!child && !thread)
        return -EPERM;
    kprintf("KLOS: %s killed", proc_tag(t));
    kprintf(" by %s\n", proc_tag(me));
    proc_exit(t, KLOS_KILLED);
    return 0;
}

int sys_cpuinfo(void *out)
{
    struct klos_cpuinfo ci;
    uint32_t r[4], max, ext;
    memset(&ci, 0, sizeof ci);
    cpuid(0, r);
    max = r[0];
    memcpy(ci.vendor, &r[1], 4);
    memcpy(ci.vendor + 4, &r[3], 4);
    memcpy(ci.vendor + 8, &r[2], 4);
    if (max >= 1) {
        cpuid(1, r);
        ci.family = (r[0] >> 8) & 15;
        ci.model = (r[0] >> 4) & 15;
        ci.stepping = r[0] & 15;
        if (ci.family == 15)
            ci.family += (r[0] >> 20) & 0xFF;
        if (ci.family >= 6)
            ci.model |= ((r[0] >> 16) & 15) << 4;
        ci.features_edx = r[3];
        ci.features_ecx = r[2];
        ci.tsc = (r[3] >> 4) & 1;
        ci.sep = (r[3] >> 11) & 1 && !(ci.family == 6 && ci.model < 3 && ci.stepping < 3);
        if (r[2] & (1u << 31)) {
            cpuid(0x40000000, r);
            memcpy(ci.hypervisor, &r[1], 4);
            memcpy(ci.hypervisor + 4, &r[2], 4);
            memcpy(ci.hypervisor + 8, &r[3], 4);
        }
    }
    cpuid(0x80000000, r);
    ext = r[0];
    if (ext >= 0x80000004 && ext < 0x8000FFFF)
        for (uint32_t i = 0; i < 3; i++) {
            cpuid(0x80000002 + i, r);
            memcpy(ci.brand + 16 * i, r, 16);
        }
    ci.icount = cmdline_get("icount") != 0;
    ci.events_task = events_task;
    ci.timer = timer_kind;
    ci.timer_hz = timer_kind == KLOS_TIMER_NONE ? 0 : TIMER_HZ;
    if (!uptr_ok((uint32_t)out, sizeof ci) || copy_to_app(cur, (uint32_t)out, &ci, sizeof ci) < 0)
        return -EFAULT;
    return 0;
}

static int put_text(char *buf, int len, const char *text, int n)
{
    if (len <= 0 || !uptr_ok((uint32_t)buf, len))
        return -EFAULT;
    if (n >= len)
        n = len - 1;
    if (copy_to_app(cur, (uint32_t)buf, text, n) < 0 || copy_to_app(cur, (uint32_t)buf + n, "", 1) < 0)
        return -EFAULT;
    return n;
}

int sys_modules(char *buf, int len)
{
    char t[NMOD * 33];
    int n = 0;
    for (int i = 0; i < nmodules; i++)
        n += snformat(t + n, sizeof t - n, "%s\n", modules[i].name);
    return put_text(buf, len, t, n);
}

int sys_ps(char *buf, int len)
{
    static const char *const st[] = { "free", "run", "wait", "zombie" };
    char t[NPROC * 48];
    int n = snformat(t, sizeof t, "  PID STATE  NAME\n");
    for (int i = 2; i < NPROC; i++)
        if (procs[i].state != P_FREE && n < (int)sizeof t - 48)
            n += snformat(t + n, sizeof t - n, "%5d %-6s %s\n", procs[i].pid,
                          st[procs[i].state], procs[i].name);
    return put_text(buf, len, t, n);
}

int sys_meminfo(void *out)
{
    uint32_t m[3] = { frame_free_count(), 4096, proc_live_apps() };
    if (!uptr_ok((uint32_t)out, sizeof m) || copy_to_app(cur, (uint32_t)out, m, sizeof m) < 0)
        return -EFAULT;
    return 0;
}
