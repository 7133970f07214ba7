/* A bystander: the same register-heavy hash, computed over and over (with a
 * sleep now and then) for as long as the fault drivers (t_faults,
 * t_segfaults, in the same boot with apps=par) run.  Any register or memory
 * the OS failed to save across preemption, or that a neighbour's fault
 * disturbed, shows as a different hash. */
#include "user.h"
#include "t_bystander.h"
#include "../reghash.h"

#define ROUNDS_MAX 20000


int main(void)
{
    struct bystander_shm *sh = bystander_shm();
    unsigned h0 = reg_hash(100000);
    int rounds = 1, bad = 0, t0 = uptime();

    if (!sh) {
        printf("bystander: no shared region: WRONG\n");
        return 1;
    }
    while ((sh->drivers == 0 || sh->finished < sh->drivers) && rounds < ROUNDS_MAX) {
        bad += reg_hash(100000) != h0;
        if (++rounds % 4 == 0)
            sleep(1);
    }
    printf("bystander: %d rounds over %d ticks while %d fault drivers ran, hash %x: %s\n",
           rounds, uptime() - t0, sh->drivers, h0,
           bad ? "WRONG" : rounds == ROUNDS_MAX ? "drivers never ended: WRONG" : "ok");
    return bad || rounds == ROUNDS_MAX;
}
