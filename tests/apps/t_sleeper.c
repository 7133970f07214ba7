/* Prints a line every 5 ticks (sleeping between) while the two t_spin busy
 * loops run; at each wake-up both spinners' counters must have moved since
 * the last one: they got the CPU while this app slept, and this app got it
 * back from them although they never yield. */
#include "user.h"
#include "t_spin.h"

#define ROUNDS 5

int main(void)
{
    struct spin_shm *sh = spin_shm();
    if (!sh) {
        printf("sleeper: no shared region\n");
        return 1;
    }
    while (sh->next_id < 2)             /* both spinners running */
        sleep(1);
    unsigned a = sh->ctr[0], b = sh->ctr[1];
    int moved = 0;
    for (int r = 1; r <= ROUNDS; r++) {
        sleep(5);
        unsigned na = sh->ctr[0], nb = sh->ctr[1];
        int both = na != a && nb != b;
        moved += both;
        printf("sleeper round %d: spinner 0 +%u, spinner 1 +%u%s\n", r, na - a, nb - b,
               both ? "" : " (one did not run)");
        a = na;
        b = nb;
    }
    sh->sleeper_done = 1;
    printf("sleeper: both spinners ran in %d of %d rounds: %s\n", moved, ROUNDS,
           moved == ROUNDS ? "ok" : "WRONG");
    return moved != ROUNDS;
}
