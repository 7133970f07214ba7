/* events=task: events with no ring-0 core.  Every IDT entry but #NM is a
 * task gate (boot/boot.c, setup_tasks) to one handler task per vector.  On
 * an event the CPU itself saves the interrupted context into the running
 * task's TSS, loads the handler task's -- CS=CSOS at CPL 3, its own stack,
 * the kernel's CR3 -- and links the two; the handler's IRET (NT=1) is a task
 * return that reloads the interrupted context, CR3 included (SDM 7.3).  No
 * ring-0 instruction runs on the way up or back.
 *
 * The OS's handlers keep the event core's interface: a struct trapframe for
 * level d at ec_frame(d), edited in place, event_depth, ecshared.req_cr3.
 * Here it is a copy: tev_event fills level d's frame from the interrupted
 * task's TSS, runs the registered handler, and writes the frame back -- the
 * scheduler switches processes by editing the app task's saved registers,
 * EIP, segment registers and CR3 field.  What the event core forces before
 * its IRET, this does before the task return: RPL 3 on CS and SS, IOPL, NT
 * and VM clear, IF set.  What the CPU does not hand a task (CR2) the fault
 * room rebuilds from the instruction (os/fault/cr2.c, registered with
 * event_cr2_rebuild: this room does not call up into that one).
 *
 * Nesting: an event inside a handler task goes to another vector's task,
 * whose frame is the interrupted handler's (level d + 1).  The same vector
 * again would find its task busy: the CPU raises #GP, and during an
 * exception's delivery that makes a #DF, which has its own task; proc/
 * the fault room then abandons the handlers (event_abandon: their saved EIP
 * becomes tev_resume) and the outermost frame is switched -- written back
 * here, every level. */
#include "os.h"
#include "ecshared.h"
#include "tss.h"
#include "event/event.h"

extern char ec_nm[], ec_nm_end[];

int events_task;                        /* set by boot/ */
struct tss tev_tss[NVEC] __attribute__((aligned(128)));
uint8_t tev_estacks[NVEC][TEV_ESTACK] __attribute__((aligned(16)));
static uint16_t level_link[HSTACK_DEPTH];      /* the task each level interrupted */
static int (*cr2_rebuild)(const struct trapframe *tf, uint32_t *cr2);
extern char tev_resume[];

#define APP_TSS ((struct tss *)TSS_VA)

static struct tss *tss_of(uint32_t sel)
{
    if (sel == SEL_TSS)
        return APP_TSS;
    if (sel >= SEL_TEV0 && sel < TEV_SEL(NVEC) && !(sel & 7))
        return &tev_tss[TEV_VEC(sel)];
    return 0;
}

static void load_frame(struct trapframe *tf, const struct tss *t)
{
    tf->gs = t->gs;
    tf->fs = t->fs;
    tf->es = t->es;
    tf->ds = t->ds;
    tf->edi = t->edi;
    tf->esi = t->esi;
    tf->ebp = t->ebp;
    tf->ebx = t->ebx;
    tf->edx = t->edx;
    tf->ecx = t->ecx;
    tf->eax = t->eax;
    tf->eip = t->eip;
    tf->cs = t->cs;
    tf->eflags = t->eflags;
    tf->esp = t->esp;
    tf->ss = t->ss;
}

static void store_frame(const struct trapframe *tf, struct tss *t)
{
    t->gs = tf->gs & 0xFFFF;
    t->fs = tf->fs & 0xFFFF;
    t->es = tf->es & 0xFFFF;
    t->ds = tf->ds & 0xFFFF;
    t->edi = tf->edi;
    t->esi = tf->esi;
    t->ebp = tf->ebp;
    t->ebx = tf->ebx;
    t->edx = tf->edx;
    t->ecx = tf->ecx;
    t->eax = tf->eax;
    t->eip = tf->eip;
    t->esp = tf->esp;
    if (t != APP_TSS) {                         /* a handler task, NT and IOPL 3 kept */
        t->cs = tf->cs & 0xFFFF;
        t->ss = tf->ss & 0xFFFF;
        t->eflags = tf->eflags;
        return;
    }
    /* Nothing edited at ring 3 returns below CPL 3 or with IOPL (SDM 7.3: a
     * task return takes CPL from CS's RPL and loads EFLAGS whole). */
    t->cs = (tf->cs & 0xFFFF) | 3;
    t->ss = (tf->ss & 0xFFFF) | 3;
    t->eflags = (tf->eflags & ~EFL_BAD) | EFL_IF;
    if (ecshared.req_cr3) {                     /* CR3 is a static field: never saved */
        t->cr3 = ecshared.req_cr3 & ~0xFFFu;
        ecshared.req_cr3 = 0;
    }
}

static void __attribute__((noreturn)) tev_panic(const char *why, uint32_t vec, uint32_t link)
{
    struct tss *t = tss_of(link);
    kprintf("KLOS PANIC: events=task: %s (vector %u, interrupted task %x at eip %x eflags %x, "
            "depth %d)\n", why, vec, link, t ? t->eip : 0, t ? t->eflags : 0, event_depth);
    os_halt(2);
}

void tev_event(uint32_t vec, uint32_t err)
{
    int d = event_depth;
    uint32_t link = tev_tss[vec].link & 0xFFFF;
    struct tss *from = tss_of(link);
    if (!from || (d == 0) != (link == SEL_TSS))
        tev_panic("the interrupted task is not the one expected", vec, link);
    struct trapframe *tf = ec_frame(d);
    event_fn h = (event_fn)ecshared.handler[vec];
    if (!h)
        tev_panic("no ring-3 handler registered", vec, link);
    level_link[d] = link;
    load_frame(tf, from);
    tf->vec = vec;
    tf->err = err;
    tf->cr2 = 0;
    if (vec == VEC_PF && (!cr2_rebuild || cr2_rebuild(tf, &tf->cr2) < 0))
        tf->cr2 = CR2_UNKNOWN;
    h(tf);
    if (event_depth >= d) {
        store_frame(tf, from);
        return;
    }
    for (int k = 0; k <= d; k++)                /* abandoned levels: all of them */
        store_frame(ec_frame(k), tss_of(level_link[k]));
}

void __attribute__((noreturn)) tev_too_deep(uint32_t vec, uint32_t err)
{
    (void)err;
    tev_panic("events nested too deep", vec, tev_tss[vec].link & 0xFFFF);
}

/* int VEC_SWITCH: CR3 = EAX for the ring-3 scheduler's direct switch
 * (sched/swtch.asm), as the event core's ec_switch does, with the same
 * rule (docs/DESIGN.md §3.4): only for a caller whose DS is the DSOS in use. */
void tev_switch(struct trapframe *tf)
{
    if ((tf->ds & 0xFFFF) == ecshared.dsos)
        ecshared.req_cr3 = tf->eax & ~0xFFFu;
}

/* Levels 1 .. d-1 resume at tev_resume, which returns to the task each one
 * interrupted; tev_event writes them all back (its "abandoned" branch). */
void tev_abandon(int d)
{
    for (int k = 1; k < d; k++)
        ec_frame(k)->eip = (uint32_t)tev_resume;
}

/* A #GP whose error code names a handler task's TSS: that task is busy (the
 * same vector again inside its own handler, SDM 7.3 step 3). */
int tev_busy_task(uint32_t sel)
{
    return sel >= SEL_TEV0 && sel < TEV_SEL(NVEC) && !(sel & 7);
}

/* The handler tasks load DS, ES and SS from their TSSs: follow DSOS. */
void tev_dsos_moved(uint16_t old, uint16_t new)
{
    for (int v = 0; v < NVEC; v++) {
        uint32_t *const seg[5] = { &tev_tss[v].ds, &tev_tss[v].es, &tev_tss[v].fs,
                                   &tev_tss[v].gs, &tev_tss[v].ss };
        for (int i = 0; i < 5; i++)
            if ((*seg[i] & 0xFFFF) == old)
                *seg[i] = new;
    }
}

void event_cr2_rebuild(int (*fn)(const struct trapframe *tf, uint32_t *cr2))
{
    cr2_rebuild = fn;
}

void tev_init(void)
{
    kprintf("KLOS: events=task: every event goes by a task gate to a ring-3 handler task; "
            "ring 0 keeps the %d-byte #NM stub\n", (int)(ec_nm_end - ec_nm));
}
