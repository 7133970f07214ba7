/* user.h: the one header a KLOS app includes (as xv6's user.h): the service
 * wrappers and a small libc.
 *
 * Services: klos_NAME(...) calls the Design B stub of NAME (a near call to
 * its page at SVC_B_BASE), klosH_NAME the hardened Design B stub, klosA_NAME
 * the Design A trampoline; all are generated from os/svc/services.def into
 * build/gen/klos_svc.h.  The libc below is compiled once and uses Design B,
 * until the process gains a second thread or shared memory: then the OS has
 * taken plain Design B and Design A away (docs/DESIGN.md §5.3) and the libc calls
 * hardened Design B (klos_hardened is set by thread_create and shm_get).
 * An app that calls klos_* itself must do the same (KLOS_SVC does). */
#ifndef KLOS_USER_H
#define KLOS_USER_H

#include "klos.h"               /* include/: constants shared with the OS */
#include "klos_errno.h"         /* services fail with -ENOENT, -EFAULT, ... */
#include "klos_fs.h"            /* O_*, struct klos_stat, struct klos_dirent */
#include "klos_svc.h"
#include "klos_fault.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "string.h"             /* lib/: memset memcpy memmove memcmp strlen ... */

#define KLOS_NORETURN __attribute__((noreturn))
#define KLOS_PRINTF(f, a) __attribute__((format(printf, f, a)))

/* ---- services (Design B, or hardened B once threaded/shared) ---------- */
extern int klos_hardened;
#define KLOS_SVC(name, ...) (klos_hardened ? klosH_##name(__VA_ARGS__) : klos_##name(__VA_ARGS__))
int thread_create(void *entry, void *arg, void *stack_top);        /* tid, or < 0 */
int write(int fd, const void *buf, int len);
int read(int fd, void *buf, int len);
void exit(int code) KLOS_NORETURN;
int getpid(void);
void *sbrk(int incr);           /* (void *)-1 on failure, as in Unix */
int uptime(void);               /* timer ticks since boot */
int yield(void);
int sleep(int ticks);
int spawn(const char *module, const char *args);   /* new pid, or < 0 */
int wait(int pid, int *status);
void *shm_get(int key, int size);                   /* shared region, or 0 */

/* ---- files (the disk make disk builds; no disk: -ENODEV) ------------------
 * Each returns what the service does: >= 0, or -errno (klos_errno.h). */
int open(const char *path, int flags, ...);        /* mode (O_CREAT) as a third argument */
int close(int fd);
int lseek(int fd, int off, int whence);
int fstat(int fd, struct klos_stat *st);
int stat(const char *path, struct klos_stat *st);
int unlink(const char *path);
int mkdir(const char *path, int mode);
int rmdir(const char *path);
int rename(const char *from, const char *to);
int getdents(int fd, void *buf, int len);           /* struct klos_dirent records */
int fsync(int fd);
int ftruncate(int fd, int len);
int chdir(const char *path);
int getcwd(char *buf, int len);                     /* the length, or -errno */
int statfs(struct klos_statfs *st);

/* ---- stdio: fd 0 in, 1 out, 2 err -------------------------------------
 * printf formats into a buffer on the stack and sends it with one write
 * (more only past 256 bytes).  Formats: lib/fmt.c (%d %i %u %x %X %p %s
 * %c %%, width, '0' and '-' flags, l and ll). */
int printf(const char *fmt, ...) KLOS_PRINTF(1, 2);
int vprintf(const char *fmt, va_list ap);
int dprintf(int fd, const char *fmt, ...) KLOS_PRINTF(2, 3);
int vdprintf(int fd, const char *fmt, va_list ap);
int snprintf(char *buf, int cap, const char *fmt, ...) KLOS_PRINTF(3, 4);
int vsnprintf(char *buf, int cap, const char *fmt, va_list ap);
int puts(const char *s);        /* s and a newline, one write */
int putchar(int c);
int getchar(void);              /* one byte from fd 0, or -1 */

/* ---- stdlib ------------------------------------------------------------ */
int atoi(const char *s);
long strtol(const char *s, char **end, int base);
unsigned long strtoul(const char *s, char **end, int base);
void *malloc(size_t n);
void free(void *p);
void *calloc(size_t n, size_t size);
void *realloc(void *p, size_t n);
void abort(void) KLOS_NORETURN; /* prints "abort" and exits with KLOS_ABORT_CODE */
#define KLOS_ABORT_CODE 255

/* ---- faults ----------------------------------------------------------------
 * klos_on_fault pushes fn on a chain of at most KLOS_FAULT_MAX handlers (the
 * first call registers the libc's entry with the exc_register service).  On
 * a fault the handlers are called newest first until one returns nonzero;
 * then the (possibly repaired) f->ctx is resumed with exc_return.  If none
 * handles it, a line is printed on fd 2 and the app exits with 128 + vec.
 * Returns 0, or -1 if the chain is full or the OS refused the entry. */
#define KLOS_FAULT_MAX 8
int klos_on_fault(int (*fn)(struct klos_fault *f));

/* An app cannot read its own text (DSAPP covers only the app data region,
 * docs/DESIGN.md §2), so a fault handler cannot decode the faulting instruction.
 * KLOS_SITE(tag), placed in an asm statement right before an instruction,
 * records that instruction's address with a tag in a table in app data;
 * klos_site(eip) gives the tag of the site at eip, or -1. */
#define KLOS_SITE(tag) "7770:\n.pushsection .klos_sites,\"a\"\n.long 7770b, " #tag "\n.popsection\n"
int klos_site(uint32_t eip);

#endif
