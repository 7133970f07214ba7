/* The shared page between t_bystander and the fault drivers (t_faults,
 * t_segfaults): the bystander runs until every driver that started ended. */
#ifndef T_BYSTANDER_SHARED_H
#define T_BYSTANDER_SHARED_H
#include "user.h"

#define BYSTANDER_KEY 0xB157

struct bystander_shm {
    volatile int drivers, finished;
};

/* The region (created by whichever app comes first), or 0. */
static inline struct bystander_shm *bystander_shm(void)
{
    return shm_get(BYSTANDER_KEY, 4096);
}
#endif
