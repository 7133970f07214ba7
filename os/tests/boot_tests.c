/* Boot tests for the foundation: selected with test=NAME on the command
 * line; each prints KLOS-TEST NAME PASS or FAIL and the OS exits. */
#include "os.h"
#include "ecshared.h"
#include "machine.h"
#include "mm/vm.h"
#include "mm/frame.h"
#include "lib/seal.h"
#include "sec/dsos.h"

int svc_patch(uint16_t dsos);

int regloop(volatile uint32_t *t, uint32_t until);
void nested_faults(void);
void probe_run(void);
extern char probe_back[];
uint32_t probe_saved_esp;

#define MAXREC 8
static struct { uint32_t vec, depth; const char *meaning; } rec[MAXREC];
static int nrec;
static const char *tag;

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
    fault_fixup = resume_at_esi;
    event_hook(VEC_UPCALL, nested_handler);
    asm volatile("int %0" : : "i"(VEC_UPCALL));
    fault_fixup = 0;
    for (int i = 0; i < nrec; i++)
        kprintf("nested %s handled at depth %u\n", fault_name(rec[i].vec), rec[i].depth);
    return nrec == 2 && rec[0].vec == 14 && rec[1].vec == 13 && rec[0].depth == 2 &&
           rec[1].depth == 2;
}

static void probe_done(struct trapframe *tf)
{
    tf->eip = (uint32_t)probe_back;
    tf->esp = probe_saved_esp;
    tf->ds = tf->es = tf->ss = ecshared.dsos;
}

static int t_probe(void)
{
    if (cmdline_is("dsapp", "4g")) {
        gdt[SEL_DSAPP >> 3] = seg_desc(0, 0xFFFFFFFF, ACC_P | ACC_DPL(3) | ACC_S | ACC_DATA_RW);
        kprintf("probe: DSAPP's limit raised to 4 GiB (negative control)\n");
    }
    if (vm_map(vm_kernel(), APP_STACK_TOP - 4096, frame_alloc(), PTE_W | PTE_U) < 0)
        return 0;
    tag = "probe";
    fault_fixup = resume_at_esi;
    event_hook(VEC_UPCALL, probe_done);
    probe_run();
    fault_fixup = 0;
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

static const struct { const char *name; int (*fn)(void); } tests[] = {
    { "cpl", t_cpl }, { "timer", t_timer }, { "nested", t_nested }, { "probe", t_probe },
    { "sealpatch", t_sealpatch },
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
