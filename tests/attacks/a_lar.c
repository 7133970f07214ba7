/* a_lar: find DSOS without a single fault, with LAR and LSL.
 *
 * LAR and LSL are unprivileged (CPL 3), raise no exception for any selector,
 * and for every descriptor visible at CPL 3 -- any DPL-3 code or data
 * descriptor, present or not -- they return its access rights (the P bit
 * included) and its limit (SDM vol. 2, "LAR", "LSL").  The hidden slots must
 * be DPL-3 data descriptors for a guess to raise #NP rather than #GP, so
 * LAR sees all 16384 slots, and the one present 4 GiB read/write data
 * segment other than DSAPP is DSOS.  No #NP is raised, so relocation (every
 * third #NP) and np_kill never trigger.
 *
 * Prints ATTACK name=lar ... result=FOUND (the OS's hiding defeated) or
 * result=contained (no candidate, or the candidate cannot read the GDT). */
#include "attack.h"

static int lar(uint32_t sel, uint32_t *ar)
{
    uint32_t v = 0;
    uint8_t ok;
    asm volatile("larl %2, %0\n\tsetz %1" : "=r"(v), "=q"(ok) : "r"(sel), "0"(0) : "cc");
    *ar = v;
    return ok;
}

static int lsl(uint32_t sel, uint32_t *lim)
{
    uint32_t v = 0;
    uint8_t ok;
    asm volatile("lsll %2, %0\n\tsetz %1" : "=r"(v), "=q"(ok) : "r"(sel), "0"(0) : "cc");
    *lim = v;
    return ok;
}

int main(void)
{
    probe_init();
    uint32_t visible = 0, notpresent = 0, present = 0, cand = 0, first = 0;
    uint32_t np0 = probe_nfault[11];
    uint64_t t0 = rdtsc64();
    for (uint32_t t = 0; t < 2; t++)
        for (uint32_t i = 0; i < 8192; i++) {
            uint32_t sel = (i << 3) | (t << 2) | 3, ar, lim;
            if (!lar(sel, &ar))
                continue;
            visible++;
            if (!(ar & 0x8000)) {
                notpresent++;
                continue;
            }
            present++;
            /* S=1, data (type bit 3 clear), writable (bit 1), 4 GiB */
            if ((ar & 0x1000) && !(ar & 0x800) && (ar & 0x200) && lsl(sel, &lim) &&
                lim == 0xFFFFFFFF && sel != SEL_DSAPP) {
                if (!cand++)
                    first = sel;
            }
        }
    uint64_t cyc = rdtsc64() - t0;
    int why = 0, ok = cand ? sel_is_os(first, &why) : 0;
    uint32_t word = 0;
    if (ok)
        rd32(first, OS_TEXT, &word);
    printf("ATTACK name=lar scanned=16384 visible=%u not_present=%u present=%u candidates=%u "
           "sel=0x%x reads_gdt=%s os_text_word=%08x np_faults=%u tsc=%u result=%s\n",
           visible, notpresent, present, cand, first, ok ? "yes" : "no", word,
           probe_nfault[11] - np0, (unsigned)cyc, ok ? "FOUND" : "contained");
    return 0;
}
