/* Hiding DSOS (paper §2.3.3).  DSOS has DPL 3, so an app that names its
 * selector can load it: the defence is that the app cannot learn it.  The
 * selector is an immediate inside execute-only stubs; the GDT and LDT are
 * full size, every unused slot holding a not-present DPL-3 data descriptor,
 * so a guess at an unused slot raises #NP (a zeroed slot would raise #GP,
 * SDM "MOV" operation, and go unnoticed).  Every DSOS_MOVE_EVERY-th #NP
 * moves DSOS to a random free slot of either table. */
#include "os.h"
#include "event/event.h"
#include "ecshared.h"
#include "machine.h"
#include "io/io.h"
#include "sched/proc.h"
#include "sched/sched.h"
#include "sec/dsos.h"
#include "proc/exit.h"

int svc_patch(uint16_t dsos);
static event_fn np_next;                 /* the fault room's #NP hook */

uint32_t dsos_moves, np_faults;
int np_kill_after;                       /* policy 2: 0 = off */
static int relocate = 1;

/* splitmix64 (Steele, Lea, Flood 2014): a good 64-bit mixer.  Seeded from
 * RDTSC and the PIT's running count at boot; every move mixes in RDTSC again,
 * so on real hardware the stream depends on when the #NP faults happened. */
static uint64_t rng;

static uint64_t rdtsc64(void)
{
    uint32_t lo, hi;
    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

static uint32_t rand32(void)
{
    uint64_t z = (rng += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return (z ^ (z >> 31)) >> 32;
}

static void seed(void)
{
    uint32_t io_saved = io_open(0x40, 4);
    outb(0x43, 0x00);                   /* latch channel 0 */
    uint32_t pit = inb(0x40);
    pit |= inb(0x40) << 8;
    io_close(0x40, 4, io_saved);
    rng = rdtsc64() ^ ((uint64_t)pit << 48);
}

static struct desc *slot(uint16_t sel)
{
    return SEL_IS_LDT(sel) ? &ldt[SEL_INDEX(sel)] : &gdt[SEL_INDEX(sel)];
}

static struct desc dsos_desc(int present)
{
    return seg_desc(0, 0xFFFFFFFF, (present ? ACC_P : 0) | ACC_DPL(3) | ACC_S | ACC_DATA_RW);
}

static void fix_frame(struct trapframe *tf, uint16_t old, uint16_t new)
{
    uint32_t *const seg[5] = { &tf->ds, &tf->es, &tf->fs, &tf->gs, &tf->ss };
    for (int i = 0; i < 5; i++)
        if ((*seg[i] & 0xFFFF) == old)
            *seg[i] = new;
    /* A thread stopped inside a stub between "mov ax, DSOS" and "mov ds, ax" */
    if (tf->eip >= SVC_START && tf->eip < SVC_END) {
        if ((tf->eax & 0xFFFF) == old)
            tf->eax = (tf->eax & ~0xFFFFu) | new;
        if ((tf->ecx & 0xFFFF) == old)
            tf->ecx = (tf->ecx & ~0xFFFFu) | new;
    }
}

/* Move DSOS to a random free slot: new descriptor, stubs re-patched,
 * every saved frame fixed, old slot cleared, our own registers reloaded.
 * A slot whose selector would put LAR/LSL/VERR/VERW into a stub is never
 * chosen (svc_patch refuses it; two of the 16374 are). */
void dsos_move(struct trapframe *tf)
{
    uint16_t old = ecshared.dsos, new;
    rng ^= rdtsc64();
    do {                                /* uniform over the free slots of both tables */
        uint32_t k = rand32() % (GDT_ENTRIES - event_gdt_fixed() + LDT_ENTRIES);
        new = k < GDT_ENTRIES - event_gdt_fixed() ? ((k + event_gdt_fixed()) << 3) | 3
                                            : ((k - (GDT_ENTRIES - event_gdt_fixed())) << 3) | 4 | 3;
    } while (new == old || svc_patch(new) < 0);
    *slot(new) = dsos_desc(1);
    ecshared.dsos = new;
    event_dsos_moved(old, new);
    if (tf)
        fix_frame(tf, old, new);
    for (int d = 0; d < event_depth - 1 && d < HSTACK_DEPTH; d++)
        fix_frame(ec_frame(d), old, new);
    for (int i = 0; i < NPROC; i++) {
        fix_frame(&procs[i].tf, old, new);
        fix_frame(&procs[i].resume_tf, old, new);
        for (int k = 1; procs[i].ctx[0] && k <= 2; k++)    /* a swtch context's SS, ES */
            if ((uint16_t)procs[i].ctx[k] == old)
                procs[i].ctx[k] = new;
    }
    /* Our own registers first, then the old slot: an IRQ taken in between
     * (a caller outside an event handler runs with IF=1) pushes and reloads
     * whichever selector we hold, and both are present until here. */
    asm volatile("mov %0, %%ds\n\tmov %0, %%es\n\tmov %0, %%ss" : : "r"((uint32_t)new));
    *slot(old) = dsos_desc(0);
    dsos_moves++;
}

static void on_np(struct trapframe *tf)
{
    np_faults++;
    if (relocate && np_faults % DSOS_MOVE_EVERY == 0)
        dsos_move(tf);
    if (event_depth == 1 && is_app(cur) && np_kill_after &&      /* not in an OS handler */
        ++cur->leader->np_faults > (uint32_t)np_kill_after) {
        kprintf("KLOS: %s ended: more than %d segment-not-present faults\n", proc_tag(cur),
                np_kill_after);
        proc_exit(cur->leader, 128 + 11);
        sched_switch(tf);
        return;
    }
    np_next(tf);
}

void dsos_init(void)
{
    struct desc hidden = dsos_desc(0);
    for (uint32_t i = event_gdt_fixed(); i < GDT_ENTRIES; i++)
        if ((uint32_t)i != SEL_INDEX(ecshared.dsos))
            gdt[i] = hidden;
    for (int i = 0; i < LDT_ENTRIES; i++)
        ldt[i] = hidden;
    seed();
    const char *pol = cmdline_get("np_kill");
    np_kill_after = 0;
    for (; pol && *pol >= '0' && *pol <= '9'; pol++)
        np_kill_after = np_kill_after * 10 + (*pol - '0');
    relocate = !cmdline_is("dsos_move", "off");
    np_next = event_hook(VEC_NP, on_np);
    dsos_move(0);                       /* nobody may learn the image's selector */
    kprintf("KLOS: DSOS hidden in a random slot; moves every %d #NP faults%s%s\n",
            DSOS_MOVE_EVERY, relocate ? "" : " (relocation OFF)",
            np_kill_after ? ", policy: end a process after its Kth #NP" : "");
}
