/* Test-kernel modes for protections pinned at their edges (tests/boot/guard.py).
 *
 *   oracle      the modules run as usual, but int VEC_UPCALL from an app answers
 *               what no app can learn on its own (see oracle_event): the
 *               strongest attacker, for attacks whose containment must not rest
 *               on the app not knowing a physical address or DSOS
 *   irqvec      a timer handler that rewrites the vector in the IRQ's frame: the
 *               ticks must go on (each level's vector stays the delivery's own)
 *   osspin      an app spinning in OS text with DS = DSAPP is preempted
 *   doublefree  a frame freed twice stops the OS with a clear panic
 *   faultedge   the fault frame's stack check alone decides at its exact edges */
#include "os.h"
#include "event/event.h"
#include "ecshared.h"
#include "machine.h"
#include "mm/vm.h"
#include "mm/frame.h"
#include "mm/uvm.h"
#include "sched/proc.h"
#include "sched/sched.h"
#include "svc_os.h"
#include "proc/spawn.h"
#include "proc/exit.h"
#include "proc/module.h"
#include "guard_oracle.h"
#include "klos_fault.h"

void run_modules(void);                 /* os/main.c */

/* ---- oracle ----------------------------------------------------------------- */

static void oracle_event(struct trapframe *tf)
{
    if ((tf->cs & 3) != 3 || (tf->ds & 0xFFFF) == ecshared.dsos)
        return;                         /* the OS's own int VEC_UPCALL (tlb_flush) */
    if (tf->eax == ORACLE_V2P) {
        uint32_t pte = vm_lookup(vm_current(), tf->ebx);
        tf->eax = (pte & PTE_P) ? PTE_ADDR(pte) | (tf->ebx & 0xFFF) : 0;
    } else if (tf->eax == ORACLE_DSOS) {
        tf->eax = ecshared.dsos;
    }
}

int t_oracle(void)
{
    event_fn old = event_hook(VEC_UPCALL, oracle_event);
    kprintf("oracle: int %d tells apps physical addresses and the DSOS selector\n", VEC_UPCALL);
    run_modules();
    event_hook(VEC_UPCALL, old);
    kprintf("oracle: all apps have ended, %u frames free\n", frame_free_count());
    return 1;
}


/* ---- irqvec ------------------------------------------------------------------
 * The vector in an event's frame is the handler's to read, not to decide the
 * EOI with: the event core keeps each level's vector to itself (ec_vec), and
 * a handler task's own TSS selector names its vector (tev_resume).  Here the
 * timer's handler runs the scheduler's tick, then writes another vector into
 * its frame -- one no PIC sends -- on every tick.  Were the EOI taken from the
 * frame, IRQ0 would stay in service and no tick would come again. */
static event_fn irqvec_tick;
static volatile uint32_t irqvec_edits;

static void irqvec_rewrite(struct trapframe *tf)
{
    irqvec_tick(tf);
    tf->vec = VEC_UPCALL;
    irqvec_edits++;
}

static uint64_t tsc(void)
{
    uint32_t lo, hi;
    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

int t_irqvec(void)
{
    uint32_t t = ticks;                 /* how long a tick is, in TSC units, this run */
    while (ticks == t)
        ;
    uint64_t t0 = tsc();
    while (ticks < t + 3)
        ;
    uint64_t per_tick = (tsc() - t0) / 2, give_up = 200 * per_tick;
    irqvec_tick = event_hook(VEC_IRQ0, irqvec_rewrite);
    uint32_t start = ticks;
    t0 = tsc();
    while (ticks < start + 50 && tsc() - t0 < give_up)
        ;
    event_hook(VEC_IRQ0, irqvec_tick);
    uint32_t got = ticks - start;
    kprintf("irqvec: the timer handler wrote vector %d into its frame %u times; %u ticks "
            "came%s\n", VEC_UPCALL, irqvec_edits, got,
            got >= 50 ? "" : " (the timer STOPPED: no EOI for IRQ0)");
    return got >= 50 && irqvec_edits >= 50;
}

/* ---- osspin ------------------------------------------------------------------
 * OS code is never preempted -- and "OS code" means DS = DSOS, nothing else
 * (sched.c, in_os): an app that jumps into OS text keeps DSAPP and must be
 * preempted like any app.  t_osspin spins in the idle loop (OS text, a user
 * page CSOS reaches); hello must run to its end meanwhile, and the spinner
 * must be found preempted in the loop.  A watchdog on the tick says so
 * plainly if hello has not ended after OSSPIN_TICKS. */
#define OSSPIN_TICKS 300
extern char idle_loop[], idle_loop_end[];
static event_fn osspin_tick;
static struct proc *osspin;
static uint32_t osspin_deadline, osspin_preempted;

static int in_idle_loop(uint32_t eip)
{
    return eip >= (uint32_t)idle_loop && eip < (uint32_t)idle_loop_end;
}

static void osspin_watch(struct trapframe *tf)
{
    int spinning = osspin && cur == osspin && in_idle_loop(tf->eip) &&
                   (tf->ds & 0xFFFF) == SEL_DSAPP;
    osspin_tick(tf);
    osspin_preempted += spinning && cur != osspin;
    if (ticks > osspin_deadline) {
        kprintf("osspin: %u ticks and hello has not ended: the app spinning in OS text was "
                "NOT PREEMPTED\nKLOS-TEST osspin FAIL\n", OSSPIN_TICKS);
        os_halt(1);
    }
}

int t_osspin(void)
{
    char at[16];
    snformat(at, sizeof at, "%x", (uint32_t)idle_loop);
    struct module *sm = module_find("t_osspin"), *hm = module_find("hello");
    int spid = sm ? proc_spawn(sm, at, &procs[0]) : -1;
    osspin = spid > 0 ? proc_find(spid) : 0;
    if (!osspin || !hm) {
        kprintf("osspin: needs the modules t_osspin and hello\n");
        return 0;
    }
    osspin_deadline = ticks + OSSPIN_TICKS;
    osspin_tick = event_hook(VEC_IRQ0, osspin_watch);
    while (!osspin_preempted)           /* the spinner ran into the loop and was preempted */
        sys_sleep(1);
    uint32_t before = osspin_preempted;
    int hpid = proc_spawn(hm, "", &procs[0]);
    if (hpid > 0)
        sys_wait(hpid, 0);
    uint32_t during = osspin_preempted - before;
    struct trapframe t = osspin->tf;
    int ok = hpid > 0 && during && osspin->state == P_RUNNABLE && in_idle_loop(t.eip) &&
             (t.ds & 0xFFFF) == SEL_DSAPP && (t.cs & 0xFFFF) == SEL_CSOS;
    kprintf("osspin: hello ran to its end; pid %d, preempted %u times in OS text (%u while "
            "hello ran), waits at eip=%08x (idle_loop+%u) ds=%x: %s\n", spid, osspin_preempted,
            during, t.eip, t.eip - (uint32_t)idle_loop, t.ds & 0xFFFF,
            ok ? "preempted" : "WRONG");
    event_hook(VEC_IRQ0, osspin_tick);
    proc_exit(osspin, KLOS_KILLED);
    sys_wait(spid, 0);
    osspin = 0;
    return ok;
}

/* ---- doublefree --------------------------------------------------------------
 * A frame freed twice is a clear panic (os/mm/frame.c), not a bitmap bit set
 * again in silence: the boot must end at the second free. */
int t_doublefree(void)
{
    uint32_t pa = frame_alloc(), free0 = frame_free_count();
    frame_free(pa);
    kprintf("doublefree: frame %08x allocated and freed (%u frames free, then %u); freeing it "
            "again\n", pa, free0, frame_free_count());
    frame_free(pa);
    kprintf("doublefree: the second free went UNNOTICED (%u frames free)\n", frame_free_count());
    return 0;
}

/* ---- faultedge ---------------------------------------------------------------
 * The fault frame's stack check (os/fault/deliver.c, fault_deliver) at its exact
 * edges, with the next layer taken away: the OS copies the frame through the
 * direct map only into present, user, writable pages, and today the pages past
 * both edges are none of those (0x7FFFF000 is not mapped, 0x80000000 is the
 * app's read-only rodata, 0xFFFFF000 is above the stack).  Here the page below
 * the app data region is mapped present/user/writable in every directory, and
 * each child's first data page made writable and its top page mapped, so the
 * stack check alone decides.  Each case is a child "a_faultesp xESP" whose
 * handler exits 77; a refused frame ends it by #UD (134) and writes nothing. */
#define EDGE_FILL 0xA5

static uint32_t edge_top_pa;            /* the child's page at 0xFFFFF000 */

static void edge_prep(struct proc *p)
{
    uint32_t pte = vm_lookup(p->pd, APP_DATA_BASE);
    vm_map(p->pd, APP_DATA_BASE, PTE_ADDR(pte), (pte & 0xFFF) | PTE_W);
    memset(P2V(edge_top_pa), EDGE_FILL, 4096);
    uvm_map_shared(p->pd, 0xFFFFF000, edge_top_pa);    /* not freed with the child */
}

/* Run a module as a child of the OS; its exit code (-1 if it did not start). */
static int run_code(const char *name, const char *args, void (*prep)(struct proc *p))
{
    struct module *m = module_find(name);
    int pid = m ? proc_spawn(m, args, &procs[0]) : -1;
    struct proc *p = pid > 0 ? proc_find(pid) : 0;
    if (!p)
        return -1;
    if (prep)
        prep(p);                        /* it has not run yet: OS code is not preempted */
    while (p->state != P_ZOMBIE)
        sys_sleep(1);
    int code = p->exit_code;
    sys_wait(pid, 0);
    return code;
}

static int untouched(const uint8_t *b, uint32_t from, uint32_t to)
{
    for (uint32_t i = from; i < to; i++)
        if (b[i] != EDGE_FILL)
            return 0;
    return 1;
}

int t_faultedge(void)
{
    static const struct { uint32_t esp; int deliver; const char *what; } c[] = {
        { APP_DATA_BASE + 8 + sizeof(struct klos_fault), 1, "frame starts at APP_DATA_BASE" },
        { APP_DATA_BASE + 7 + sizeof(struct klos_fault), 0, "frame would start 4 bytes below" },
        { 0xFFFFFFFF, 1, "the highest ESP: frame ends 4 bytes below 4 GiB" },
        { 0, 0, "ESP 0: frame would end at 4 GiB" },
        { 4, 0, "ESP 4: frame would end 4 bytes past 4 GiB (wrap)" },
    };
    if (vm_kernel()[PDX(APP_DATA_BASE - 4096)]) {
        kprintf("faultedge: the OS maps the page below APP_DATA_BASE now: change this test\n");
        return 0;
    }
    uint32_t below_pa = frame_alloc();
    edge_top_pa = frame_alloc();
    if (!below_pa || !edge_top_pa || vm_map(vm_kernel(), APP_DATA_BASE - 4096, below_pa,
                                            PTE_W | PTE_U) < 0)
        return 0;
    uint8_t *below = P2V(below_pa), *top = P2V(edge_top_pa);
    int ok = 1;
    for (unsigned i = 0; i < sizeof c / sizeof c[0]; i++) {
        char arg[16];
        snformat(arg, sizeof arg, "x%x", c[i].esp);
        memset(below, EDGE_FILL, 4096);
        int code = run_code("a_faultesp", arg, edge_prep);
        int below_ok = untouched(below, 0, 4096);
        int top_ok = c[i].deliver || untouched(top, 0, 4096);
        int good = code == (c[i].deliver ? 77 : 128 + VEC_UD) && below_ok && top_ok;
        kprintf("faultedge: esp=%08x (%s): %s%s%s: %s\n", c[i].esp, c[i].what,
                code == 77 ? "delivered" : code == 128 + VEC_UD ? "refused" : "status ?",
                below_ok ? "" : ", WRITTEN below APP_DATA_BASE",
                top_ok ? "" : ", WRITTEN at the top of memory", good ? "ok" : "WRONG");
        ok &= good;
    }
    pde_t *kpd = vm_kernel();
    uint32_t pt = PTE_ADDR(kpd[PDX(APP_DATA_BASE - 4096)]);
    kpd[PDX(APP_DATA_BASE - 4096)] = 0;             /* no process holds it any more */
    frame_free(pt);
    frame_free(below_pa);
    frame_free(edge_top_pa);
    return ok;
}
