/* The fault frame the OS builds on an app's stack before jumping to the
 * handler registered with the exc_register service.  Shared by the OS and
 * the apps.
 *
 * On entry to the handler ESP points at
 *     [ESP+0] 0                        (a fake return address)
 *     [ESP+4] struct klos_fault *      (the frame, also on the app's stack)
 * so a cdecl C function  void h(struct klos_fault *f)  can be the handler; it
 * must not return.  It resumes the faulting code with
 * exc_return(&f->ctx) (the OS loads the possibly repaired context) or ends
 * the process with exit.
 *
 * struct klos_context is in PUSHAD order, then EIP and EFLAGS. */
#ifndef KLOS_FAULT_H
#define KLOS_FAULT_H

#include <stdint.h>

struct klos_context {
    uint32_t edi, esi, ebp, esp, ebx, edx, ecx, eax;  /* PUSHAD order */
    uint32_t eip, eflags;
};

struct klos_fault {
    uint32_t vec;               /* exception vector, 0..31 */
    uint32_t err;               /* error code, 0 where the CPU pushes none */
    uint32_t cr2;               /* faulting address for #PF (14), else 0 */
    struct klos_context ctx;
};

/* Byte offsets, for assembly and for checks on the OS side. */
#define KLOS_CTX_EDI    0
#define KLOS_CTX_ESI    4
#define KLOS_CTX_EBP    8
#define KLOS_CTX_ESP    12
#define KLOS_CTX_EBX    16
#define KLOS_CTX_EDX    20
#define KLOS_CTX_ECX    24
#define KLOS_CTX_EAX    28
#define KLOS_CTX_EIP    32
#define KLOS_CTX_EFLAGS 36
#define KLOS_CTX_SIZE   40
#define KLOS_FAULT_VEC  0
#define KLOS_FAULT_ERR  4
#define KLOS_FAULT_CR2  8
#define KLOS_FAULT_CTX  12
#define KLOS_FAULT_SIZE (KLOS_FAULT_CTX + KLOS_CTX_SIZE)

_Static_assert(sizeof(struct klos_context) == KLOS_CTX_SIZE, "klos_context layout");
_Static_assert(sizeof(struct klos_fault) == KLOS_FAULT_SIZE, "klos_fault layout");
_Static_assert(__builtin_offsetof(struct klos_fault, ctx) == KLOS_FAULT_CTX, "klos_fault layout");
_Static_assert(__builtin_offsetof(struct klos_context, eip) == KLOS_CTX_EIP, "klos_context layout");

#endif
