/* Ending threads and processes (exit.c). */
#ifndef EXIT_H
#define EXIT_H

struct proc;

void exit_init(void);
void proc_exit(struct proc *p, int code);
void proc_exit_now(struct proc *p, int code);   /* no wait for a sleep lock */
void proc_end_doomed(void);
void exit_set_files_hook(void (*hook)(struct proc *l));                     /* after sleep_unlock */
void proc_release(struct proc *p);      /* free what p holds (p is not running) */
void proc_reap_zombies(void);
#endif
