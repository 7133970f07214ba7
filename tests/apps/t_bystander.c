/* A bystander: the same register-heavy hash, computed over and over (with a
 * sleep now and then) for as long as the fault drivers (t_faults,
 * t_segfaults, in the same boot with apps=par) run.  Any register or memory
 * the OS failed to save across preemption, or that a neighbour's fault
 * disturbed, shows as a different hash. */
#include "user.h"
#include "t_bystander.h"

#define ROUNDS_MAX 20000

static unsigned hash(unsigned n)
{
    unsigned a = 0x12345678, b = 0x9abcdef0, c = 0x0f1e2d3c, d = 0x4b5a6978;
    for (unsigned i = 0; i < n; i++) {
        a ^= a << 13;
        a ^= a >> 17;
        a ^= a << 5;
        b += a ^ (c >> 3);
        c = (c << 7 | c >> 25) + d;
        d ^= b + i;
    }
    return a ^ b ^ c ^ d;
}

int main(void)
{
    struct bystander_shm *sh = bystander_shm();
    unsigned h0 = hash(100000);
    int rounds = 1, bad = 0, t0 = uptime();

    if (!sh) {
        printf("bystander: no shared region: WRONG\n");
        return 1;
    }
    while ((sh->drivers == 0 || sh->finished < sh->drivers) && rounds < ROUNDS_MAX) {
        bad += hash(100000) != h0;
        if (++rounds % 4 == 0)
            sleep(1);
    }
    printf("bystander: %d rounds over %d ticks while %d fault drivers ran, hash %x: %s\n",
           rounds, uptime() - t0, sh->drivers, h0,
           bad ? "WRONG" : rounds == ROUNDS_MAX ? "drivers never ended: WRONG" : "ok");
    return bad || rounds == ROUNDS_MAX;
}
