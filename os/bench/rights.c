/* The ring-0 benchmark entries (eventcore/bench.asm) are for the bench
 * module alone: int VEC_FLUSHBENCH runs WBINVD and a CR3 reload, which on a
 * real PC wipes every cache for everyone, so no other app may raise it.
 *   - INT VEC_TRAPBENCH / VEC_FLUSHBENCH: per address space.  Boot built two
 *     IDTs; every window maps the one where these gates have DPL 0 (an INT
 *     from CPL 3 raises #GP), the bench's window maps ec_idt_bench.  The CR3
 *     load of a process switch switches the right -- as it switches the I/O
 *     bitmap -- so the entries cost nothing more per call and ring 0 checks
 *     nothing.
 *   - lcall SEL_GATE_BENCH: the GDT is one for all processes (and DSOS moves
 *     through it), so its gate has DPL 3 only while a bench process lives.
 *   - SYSENTER stays armed where the CPU has SEP: only ring 0 writes its MSRs.
 *     Like the gate it runs a null function and returns through sysexit_tramp
 *     (tests/attacks/a_sysenter.c, a_tfgate.c).
 * The bench is the module named "bench", or those that bench=a,b names on
 * the command line: the modules and the command line are the machine
 * owner's choice (grub.cfg), as with drivers=. */
#include "os.h"
#include "event/event.h"
#include "machine.h"
#include "sched/proc.h"
#include "mm/uvm.h"

extern struct desc ec_idt_bench[];
extern char ec_gatebench[];
static int live;                        /* bench processes not yet released */

static void gate_dpl(int dpl)
{
    if (events_task)
        return;                         /* no ring-0 entries: boot/ cleared the gate */
    gdt[SEL_GATE_BENCH >> 3] = gate_desc(SEL_KCODE, (uint32_t)ec_gatebench,
                                         ACC_P | ACC_DPL(dpl) | ACC_CALLGATE);
}

/* A new process (not yet running): the bench gets its entries. */
void bench_grant(struct proc *p)
{
    if (cmdline_get("bench") ? !cmdline_listed("bench", p->name) : strcmp(p->name, "bench"))
        return;
    p->bench = 1;
    uvm_window_map(p->pd, IDT_VA, V2P(ec_idt_bench) | PTE_P | PTE_W);
    if (live++ == 0)
        gate_dpl(3);
}

/* Its address space is freed: the IDT goes with it, the gate with the last one. */
void bench_release(struct proc *p)
{
    if (p->bench && --live == 0)
        gate_dpl(0);
    p->bench = 0;
}
