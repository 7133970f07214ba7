/* The benchmark suite's service-call designs (apps/bench/suite.c): one table
 * of the services the suite uses per design, each entry the generated
 * per-design binding from build/gen/klos_svc.h (klos_* Design B, klosH_*
 * hardened B, klosA_* Design A) -- or, for T, a trap into the bench-only
 * ring-0 entry and back around the Design B call.  A workload written once
 * against `const struct design *` runs through each in turn. */
#ifndef BENCH_DESIGN_H
#define BENCH_DESIGN_H

#include "user.h"

/* X(name, parameters, arguments): every one returns int */
#define SUITE_SVCS(X) \
    X(null, (void), ()) \
    X(read, (int fd, void *buf, int len), (fd, buf, len)) \
    X(write, (int fd, const void *buf, int len), (fd, buf, len)) \
    X(open, (const char *path, int flags, int mode), (path, flags, mode)) \
    X(close, (int fd), (fd)) \
    X(lseek, (int fd, int off, int whence), (fd, off, whence)) \
    X(fstat, (int fd, void *st), (fd, st)) \
    X(stat, (const char *path, void *st), (path, st)) \
    X(unlink, (const char *path), (path)) \
    X(mkdir, (const char *path, int mode), (path, mode)) \
    X(rmdir, (const char *path), (path)) \
    X(fsync, (int fd), (fd)) \
    X(spawn, (const char *module, const char *args), (module, args)) \
    X(wait, (int pid, int *status), (pid, status)) \
    X(kill, (int pid), (pid)) \
    X(yield, (void), ()) \
    X(call, (int pid, void *msg, int len, int cap), (pid, msg, len, cap)) \
    X(replywait, (int *from, void *msg, int len, int cap), (from, msg, len, cap))

#define SUITE_FIELD(n, p, a) int (*n) p;
struct design {
    const char *name;           /* B, Bh, A, T */
    SUITE_SVCS(SUITE_FIELD)
};

enum { D_B, D_BH, D_A, D_T, NDESIGN };
extern const struct design designs[NDESIGN];
extern uint32_t svc_calls;      /* service calls made through any table */
int design_index(const char *name);

#endif
