/* The uniform trap frame the event core builds (and hands, in place, to the
 * ring-3 handler).  Offsets are used by eventcore/ec.asm: keep in step. */
#ifndef TRAPFRAME_H
#define TRAPFRAME_H
#include <stdint.h>

struct trapframe {
    uint32_t gs, fs, es, ds;                        /* pushed by ec_common */
    uint32_t edi, esi, ebp;
    uint32_t cr2;               /* pushad's ESP slot (POPAD skips it): CR2 at the event */
    uint32_t ebx, edx, ecx, eax;
    uint32_t vec, err;                              /* stub */
    uint32_t eip, cs, eflags, esp, ss;              /* CPU (from ring 3) */
};

#define TF_WORDS 19
#endif
