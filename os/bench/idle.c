// idle_count: how often the idle loop (os/sched/idle.asm) has gone round
// since boot, three instructions a pass, modulo 2^32.  The benchmark suite
// (apps/bench/suite.c) takes 3 x the difference out of a row that waited for
// the disk: under QEMU -icount the wait is a spin whose length depends on the
// host, and the path length without it is deterministic.  The idle context
// is never running while a service runs, so its saved ESI is current.
#include "svc_os.h"
#include "sched/proc.h"

int
sys_idle_count(void)
{
    return (int)procs[1].tf.esi;        /* procs[1] is the idle context (sched.c) */
}
