/* Faults: exceptions, vectors 0..31 (docs/DESIGN.md §6).  fault.c decides
 * what one means for whoever took it, deliver.c hands one to an app's own
 * handler, report.c names and explains it, cr2.c rebuilds a #PF's address
 * from the instruction where the delivery could not hand it over, and
 * insn.c decodes instructions for both. */
#ifndef FAULT_H
#define FAULT_H
#include <stdint.h>
#include "trapframe.h"

struct proc;

void fault_init(void);                          /* hooks every exception vector */
void fault(struct trapframe *tf);               /* what those hooks do: decide */

/* deliver.c: build a struct klos_fault on p's stack and resume p in its
 * registered handler; 0 if that cannot be done safely. */
int fault_deliver(struct proc *p, struct trapframe *tf);

/* report.c */
const char *fault_name(int vec);
const char *fault_meaning(struct trapframe *tf);
void fault_report(const char *who, struct trapframe *tf);

/* cr2.c */
int fault_insn_bytes(uint32_t eip, uint8_t b[15]);     /* how many the app could fetch */
int fault_addr(const struct trapframe *tf, uint32_t *cr2);
#endif
