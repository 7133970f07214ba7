/* a_dsosmove: a DSOS find is worth nothing once DSOS has moved, and the
 * attacker learns so at once, from the very next load: #NP.
 *
 * The brute force (a_brute) finds DSOS a few times in 10^5 guesses and
 * revisits each find after three more #NPs; this is the same question asked
 * directly, three times, in a second: the test kernel's oracle (test=oracle,
 * tests/os/guard.c) names DSOS -- the find, as if by luck -- and the app
 * proves it by reading the GDT through it; then it loads hidden slots (#NP
 * each) until the oracle names another selector, and loads the old one again
 * at once.  The moved-away slot must hold a not-present decoy, like every
 * unused slot (os/sec/dsos.c): #NP with the selector as error code.  A zeroed
 * slot would answer #GP -- telling the attacker where DSOS was -- and a slot
 * left present would still read the OS.  Needs no segment limits: QEMU and
 * Bochs.  Prints ATTACK name=dsosmove_round ... and ATTACK name=dsosmove
 * rounds=3 found=3 moved=3 old_np=3 result=contained. */
#include "attack.h"
#include "../os/guard_oracle.h"

#define ROUNDS 3

static uint32_t oracle_dsos(void)
{
    uint32_t r;
    asm volatile("int %1" : "=a"(r) : "i"(VEC_UPCALL), "a"(ORACLE_DSOS) : "memory");
    return r & 0xFFFF;
}

static const char *what(int r)
{
    if (!r)
        return "loads";
    switch (r & 0xFF) {
    case 11: return "np";
    case 13: return "gp";
    default: return "other";
    }
}

int main(void)
{
    if (oracle_dsos() == (ORACLE_DSOS & 0xFFFF)) {
        printf("ATTACK name=dsosmove result=ERROR why=no-oracle (boot the test kernel with "
               "test=oracle)\n");
        return 2;
    }
    probe_init();
    uint32_t gdt = gdt_base(), next = 1;
    int found = 0, moved = 0, old_np = 0;
    for (int round = 0; round < ROUNDS; round++) {
        uint32_t old = oracle_dsos(), val = 0, np = 0;
        found += rd32(old, gdt + (SEL_CSOS & ~7u), &val) == 0;  /* the find: a GDT read */
        uint32_t now = old;
        while (now == old && np < 10) {         /* every third #NP moves DSOS */
            uint32_t guess = (next++ << 3) | 4 | 3;             /* an LDT slot */
            if (guess != now && (rd32(guess, gdt, 0) & 0xFF) == 11)
                np++;
            now = oracle_dsos();
        }
        moved += now != old;
        int r = rd32(old, gdt, 0);              /* at once: the old selector */
        int ok = (r & 0xFF) == 11 && probe_last.err == (old & 0xFFFC);
        old_np += ok;
        printf("ATTACK name=dsosmove_round n=%d found=0x%x gdt_word=%08x np_until_move=%u "
               "now=0x%x old_again=%s err=0x%x\n", round, old, val, np, now, what(r),
               r ? probe_last.err : 0);
    }
    int ok = found == ROUNDS && moved == ROUNDS && old_np == ROUNDS;
    printf("ATTACK name=dsosmove rounds=%d found=%d moved=%d old_np=%d result=%s\n", ROUNDS,
           found, moved, old_np, ok ? "contained" : "FAIL");
    return !ok;
}
