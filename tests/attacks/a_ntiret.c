/* a_ntiret: NT is not IOPL-protected -- POPF sets it at CPL 3 -- and IRET
 * with NT=1 is a task return to the running TSS's back link (SDM 7.3).  The
 * app task is never entered as a nested task, so its link is 0: the IRET
 * must raise #TS (the null selector) in the app, whatever the delivery (the
 * event core, or events=task, where the app task is one of many TSSs).  And
 * an app that raises an event with NT=1 gets NT back clear (both deliveries
 * sanitise it).  Prints ATTACK name=ntiret ... result=contained | BREACH. */
#include "attack.h"

#define TRIES 10

static void iret_nt(uint32_t unused)
{
    (void)unused;
    asm volatile("pushl %%ss\n\tpushl %%esp\n\taddl $4, (%%esp)\n\t"
                 "pushfl\n\torl $0x4000, (%%esp)\n\t"
                 "pushl %%cs\n\tpushl $1f\n\t"
                 "pushfl\n\torl $0x4000, (%%esp)\n\tpopfl\n\t"    /* NT=1 */
                 "iret\n1:" : : : "memory", "cc");
}

static void event_nt(uint32_t unused)
{
    (void)unused;
    uint32_t fl;
    asm volatile("pushfl\n\torl $0x4000, (%%esp)\n\tpopfl\n\t"
                 "int %1\n\t"
                 "pushfl\n\tpopl %0\n\t"
                 "pushfl\n\tandl $~0x4000, (%%esp)\n\tpopfl"
                 : "=r"(fl) : "i"(VEC_UPCALL) : "memory", "cc");
    probe_out.eax = fl;
}

int main(void)
{
    probe_init();
    int ts = 0, back = 0, other = 0, ntclear = 0;
    for (int i = 0; i < TRIES; i++) {
        int r = probe_call(iret_nt, 0);
        if (r == (PROBE_FAULT | 10))
            ts++;
        else if (!r)
            back++;
        else
            other++;
        if (probe_call(event_nt, 0) == 0 && !(probe_out.eax & 0x4000))
            ntclear++;
    }
    int ok = ts == TRIES && ntclear == TRIES;
    printf("ATTACK name=ntiret tries=%d ts=%d returned=%d other=%d nt_cleared_by_event=%d "
           "result=%s\n", TRIES, ts, back, other, ntclear, ok ? "contained" : "BREACH");
    return !ok;
}
