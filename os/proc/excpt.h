/* What a fault means for the process that took it (proc/excpt.c). */
#ifndef EXCPT_H
#define EXCPT_H
#include "trapframe.h"

void fault(struct trapframe *tf);               /* every unclaimed fault, vectors 0..31 */
extern int (*fault_fixup)(struct trapframe *tf); /* boot tests: resume instead (nonzero) */
#endif
