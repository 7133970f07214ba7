#ifndef DSOS_H
#define DSOS_H
#include <stdint.h>
#include "trapframe.h"

#define DSOS_MOVE_EVERY 3               /* the paper's policy: every third #NP */

extern uint32_t dsos_moves, np_faults;
void dsos_init(void);
void dsos_move(struct trapframe *tf);
#endif
