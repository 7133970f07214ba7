/* Events as the ring-3 OS sees them (docs/DESIGN.md §3 and §4), whichever
 * way they are delivered: by the event core in ring 0 (the default) or by
 * IDT task gates (events=task).  An event reaches the one handler the OS
 * registered for its vector, at CPL 3 with interrupts off, on its own slice
 * of the handler stacks, with a struct trapframe the handler may edit in
 * place: the scheduler switches processes by rewriting it.  Nothing outside
 * this folder needs to know which delivery runs. */
#ifndef EVENT_H
#define EVENT_H
#include <stdint.h>
#include "trapframe.h"

typedef void (*event_fn)(struct trapframe *tf);

void event_init(void);
event_fn event_hook(int vec, event_fn fn);      /* returns the one it replaces */
extern int event_depth;                         /* handlers under way: 1 inside one */
extern int events_task;                         /* events=task (boot/ sets it) */

/* An OS handler faulted at depth event_depth: every level above the
 * outermost (1 .. event_depth-1) resumes at its way out, so the delivery
 * unwinds them all once the outermost frame (ec_frame(0)) goes back. */
void event_abandon(void);

/* A #PF's CR2 is the CPU's under the event core; a task gate hands over
 * none, so the fault room registers how to rebuild it from the instruction
 * (0, or -1 when it cannot tell: the frame then holds CR2_UNKNOWN). */
void event_cr2_rebuild(int (*fn)(const struct trapframe *tf, uint32_t *cr2));
int event_cr2_rebuilt(const struct trapframe *tf);
#define CR2_UNKNOWN 0xFFFFFFFFu         /* a valid address too: reported as unknown, never wrong */

/* A #GP the delivery itself explains (a busy handler task), or 0. */
const char *event_gp_meaning(const struct trapframe *tf);

/* GDT slots the delivery holds: DSOS never moves into 0 .. this-1. */
uint32_t event_gdt_fixed(void);

/* DSOS moved from old to new: the selectors the delivery keeps for itself. */
void event_dsos_moved(uint16_t old, uint16_t new);

/* Drop stale TLB entries: a CR3 reload on the way back from a software
 * event (ring 3 cannot touch CR3 itself). */
void tlb_flush(void);

/* events=task (taskev.c): the delivery's side of the interface above. */
void tev_init(void);
void tev_switch(struct trapframe *tf);
void tev_abandon(int d);
int tev_busy_task(uint32_t sel);
void tev_dsos_moved(uint16_t old, uint16_t new);
#endif
