/* Boot tests for the foundation: selected with test=NAME on the command
 * line; each prints KLOS-TEST NAME PASS or FAIL and the OS exits. */
#include "os.h"
#include "event/event.h"
#include "ecshared.h"
#include "machine.h"
#include "mm/vm.h"
#include "mm/frame.h"
#include "fault/fault.h"
#include "sched/proc.h"
#include "sched/sched.h"
#include "svc_os.h"
#include "proc/seal.h"
#include "sec/dsos.h"
#include "proc/spawn.h"
#include "proc/module.h"

int svc_patch(uint16_t dsos);

int regloop(volatile uint32_t *t, uint32_t until);
void nested_faults(void);
void probe_run(void);
void es_stosd(uint32_t *target);
uint32_t with_es(uint32_t sel, void (*fn)(void));
extern char probe_back[];
uint32_t probe_saved_esp;

#define MAXREC 8
static struct { uint32_t vec, depth; const char *meaning; } rec[MAXREC];
static int nrec;
static const char *tag;

/* Resume instead of the fault room while fixup says so: every exception
 * vector hooked, the hooks it replaced kept for what fixup declines. */
static int (*fixup)(struct trapframe *tf);
static event_fn fixup_saved[NEXC];

static void fixup_event(struct trapframe *tf)
{
    if (!fixup(tf))
        fixup_saved[tf->vec](tf);
}

static void fixup_set(int (*fn)(struct trapframe *tf))
{
    for (int v = 0; v < NEXC; v++)
        if (fn && !fixup)
            fixup_saved[v] = event_hook(v, fixup_event);
        else if (!fn && fixup)
            event_hook(v, fixup_saved[v]);
    fixup = fn;
}

/* Resume at the address the test code left in ESI. */
static int resume_at_esi(struct trapframe *tf)
{
    if (!tf->esi)
        return 0;
    fault_report(tag, tf);
    if (nrec < MAXREC) {
        rec[nrec].vec = tf->vec;
        rec[nrec].depth = event_depth;
        rec[nrec].meaning = fault_meaning(tf);
        nrec++;
    }
    tf->eip = tf->esi;
    return 1;
}

static int t_cpl(void)
{
    uint16_t ds;
    asm volatile("mov %%ds, %0" : "=r"(ds));
    kprintf("CPL=%d CS=%x DS=%x (DSOS)\n", read_cs() & 3, read_cs(), ds);
    return (read_cs() & 3) == 3 && read_cs() == SEL_CSOS && ds == ecshared.dsos;
}

static int t_timer(void)
{
    uint32_t start = ticks;
    int bad = regloop(&ticks, start + 100);
    kprintf("timer: %u ticks reached the ring-3 handler; registers %s\n", ticks - start,
            bad ? "CHANGED" : "unchanged");
    return !bad && ticks - start >= 100;
}

static void nested_handler(struct trapframe *tf)
{
    (void)tf;
    nested_faults();
}

static int t_nested(void)
{
    tag = "nested";
    fixup_set(resume_at_esi);
    event_hook(VEC_UPCALL, nested_handler);
    asm volatile("int %0" : : "i"(VEC_UPCALL));
    fixup_set(0);
    for (int i = 0; i < nrec; i++)
        kprintf("nested %s handled at depth %u\n", fault_name(rec[i].vec), rec[i].depth);
    return nrec == 2 && rec[0].vec == 14 && rec[1].vec == 13 && rec[0].depth == 2 &&
           rec[1].depth == 2;
}

/* The handler edits the live frame in place: the event core must still
 * return at CPL 3 with IOPL, NT and VM clear and IF set, whatever it wrote,
 * and keep its own vector.  A missing check would IRET into ring 0 (#GP in
 * ring 0: a panic) or into virtual-8086 mode. */
static uint32_t hostile_seen;
static void hostile_frame(struct trapframe *tf)
{
    hostile_seen = tf->vec;
    tf->cs &= ~3u;                                      /* RPL 0 */
    tf->ss &= ~3u;
    tf->eflags = (tf->eflags | 0x3000 | 0x4000 | 0x20000) & ~0x200u;   /* IOPL 3, NT, VM, IF=0 */
    tf->vec = VEC_IRQ0 + 1;                             /* "an IRQ": it must not decide the EOI */
    tf->eax = 0x5A5A5A5A;                               /* an honest edit: it stays */
}

static int t_frameedit(void)
{
    uint32_t eax, efl;
    event_hook(VEC_UPCALL, hostile_frame);
    asm volatile("int %2\n\tpushf\n\tpop %1" : "=a"(eax), "=r"(efl) : "i"(VEC_UPCALL), "a"(0)
                 : "memory");
    kprintf("frameedit: handler saw vector %u; back at CPL %d, IOPL %u, NT %u, VM %u, IF %u,"
            " eax %x\n", hostile_seen, read_cs() & 3, (efl >> 12) & 3, (efl >> 14) & 1,
            (efl >> 17) & 1, (efl >> 9) & 1, eax);
    return hostile_seen == VEC_UPCALL && (read_cs() & 3) == 3 && !(efl & 0x3000) &&
           !(efl & 0x4000) && (efl & 0x200) && eax == 0x5A5A5A5A;
}

static void probe_done(struct trapframe *tf)
{
    tf->eip = (uint32_t)probe_back;
    tf->esp = probe_saved_esp;
    tf->ds = tf->es = tf->ss = ecshared.dsos;
}

/* DSAPP flat over 4 GiB, as if it were not expand-down: the negative control
 * of every protection that rests on its limit. */
static void dsapp_flat(const char *who)
{
    gdt[SEL_DSAPP >> 3] = seg_desc(0, 0xFFFFFFFF, ACC_P | ACC_DPL(3) | ACC_S | ACC_DATA_RW);
    kprintf("%s: DSAPP's limit raised to 4 GiB (negative control)\n", who);
}

/* a_mmio's control: DSAPP flat, then every module runs. */
static int t_flatdsapp(void)
{
    dsapp_flat("flatdsapp");
    for (int i = 0; i < nmodules; i++) {
        int pid = proc_spawn(&modules[i], "", &procs[0]);
        if (pid > 0)
            sys_wait(pid, 0);
    }
    return 1;
}

/* dsapp=4g on the command line: the probe's and esfault's control. */
static void dsapp_4g(const char *who)
{
    if (cmdline_is("dsapp", "4g"))
        dsapp_flat(who);
}

static int t_probe(void)
{
    dsapp_4g("probe");
    if (vm_map(vm_kernel(), APP_STACK_TOP - 4096, frame_alloc(), PTE_W | PTE_U) < 0)
        return 0;
    tag = "probe";
    fixup_set(resume_at_esi);
    event_hook(VEC_UPCALL, probe_done);
    probe_run();
    fixup_set(0);
    static const char *const want[3] = { "outside DSAPP", "execute-only", "port I/O" };
    int ok = nrec == 3;
    for (int i = 0; i < 3; i++) {
        int hit = 0;
        for (int j = 0; j < nrec; j++)
            if (rec[j].vec == 13 && strstr(rec[j].meaning, want[i]))
                hit = 1;
        kprintf("probe: %-13s -> %s\n", want[i], hit ? "#GP, reported, resumed" : "NO FAULT");
        ok &= hit;
    }
    return ok;
}

/* The event core's last word before IRET (docs/DESIGN.md §3.2): whatever a
 * ring-3 handler wrote into the frame, the context resumes at CPL 3 with
 * IOPL 0 and NT, VM clear.  (app_context already drops those bits for apps;
 * this handler is OS code, so only ring 0's sanitising stands in the way.) */
#define EFL_IOPL3 0x3000
#define EFL_NT 0x4000
#define EFL_VM 0x20000
static int san_case;

static void san_handler(struct trapframe *tf)
{
    if (san_case == 0) {
        tf->cs &= ~3u;                          /* CSOS and DSOS with RPL 0 */
        tf->ss &= ~3u;
    } else if (san_case == 1) {
        tf->eflags |= EFL_IOPL3 | EFL_NT;
    } else {
        tf->eflags |= EFL_VM;
    }
}

static int t_sanitise(void)
{
    static const char *const what[3] = { "CS/SS with RPL 0", "IOPL 3 and NT", "VM" };
    event_hook(VEC_UPCALL, san_handler);
    for (san_case = 0; san_case < 3; san_case++) {
        uint32_t cs, ss, fl;
        asm volatile("int %3\n\tmov %%cs, %0\n\tmov %%ss, %1\n\tpushfl\n\tpopl %2"
                     : "=r"(cs), "=r"(ss), "=r"(fl) : "i"(VEC_UPCALL) : "memory");
        cs &= 0xFFFF;
        ss &= 0xFFFF;
        int good = cs == SEL_CSOS && ss == ecshared.dsos && !(fl & (EFL_IOPL3 | EFL_NT));
        kprintf("sanitise: handler wrote %s -> resumed at CPL %u cs=%x ss=%x IOPL %u NT %u: %s\n",
                what[san_case], cs & 3, cs, ss, (fl >> 12) & 3, (fl >> 14) & 1,
                good ? "sanitised" : "NOT SANITISED");
        if (!good)
            return 0;
    }
    return 1;
}

/* OS code is never preempted (docs/DESIGN.md §7.1): spin in the OS (DS=DSOS, IF=1)
 * for many quanta with an app runnable; the app must not have run meanwhile. */
static int t_ospreempt(void)
{
    struct module *m = module_find("hello");
    int pid = m ? proc_spawn(m, "", &procs[0]) : -1;
    struct proc *p = pid < 0 ? 0 : proc_find(pid);
    if (!p) {
        kprintf("ospreempt: needs the hello module\n");
        return 0;
    }
    struct trapframe t0 = p->tf;
    uint32_t start = ticks;
    while (ticks < start + 50)
        ;
    int ran = p->state != P_RUNNABLE || p->pid != pid || memcmp(&p->tf, &t0, sizeof t0);
    kprintf("ospreempt: OS code spun %u ticks with pid %d runnable: %s\n", ticks - start, pid,
            ran ? "PREEMPTED, the app ran" : "not preempted");
    sys_wait(pid, 0);
    return !ran;
}

/* oshandler: an OS event handler that faults, on an app's behalf, after
 * nesting (tf->eax of the app's event) levels; the OS must end that app,
 * unwind every level, and go on: later processes run on their own page
 * directories, the event core's depth is back to 0 (HSTACK_DEPTH nested
 * events fit again), and no frame is lost. */
static int want_levels, max_depth;

/* The next level's event: the upcall again under the event core.  With
 * events=task a vector's task is busy while it runs (the same vector again
 * raises #GP), so each level takes another one that nothing else raises
 * meanwhile: int3, into, the switch event, then #UD and #DE, stepped over. */
static const uint8_t task_chain[] = { 3, 4, VEC_SWITCH, 6, 0 };

static void nest(void)
{
    if (!events_task) {
        asm volatile("int %0" : : "i"(VEC_UPCALL) : "memory");
        return;
    }
    switch (task_chain[event_depth - 1]) {
    case 3: asm volatile("int $3" : : : "memory"); break;
    case 4: asm volatile("int $4" : : : "memory"); break;
    case VEC_SWITCH: asm volatile("int %0" : : "i"(VEC_SWITCH) : "memory"); break;
    case 6: asm volatile("ud2" : : : "memory"); break;
    default: asm volatile("xorl %%ecx, %%ecx\n\tdivl %%ecx" : : : "eax", "ecx", "edx", "memory");
    }
}

static event_fn chain_saved[sizeof task_chain];

/* fn on every vector of the chain; 0 puts back what was there at the first call */
static void chain_hook(event_fn fn)
{
    static int saved;
    for (unsigned i = 0; events_task && i < sizeof task_chain; i++) {
        event_fn old = event_hook(task_chain[i], fn ? fn : chain_saved[i]);
        if (!saved)
            chain_saved[i] = old;
    }
    saved = 1;
}

static void faulting_upcall(struct trapframe *tf)
{
    if (event_depth == 1)
        want_levels = tf->eax;
    if (tf->vec == 6 || tf->vec == 0)
        tf->eip += 2;                           /* ud2, div ecx */
    if (event_depth < want_levels)
        nest();
    else
        asm volatile("movl $1, 8" : : : "memory"); /* page 0 is never mapped */
}

static void deep_upcall(struct trapframe *tf)
{
    if (tf->vec == 6 || tf->vec == 0)
        tf->eip += 2;                           /* ud2, div ecx */
    if (event_depth > max_depth)
        max_depth = event_depth;
    if (event_depth < HSTACK_DEPTH)
        nest();
}

static void no_upcall(struct trapframe *tf)
{
    (void)tf;
}

static int run_app(const char *name, const char *args)
{
    struct module *m = module_find(name);
    int pid = m ? proc_spawn(m, args, &procs[0]) : -1;
    if (pid > 0)
        sys_wait(pid, 0);
    return pid > 0;
}

static int t_oshandler(void)
{
    uint32_t before = frame_free_count();
    int ok = 1;
    event_hook(VEC_UPCALL, faulting_upcall);
    chain_hook(faulting_upcall);
    ok &= run_app("t_oshfault", "1");           /* the fault at depth 2 */
    ok &= run_app("hello", "");
    ok &= run_app("t_oshfault", "3");           /* at depth 4 */
    ok &= run_app("hello", "");
    event_hook(VEC_UPCALL, deep_upcall);
    chain_hook(deep_upcall);
    asm volatile("int %0" : : "i"(VEC_UPCALL) : "memory");
    event_hook(VEC_UPCALL, no_upcall);
    chain_hook(0);
    uint32_t after = frame_free_count();
    kprintf("oshandler: depth now %d, %d nested events fit again, frames %u before, %u after\n",
            event_depth, max_depth, before, after);
    return ok && event_depth == 0 && max_depth == HSTACK_DEPTH && before == after;
}

/* Every stub page, read through the direct map: no LAR/LSL/VERR/VERW. */
static int stubs_clean(void)
{
    int bad = 0;
    for (uint32_t va = SVC_START; va < SVC_END; va += 4096) {
        uint32_t pte = vm_lookup(vm_kernel(), va);
        const char *what;
        int64_t at;
        if (pte && (at = seal_find(P2V(PTE_ADDR(pte)), 4096, &what)) >= 0) {
            kprintf("seal: %s at %08x in a stub page\n", what, va + (uint32_t)at);
            bad++;
        }
    }
    return !bad;
}

/* DSOS relocation keeps the stubs sealed: the two selectors whose immediate
 * would read 0F 02 / 0F 03 are refused, and many moves leave the pages clean. */
/* tasknest (events=task): an event nested in its own handler.  A task gate
 * to a busy TSS raises #GP (SDM 7.3, "TSS descriptor ... not busy"); for a
 * software event that is a plain #GP, taken by the #GP task.  For a #PF in
 * the #PF handler the #GP comes during the #PF's delivery: a double fault
 * (SDM table 6-5), taken by the #DF task.  Both times the OS reports its own
 * bug, ends the app, unwinds every level, and goes on. */
static int nest_how;

static void busy_upcall(struct trapframe *tf)
{
    (void)tf;
    if (nest_how == 0)
        asm volatile("int %0" : : "i"(VEC_UPCALL) : "memory");
    else
        asm volatile("movl $1, 8" : : : "memory");      /* page 0 is never mapped */
}

static void pf_again(struct trapframe *tf)
{
    if (event_depth > 1)
        asm volatile("movl $1, 12" : : : "memory");
    else
        fault(tf);
}

static int t_tasknest(void)
{
    if (!events_task) {
        kprintf("tasknest: needs events=task\n");
        return 0;
    }
    uint32_t before = frame_free_count();
    int ok = 1;
    event_fn up = event_hook(VEC_UPCALL, busy_upcall), pf = event_hook(14, pf_again);
    for (nest_how = 0; nest_how < 2; nest_how++) {
        ok &= run_app("t_oshfault", "1");
        ok &= run_app("hello", "");
        kprintf("tasknest: %s: depth now %d\n",
                nest_how ? "#PF in the #PF handler" : "the upcall in the upcall handler",
                event_depth);
        ok &= event_depth == 0;
    }
    event_hook(VEC_UPCALL, up);
    event_hook(14, pf);
    uint32_t after = frame_free_count();
    kprintf("tasknest: frames %u before, %u after\n", before, after);
    return ok && before == after;
}

static int t_sealpatch(void)
{
    int ok = stubs_clean();
    /* read from data: as immediates in code they would unseal the OS itself */
    static volatile const uint16_t bad[2] = { 0x020F, 0x030F };
    for (int i = 0; i < 2; i++) {
        int r = svc_patch(bad[i]);
        kprintf("seal: patching the stubs with %x -> %s\n", bad[i], r < 0 ? "refused" : "DONE");
        ok &= r < 0;
    }
    ok &= stubs_clean();
    int hit = 0;
    for (int i = 0; i < 4000; i++) {
        dsos_move(0);
        hit += ecshared.dsos == bad[0] || ecshared.dsos == bad[1];
    }
    int clean = stubs_clean();
    kprintf("seal: 4000 DSOS moves, %d onto an unsealing selector, stubs %s\n", hit,
            clean ? "clean" : "NOT clean");
    return ok && clean && !hit;
}

/* test=cr2check: every #PF while t_cr2 runs, its CR2 rebuilt at ring 3
 * (fault_addr.c) beside the CPU's. */
static int cr2_faults, cr2_wrong, cr2_unknown;

static int cr2_check(struct trapframe *tf)
{
    uint32_t got;
    if (tf->vec != 14)
        return 0;
    cr2_faults++;
    kprintf("cr2check: eip=%08x err=%x real=%08x rebuilt=", tf->eip, tf->err, tf->cr2);
    if (fault_addr(tf, &got) < 0) {
        cr2_unknown++;
        kprintf("unknown\n");
    } else {
        cr2_wrong += got != tf->cr2;
        kprintf("%08x %s\n", got, got == tf->cr2 ? "ok" : "MISMATCH");
    }
    return 0;
}

static int t_cr2check(void)
{
    fixup_set(cr2_check);
    int ok = run_app("t_cr2", "");
    fixup_set(0);
    kprintf("cr2check: %d #PF, %d rebuilt wrong, %d unknown\n", cr2_faults, cr2_wrong,
            cr2_unknown);
    return ok && cr2_faults >= 30 && !cr2_wrong && !cr2_unknown;
}

/* tests/os/guard.c */
int t_oracle(void), t_irqvec(void), t_osspin(void), t_doublefree(void), t_faultedge(void);

/* esfault: the stubs swap DS only, so inside a service ES is what
 * the app called with.  One string instruction with ES = DSAPP at an OS
 * address takes #GP on a PC and under Bochs (QEMU's TCG checks no segment
 * limits: it writes, and says so); memset and memcpy, which load ES from DS
 * themselves, work in that state and give the app's ES back. */
static uint32_t es_word;
static uint8_t es_a[100], es_b[100];

static void es_copies(void)
{
    memset(es_a, 0xA5, 77);
    memcpy(es_b + 1, es_a, 77);
}

static int t_esfault(void)
{
    dsapp_4g("esfault");
    tag = "esfault";
    fixup_set(resume_at_esi);
    es_stosd(&es_word);
    fixup_set(0);
    int gp = nrec == 1 && rec[0].vec == 13;
    kprintf("esfault: stosd through ES = DSAPP at %08x (OS data): %s, the word reads %08x\n",
            (uint32_t)&es_word, gp ? "#GP" : nrec ? "another fault" : "no fault (no limit check)",
            es_word);
    uint32_t es = with_es(SEL_DSAPP, es_copies), bad = 0;
    for (int i = 0; i < 100; i++)
        bad += es_a[i] != (i < 77 ? 0xA5 : 0) || es_b[i] != (i >= 1 && i < 78 ? 0xA5 : 0);
    kprintf("esfault: memset and memcpy with ES = DSAPP: %u bytes wrong, ES %x after them\n",
            bad, es);
    return !bad && es == SEL_DSAPP && (nrec == 0 || gp) && es_word == (gp ? 0 : 0x5A5A5A5A);
}

int t_blk(void);                                /* blk_tests.c */
int t_portscan(void);                           /* dma_tests.c */

static const struct { const char *name; int (*fn)(void); } tests[] = {
    { "cpl", t_cpl }, { "timer", t_timer }, { "nested", t_nested }, { "probe", t_probe },
    { "sanitise", t_sanitise }, { "frameedit", t_frameedit }, { "ospreempt", t_ospreempt }, { "oshandler", t_oshandler },
    { "sealpatch", t_sealpatch }, { "flatdsapp", t_flatdsapp }, { "tasknest", t_tasknest }, { "cr2check", t_cr2check },
    { "oracle", t_oracle }, { "irqvec", t_irqvec }, { "osspin", t_osspin },
    { "doublefree", t_doublefree }, { "faultedge", t_faultedge },
    { "esfault", t_esfault },
    { "blk", t_blk }, { "portscan", t_portscan },
};

int run_boot_test(const char *name)
{
    for (unsigned i = 0; i < sizeof tests / sizeof tests[0]; i++)
        if (!strcmp(name, tests[i].name)) {
            int ok = tests[i].fn();
            kprintf("KLOS-TEST %s %s\n", name, ok ? "PASS" : "FAIL");
            return ok;
        }
    return -1;
}
