/* Shared by a_midstub (driver) and a_midstub1 (worker). */
#ifndef MIDSTUB_H
#define MIDSTUB_H
#include <stdint.h>
#include "user.h"

#define MID_SHM_KEY 0x4D494453          /* "MIDS" */
#define MID_MAGIC 0x5A11AB1E
#define MID_MAX 320

/* The stubs attacked, and how many byte offsets of each: the whole stub
 * (prologue, call, epilogue, ret) and a few bytes of the 0xCC padding (Design
 * A: into its table).  Lengths from the stub code (os/svc/stubs.inc: cld,
 * then the DSOS load; B:null is 19 bytes, B:write 34, H:null 38, H:write 62).
 * B:getpid is B:null's code around a service that reads OS data at once: the
 * entry at byte 2 decodes "B8 imm16 8E D8" as mov eax, 0xD88E<DSOS> and calls
 * the service with the app's DS and DSOS in AX, so its first read faults in OS
 * text with DSOS in EAX -- a context the app must never be shown. */
struct mid_stub {
    const char *name;
    uint32_t base, len, args;           /* args: push (1, buf, 0) as for write */
};
static const struct mid_stub mid_stubs[] = {
    { "B:null", SVC_B_ADDR(SVC_null), 0x19, 0 },
    { "B:getpid", SVC_B_ADDR(SVC_getpid), 0x19, 0 },
    { "B:write", SVC_B_ADDR(SVC_write), 0x28, 1 },
    { "H:null", SVC_H_ADDR(SVC_null), 0x29, 0 },
    { "H:write", SVC_H_ADDR(SVC_write), 0x44, 1 },
    { "A:entry", SVC_A_BASE, 0x40, 2 },
};
#define MID_NSTUBS (int)(sizeof mid_stubs / sizeof mid_stubs[0])

/* A worker's exit status: returned clean; a fault delivered to it (vector
 * v: MID_EXIT_FAULT + 1 + v); a leaked selector (MID_EXIT_LEAK + where).
 * 128 + vector: the OS ended it. */
#define MID_EXIT_RET 0
#define MID_EXIT_FAULT 10
#define MID_EXIT_LEAK 60

/* Outcome per attempt: '.' returned, clean   'f' a fault delivered to the
 * app (its vector in vec[])   'K' the process was ended by the OS (a fault
 * inside a service: DSOS was in a segment register)   'L' a selector that
 * reads the OS region was left in a register or segment register: BREACH. */
struct mid_shm {
    uint32_t magic;
    volatile int next, total;
    volatile char out[MID_MAX];
    volatile uint8_t vec[MID_MAX];
    volatile uint32_t leak_sel, leak_where;
};
#endif
