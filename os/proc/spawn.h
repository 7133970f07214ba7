/* Making processes and threads (spawn.c). */
#ifndef SPAWN_H
#define SPAWN_H
#include <stdint.h>

struct proc;
struct module;

int proc_spawn(struct module *m, const char *args, struct proc *parent);   /* pid or -errno */
int proc_thread_create(struct proc *p, uint32_t entry, uint32_t arg, uint32_t stack_top);
int proc_restrict(struct proc *l, const char *what);    /* take plain B and A away */
#endif
