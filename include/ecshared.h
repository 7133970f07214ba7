/* The page the ring-3 OS shares with the event core.  Registering a handler
 * or asking for a CR3 load is a plain memory write here: nothing ever calls
 * down into ring 0.  Field offsets are mirrored in eventcore/ec.asm. */
#ifndef ECSHARED_H
#define ECSHARED_H
#include <stdint.h>
#include "klos.h"
#include "trapframe.h"

struct ecshared {
    uint32_t handler[NVEC];     /* ring-3 entry per vector; 0 = none (halts) */
    uint32_t upcall_ret;        /* ring-3 code that does lcall SEL_GATE:0 */
    uint32_t dsos;              /* the DSOS selector now in use */
    uint32_t req_cr3;           /* nonzero: load this CR3 after the handler */
    uint32_t panic_exit;        /* nonzero: a panic also ends the emulator */
};

#define ES_HANDLER      0
#define ES_UPCALL_RET   (4 * NVEC)
#define ES_DSOS         (4 * NVEC + 4)
#define ES_REQ_CR3      (4 * NVEC + 8)
#define ES_PANIC_EXIT   (4 * NVEC + 12)

/* Where level d's frame lies in its handler-stack slice: at the top.  The
 * event core (ec.asm, ec_slot), the handler tasks (os/event/taskentry.asm)
 * and the ring-3 OS (ec_frame) all find it here. */
#define EC_FRAME_OFF    (HSTACK_SLICE - TF_SIZE)

_Static_assert(__builtin_offsetof(struct ecshared, handler) == ES_HANDLER, "ES_HANDLER");
_Static_assert(__builtin_offsetof(struct ecshared, upcall_ret) == ES_UPCALL_RET, "ES_UPCALL_RET");
_Static_assert(__builtin_offsetof(struct ecshared, dsos) == ES_DSOS, "ES_DSOS");
_Static_assert(__builtin_offsetof(struct ecshared, req_cr3) == ES_REQ_CR3, "ES_REQ_CR3");
_Static_assert(__builtin_offsetof(struct ecshared, panic_exit) == ES_PANIC_EXIT, "ES_PANIC_EXIT");

extern struct ecshared ecshared;
extern uint8_t ec_hstacks[HSTACK_DEPTH][HSTACK_SLICE];

/* The frame the event core keeps for handler level d: at the top of slice d
 * (ec.asm's ec_slot). */
static inline struct trapframe *ec_frame(int d)
{
    return (struct trapframe *)(ec_hstacks[d] + EC_FRAME_OFF);
}
#endif
