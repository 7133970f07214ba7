/* a_spinby: the bystander of a_spin (apps=par): some work with service
 * calls, its ordinary output, then the flag a_spin reads. */
#include "attack.h"
#include "a_spin.h"

int main(void)
{
    struct spin_shm *s = shm_get(SPIN_SHM_KEY, sizeof *s);
    int t0 = uptime();
    uint32_t sum = 0;
    for (int i = 0; i < 20; i++) {
        sum += getpid();
        yield();
    }
    printf("bystander pid %d finished (sum %u) while a_spin spins\n", getpid(), sum);
    if (s) {
        s->ticks = uptime() - t0;
        s->done = 1;
    }
    return 0;
}
