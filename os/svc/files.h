/* The file services' side the rest of the OS uses (sys_fs.c). */
#ifndef FILES_H
#define FILES_H

struct proc;

void files_init(void);                  /* after the disk drivers: mount the KLOS disk */
void files_background(void);            /* process 0: deferred closes, the commit when due */
void files_shutdown(void);              /* at the end: close, commit, unmount */
int file_read(int fd, void *buf, int len);
int file_write(int fd, const void *buf, int len);
int file_spawn(const char *upath, const char *args, struct proc *parent);
void file_inherit(struct proc *child, struct proc *parent);
#endif
