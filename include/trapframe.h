/* The uniform trap frame the event core builds (and hands, in place, to the
 * ring-3 handler).  eventcore/ec.asm and os/event/taskentry.asm use it
 * through the offsets in trapframe_off.h, checked here against the struct. */
#ifndef TRAPFRAME_H
#define TRAPFRAME_H
#include <stdint.h>
#include "trapframe_off.h"

struct trapframe {
    uint32_t gs, fs, es, ds;                        /* pushed by ec_common */
    uint32_t edi, esi, ebp;
    uint32_t cr2;               /* pushad's ESP slot (POPAD skips it): CR2 at the event */
    uint32_t ebx, edx, ecx, eax;
    uint32_t vec, err;                              /* stub */
    uint32_t eip, cs, eflags, esp, ss;              /* CPU (from ring 3) */
};

#define TF_OFF(f) __builtin_offsetof(struct trapframe, f)
_Static_assert(TF_OFF(ds) == TF_DS && TF_OFF(cr2) == TF_CR2 && TF_OFF(vec) == TF_VEC &&
               TF_OFF(err) == TF_ERR && TF_OFF(eip) == TF_EIP && TF_OFF(cs) == TF_CS &&
               TF_OFF(eflags) == TF_EFLAGS && TF_OFF(esp) == TF_ESP && TF_OFF(ss) == TF_SS,
               "trapframe_off.h disagrees with struct trapframe");
_Static_assert(sizeof(struct trapframe) == TF_SIZE && TF_SIZE == 4 * TF_WORDS,
               "trapframe_off.h: TF_SIZE, TF_WORDS");
#endif
