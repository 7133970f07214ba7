/* The OS's file system (root.c): mounted once at boot, if a disk is KLOS's. */
#ifndef ROOT_H
#define ROOT_H

struct fs;
struct sleeplock;

extern struct fs *rootfs;               /* 0: no file system this boot */
extern struct sleeplock fslock;         /* around every call into the core */

void root_init(void);                   /* after the disk drivers */
void root_changed(void);                /* after a call that may have changed it */
void root_background(void (*closes)(void));     /* process 0: the commit when due */
void root_shutdown(void (*closes)(void));
#endif
