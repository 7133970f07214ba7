/* Describing a fault: its name and what it means.  Deciding what a fault
 * means for the process that took it is fault/fault.c's. */
#ifndef FAULT_H
#define FAULT_H
#include "trapframe.h"

void fault(struct trapframe *tf);               /* every unclaimed fault, vectors 0..31 */
extern int (*fault_fixup)(struct trapframe *tf); /* boot tests: resume instead (nonzero) */

const char *fault_name(int vec);
const char *fault_meaning(struct trapframe *tf);
void fault_report(const char *who, struct trapframe *tf);
int fault_addr(const struct trapframe *tf, uint32_t *cr2);
/* events=task, when the instruction does not say: a valid address too (the
 * last byte), so a fault there is reported as unknown -- never a wrong one */
#define CR2_UNKNOWN 0xFFFFFFFFu  /* #PF address, rebuilt (fault_addr.c) */
#endif
