/* Describing a fault: its name and what it means.  Deciding what a fault
 * means for the process that took it is proc/excpt.c's. */
#ifndef FAULT_H
#define FAULT_H
#include "trapframe.h"

const char *fault_name(int vec);
const char *fault_meaning(struct trapframe *tf);
void fault_report(const char *who, struct trapframe *tf);
int fault_addr(const struct trapframe *tf, uint32_t *cr2);
/* events=task, when the instruction does not say: a valid address too (the
 * last byte), so a fault there is reported as unknown -- never a wrong one */
#define CR2_UNKNOWN 0xFFFFFFFFu  /* #PF address, rebuilt (fault_addr.c) */
#endif
