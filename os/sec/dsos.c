/* Hiding DSOS (paper §2.3.3).  DSOS has DPL 3, so an app that names its
 * selector can load it: the defence is that the app cannot learn it.  The
 * selector is an immediate inside execute-only stubs; the GDT and LDT are
 * full size, every unused slot holding a not-present DPL-3 data descriptor,
 * so a guess at an unused slot raises #NP (a zeroed slot would raise #GP,
 * SDM "MOV" operation, and go unnoticed).  Every DSOS_MOVE_EVERY-th #NP
 * moves DSOS to a random free slot of either table. */
#include "os.h"
#include "ecshared.h"
#include "machine.h"
#include "io.h"
#include "proc/proc.h"
#include "sec/dsos.h"

extern uint8_t ec_hstacks[HSTACK_DEPTH][HSTACK_SLICE];
void svc_patch(uint16_t dsos);

uint32_t dsos_moves, np_faults;
int np_kill_after;                       /* policy 2: 0 = off */
static int relocate = 1;
static uint32_t rng;

/* xorshift32, seeded from RDTSC and the PIT's running count */
static uint32_t rand32(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

static void seed(void)
{
    uint32_t lo, hi;
    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    uint32_t io_saved = io_open(0x40, 4);
    outb(0x43, 0x00);                   /* latch channel 0 */
    uint32_t pit = inb(0x40);
    pit |= inb(0x40) << 8;
    io_close(0x40, 4, io_saved);
    rng = (lo ^ (hi << 7) ^ (pit << 16) ^ 0x9E3779B9) | 1;
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
    uint32_t *seg[5] = { &tf->ds, &tf->es, &tf->fs, &tf->gs, &tf->ss };
    for (int i = 0; i < 5; i++)
        if ((*seg[i] & 0xFFFF) == old)
            *seg[i] = new;
    /* A thread stopped inside a stub between "mov ax, DSOS" and "mov ds, ax" */
    if (tf->eip >= SVC_B_BASE && tf->eip < SVC_A_BASE + 4096) {
        if ((tf->eax & 0xFFFF) == old)
            tf->eax = (tf->eax & ~0xFFFFu) | new;
        if ((tf->ecx & 0xFFFF) == old)
            tf->ecx = (tf->ecx & ~0xFFFFu) | new;
    }
}

/* Move DSOS to a random free slot: new descriptor, stubs re-patched,
 * every saved frame fixed, old slot cleared, our own registers reloaded. */
void dsos_move(struct trapframe *tf)
{
    uint16_t old = ecshared.dsos, new;
    do {
        uint32_t r = rand32();
        uint32_t idx = (r >> 1) % GDT_ENTRIES;
        new = (idx << 3) | ((r & 1) << 2) | 3;
    } while ((!SEL_IS_LDT(new) && SEL_INDEX(new) < GDT_FIXED) || new == old);
    *slot(new) = dsos_desc(1);
    svc_patch(new);
    ecshared.dsos = new;
    if (tf)
        fix_frame(tf, old, new);
    for (int d = 0; d < event_depth - 1 && d < HSTACK_DEPTH; d++)
        fix_frame((struct trapframe *)(ec_hstacks[d] + HSTACK_SLICE - sizeof(struct trapframe)),
                  old, new);
    for (int i = 0; i < NPROC; i++) {
        fix_frame(&procs[i].tf, old, new);
        fix_frame(&procs[i].resume_tf, old, new);
    }
    *slot(old) = dsos_desc(0);
    asm volatile("mov %0, %%ds\n\tmov %0, %%es\n\tmov %0, %%ss" : : "r"((uint32_t)new));
    dsos_moves++;
}

static void on_np(struct trapframe *tf)
{
    np_faults++;
    if (relocate && np_faults % DSOS_MOVE_EVERY == 0)
        dsos_move(tf);
    if (is_app(cur) && np_kill_after && ++cur->leader->np_faults > (uint32_t)np_kill_after) {
        kprintf("KLOS: %s ended: more than %d segment-not-present faults\n", proc_tag(cur),
                np_kill_after);
        proc_exit(cur->leader, 128 + 11);
        sched_switch(tf);
        return;
    }
    fault(tf);
}

void dsos_init(void)
{
    struct desc hidden = dsos_desc(0);
    for (int i = GDT_FIXED; i < GDT_ENTRIES; i++)
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
    event_hook(11, on_np);
    dsos_move(0);                       /* nobody may learn the image's selector */
    kprintf("KLOS: DSOS hidden in a random slot; moves every %d #NP faults%s%s\n",
            DSOS_MOVE_EVERY, relocate ? "" : " (relocation OFF)",
            np_kill_after ? ", policy: end a process after its Kth #NP" : "");
}
