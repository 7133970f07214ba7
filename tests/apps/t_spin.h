/* The page shared by the preemption test's apps (t_spin x2, t_sleeper,
 * t_nullds; run together with apps=par). */
#ifndef T_SPIN_SHARED_H
#define T_SPIN_SHARED_H
#include "user.h"

#define SPIN_KEY 0x5350

struct spin_shm {
    volatile int next_id;               /* spinners take ids 0 and 1 */
    volatile unsigned ctr[2];           /* each spinner's loop counter */
    volatile int seen[2];               /* times a spinner saw the other advance */
    volatile int sleeper_done, nullds_done;
};

static inline struct spin_shm *spin_shm(void)
{
    return shm_get(SPIN_KEY, 4096);
}
#endif
