#include "os.h"
#include "svc_os.h"
uint32_t svc_os_stack;
int sys_write(int fd, const void *buf, int len) { (void)fd; (void)buf; return len; }
int sys_read(int fd, void *buf, int len) { (void)fd; (void)buf; (void)len; return -1; }
int sys_exit(int code) { (void)code; return -1; }
int sys_getpid(void) { return -1; }
void *sys_sbrk(int incr) { (void)incr; return 0; }
int sys_uptime(void) { return ticks; }
int sys_yield(void) { return 0; }
int sys_cpuinfo(void *out) { (void)out; return -1; }
