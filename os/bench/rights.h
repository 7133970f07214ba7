/* The benchmark's ring-0 entries, for the bench module alone (rights.c). */
#ifndef RIGHTS_H
#define RIGHTS_H

struct proc;

void bench_grant(struct proc *p);
void bench_release(struct proc *p);
#endif
