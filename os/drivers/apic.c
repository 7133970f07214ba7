/* The local APIC's timer, for a PC whose PIT does not tick (timer.c decides).
 * Its registers are device memory at the base boot/ read from the APIC base
 * MSR (ring 0 only), mapped uncached in the MMIO window (os/mm/mmio.c): only
 * DSOS reaches them.  SDM vol. 3 chapter 10: timer LVT 0x320, initial count
 * 0x380, current count 0x390, divide 0x3E0, EOI 0xB0, spurious vector 0xF0
 * (bit 8: software enable), LVT LINT0/LINT1 0x350/0x360.
 *
 * The event core sends PIC EOIs for vectors 32-47 only, and events=task's
 * handler tasks the same: an APIC interrupt's EOI is written here, at ring 3,
 * first thing in the handler -- IF is 0 until the event returns, so the next
 * tick waits, and a handler abandoned after a fault cannot leave the APIC's
 * in-service bit set. */
#include "os.h"
#include "mm/mmio.h"
#include "drivers/timer.h"
#include "sched/sched.h"
#include "event/event.h"

#define APIC_EOI     0xB0
#define APIC_SVR     0xF0
#define APIC_LVT_TMR 0x320
#define APIC_LINT0   0x350
#define APIC_LINT1   0x360
#define APIC_INIT    0x380
#define APIC_CUR     0x390
#define APIC_DIV     0x3E0
#define LVT_MASKED   (1u << 16)
#define LVT_PERIODIC (1u << 17)

uint32_t apic_phys;                     /* set by boot/ (find_apic) */
static volatile uint32_t *apic;

static uint32_t rd(uint32_t reg) { return apic[reg / 4]; }
static void wr(uint32_t reg, uint32_t v) { apic[reg / 4] = v; }

void apic_map(void)
{
    if (apic_phys)
        apic = mmio_map(apic_phys, 4096, MMIO_APIC_VA, PTE_PCD | PTE_PWT);
}

int apic_present(void)
{
    return apic != 0;
}

static void on_timer(struct trapframe *tf)
{
    wr(APIC_EOI, 0);
    sched_tick(tf);
}

static void on_spurious(struct trapframe *tf)
{
    (void)tf;                           /* no EOI for a spurious interrupt (SDM 10.9) */
}

/* Software-enable it.  Where the firmware left it disabled, every LVT was
 * masked, so the PIC's interrupts could not have come through LINT0: set
 * virtual-wire mode (LINT0 ExtINT, LINT1 NMI; MP spec 3.6.2.2) so they keep
 * coming. */
void apic_enable(void)
{
    event_hook(VEC_APIC_TIMER, on_timer);
    event_hook(VEC_APIC_SPURIOUS, on_spurious);
    uint32_t svr = rd(APIC_SVR);
    if (!(svr & 0x100)) {
        wr(APIC_LINT0, 0x700);
        wr(APIC_LINT1, 0x400);
    }
    wr(APIC_SVR, (svr & ~0xFFu) | 0x100 | VEC_APIC_SPURIOUS);
}

void apic_count_start(void)
{
    wr(APIC_DIV, 0x3);                  /* divide by 16 */
    wr(APIC_LVT_TMR, LVT_MASKED | VEC_APIC_TIMER);
    wr(APIC_INIT, 0xFFFFFFFF);
}

uint32_t apic_count_elapsed(void)
{
    return 0xFFFFFFFF - rd(APIC_CUR);
}

void apic_timer_periodic(uint32_t count)
{
    wr(APIC_LVT_TMR, LVT_PERIODIC | VEC_APIC_TIMER);
    wr(APIC_INIT, count);
}

void apic_timer_stop(void)
{
    wr(APIC_LVT_TMR, LVT_MASKED | VEC_APIC_TIMER);
    wr(APIC_INIT, 0);
}
