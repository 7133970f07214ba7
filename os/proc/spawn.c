/* Making processes and threads: a process from an ELF module, built and
 * loaded by ring-3 code through DSOS and the direct map -- no ring 0. */
#include "os.h"
#include "event/event.h"
#include "sched/proc.h"
#include "proc/module.h"
#include "proc/spawn.h"
#include "proc/exit.h"
#include "proc/elf.h"
#include "sched/sched.h"
#include "mm/frame.h"
#include "mm/uvm.h"
#include "bench/rights.h"

static int nextpid = 1;

#define APP_STACK_PAGES 16

static struct proc *proc_alloc(void)
{
    for (int i = 2; i < NPROC; i++)                     /* 0: the OS, 1: idle */
        if (procs[i].state == P_FREE) {
            struct proc *p = &procs[i];
            memset(p, 0, sizeof *p);
            proc_links_init(p);
            struct proc *q;
            do {
                p->pid = nextpid++;
                if (nextpid <= 0)
                    nextpid = 1;
                q = pidmap[p->pid % PIDMAP];
            } while (q && q->state != P_FREE && q != p);
            pidmap[p->pid % PIDMAP] = p;
            memcpy(p->fpu, fpu_init_state, sizeof p->fpu);
            p->os_stack_pa = frame_alloc();
            if (!p->os_stack_pa)
                return 0;
            return p;
        }
    return 0;
}

/* An app's first frame: CS=CSOS, DS=ES=SS=DSAPP, IF=1. */
static void app_frame(struct trapframe *tf, uint32_t eip, uint32_t esp)
{
    memset(tf, 0, sizeof *tf);
    tf->eip = eip;
    tf->esp = esp;
    tf->cs = SEL_CSOS;
    tf->ds = tf->es = tf->ss = SEL_DSAPP;
    tf->eflags = 0x202;
}

/* argc, argv[], NULL, then the strings, at the top of the stack. */
static int push_args(struct proc *p, const char *name, const char *args, uint32_t *esp)
{
    char buf[256];
    uint32_t argv[16];
    int argc = 0;
    snformat(buf, sizeof buf, "%s %s", name, args ? args : "");
    uint32_t strs = APP_STACK_TOP - sizeof buf;
    for (char *s = buf; *s && argc < 15;) {
        while (*s == ' ')
            *s++ = 0;
        if (!*s)
            break;
        argv[argc++] = strs + (s - buf);
        while (*s && *s != ' ')
            s++;
    }
    argv[argc] = 0;
    uint32_t sp = strs - 4 * (argc + 2);
    uint32_t words[18];
    words[0] = argc;
    memcpy(&words[1], argv, 4 * (argc + 1));
    if (uvm_copy(p->pd, strs, buf, sizeof buf, 1) < 0 ||
        uvm_copy(p->pd, sp, words, 4 * (argc + 2), 1) < 0)
        return -1;
    *esp = sp;
    return 0;
}

int proc_spawn(struct module *m, const char *args, struct proc *parent)
{
    const uint8_t *img = P2V(m->start);
    uint32_t size = m->end - m->start;
    const char *why = m->end > DIRECTMAP_MAX ? "module lies above the memory the OS maps"
                                             : elf_check(img, size);
    if (why) {
        kprintf("KLOS: module %s refused: %s\n", m->name, why);
        return -EINVAL;
    }
    uint32_t at;
    if ((why = elf_seal_check(img, &at))) {
        if (!cmdline_is("seal", "off")) {
            kprintf("KLOS: module %s refused: not sealed: %s at %08x "
                    "(tools/check/sealscan.py names the function)\n", m->name, why, at);
            return -EINVAL;
        }
        kprintf("KLOS: module %s is not sealed (%s at %08x); loaded anyway: seal=off\n",
                m->name, why, at);
    }
    struct proc *p = proc_alloc();
    if (!p) {
        kprintf("KLOS: module %s not started: no free process slot or memory\n", m->name);
        return -ENOMEM;
    }
    strncpy(p->name, m->name, sizeof p->name - 1);
    p->leader = p;
    p->parent = parent;
    p->nthreads = 1;
    p->pd = uvm_create(&p->pd_pa, p->iomap_pa);
    if (!p->pd)
        goto nomem;
    const struct elf_hdr *h = (const void *)img;
    const struct elf_phdr *ph = (const void *)(img + h->phoff);
    uint32_t end = 0;
    for (int i = 0; i < h->phnum; i++) {
        if (ph[i].type != PT_LOAD)
            continue;
        if (uvm_alloc(p->pd, ph[i].vaddr, ph[i].memsz) < 0 ||
            uvm_copy(p->pd, ph[i].vaddr, (void *)(img + ph[i].offset), ph[i].filesz, 1) < 0)
            goto nomem;
        uint32_t lo = (ph[i].vaddr + 4095) & ~4095u, hi = (ph[i].vaddr + ph[i].memsz) & ~4095u;
        if (!(ph[i].flags & 2) && lo < hi)              /* not PF_W: whole pages read-only */
            uvm_protect(p->pd, lo, hi - lo);
        if (ph[i].vaddr + ph[i].memsz > end)
            end = ph[i].vaddr + ph[i].memsz;
    }
    p->heap_lo = p->brk = (end + 4095) & ~4095u;
    uint32_t esp;
    if (uvm_alloc(p->pd, APP_STACK_TOP - APP_STACK_PAGES * 4096, APP_STACK_PAGES * 4096) < 0 ||
        push_args(p, m->name, args, &esp) < 0)
        goto nomem;
    app_frame(&p->tf, h->entry, esp);
    p->driver = cmdline_listed("drivers", m->name);   /* may ask for ports */
    bench_grant(p);
    sched_ready(p);
    return p->pid;
nomem:
    kprintf("KLOS: module %s not started: out of memory (%u frames free)\n", m->name,
            frame_free_count());
    proc_release(p);
    return -ENOMEM;
}

/* A process gains a second thread or shared memory: from now on another
 * thread could rewrite a service's return addresses on a stack it shares, so
 * plain Design B and Design A (which run the service on the app's stack) go
 * from its address space (docs/DESIGN.md §5.3).  The call that does this must
 * itself come through hardened Design B, or it would return through a stub
 * that is gone: refused (EPERM) when this service runs on the app's stack.
 * plainb=open keeps them (the control run for the stack race). */
int proc_restrict(struct proc *l, const char *what)
{
    if (l->restricted || cmdline_is("plainb", "open"))
        return 0;
    if ((uint32_t)__builtin_frame_address(0) >= APP_DATA_BASE) {
        kprintf("KLOS: %s: %s refused: with threads or shared memory a process must call "
                "hardened Design B (klosH_*)\n", proc_tag(l), what);
        return -EPERM;
    }
    uvm_restrict_stubs(l->pd);
    l->restricted = 1;
    /* The CPU may still hold the stub pages' translations (SDM 4.10.4.1): flush
     * now, not at the next event, or this thread could go on calling plain B
     * after we return.  (Another directory is loaded fresh when switched to.) */
    if (l->pd == vm_current())
        tlb_flush();
    return 0;
}

int proc_thread_create(struct proc *p, uint32_t entry, uint32_t arg, uint32_t stack_top)
{
    int r = proc_restrict(p->leader, "thread_create");
    if (r < 0)
        return r;
    struct proc *t = proc_alloc();
    if (!t)
        return -ENOMEM;
    struct proc *l = p->leader;
    snformat(t->name, sizeof t->name, "%s.t", l->name);
    t->leader = l;
    t->parent = p;
    t->pd = l->pd;
    t->pd_pa = l->pd_pa;
    t->driver = l->driver;
    uint32_t w[2] = { 0, arg };                         /* return address, argument */
    stack_top &= ~3u;
    if (uvm_copy(l->pd, stack_top - 8, w, 8, 1) < 0) {
        proc_release(t);
        return -EFAULT;
    }
    app_frame(&t->tf, entry, stack_top - 8);
    l->nthreads++;
    sched_ready(t);
    return t->pid;
}
