/* Shared by a_spin and a_spinby. */
#ifndef SPIN_H
#define SPIN_H
#include <stdint.h>

#define SPIN_SHM_KEY 0x5350494E         /* "SPIN" */
#define SPIN_ITERS 300000000u           /* ~2 instructions each: seconds under TCG/Bochs */

struct spin_shm {
    volatile uint32_t done, ticks;
};
#endif
