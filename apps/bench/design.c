/* The per-design service tables of design.h.  Each entry counts the call
 * (one `incl`) and calls the generated binding of its design.  T is Design B
 * with a real ring transition around it: int VEC_TRAPBENCH enters ring 0
 * through the bench's own IDT (os/bench/rights.c), saves and restores every
 * register as a kernel entry does (eventcore/bench.asm) and IRETs back, then
 * the Design B stub swaps DS as a kernel's entry loads its data segments. */
#include "design.h"

uint32_t svc_calls;

static inline void trap_in_out(void)
{
    __asm__ volatile("int %0" : : "i"(VEC_TRAPBENCH) : "memory");
}

#define T_BIND(n, p, a) \
    static inline int klosT_##n p { trap_in_out(); return klos_##n a; }
SUITE_SVCS(T_BIND)

#define WRAP(pre, n, p, a) \
    static int pre##_w_##n p { svc_calls++; return pre##_##n a; }
#define WRAP_B(n, p, a) WRAP(klos, n, p, a)
#define WRAP_H(n, p, a) WRAP(klosH, n, p, a)
#define WRAP_A(n, p, a) WRAP(klosA, n, p, a)
#define WRAP_T(n, p, a) WRAP(klosT, n, p, a)
SUITE_SVCS(WRAP_B)
SUITE_SVCS(WRAP_H)
SUITE_SVCS(WRAP_A)
SUITE_SVCS(WRAP_T)

#define ENT_B(n, p, a) .n = klos_w_##n,
#define ENT_H(n, p, a) .n = klosH_w_##n,
#define ENT_A(n, p, a) .n = klosA_w_##n,
#define ENT_T(n, p, a) .n = klosT_w_##n,
const struct design designs[NDESIGN] = {
    [D_B] = {"B", SUITE_SVCS(ENT_B)},
    [D_BH] = {"Bh", SUITE_SVCS(ENT_H)},
    [D_A] = {"A", SUITE_SVCS(ENT_A)},
    [D_T] = {"T", SUITE_SVCS(ENT_T)},
};

int design_index(const char *name)
{
    for (int i = 0; i < NDESIGN; i++)
        if (!strcmp(designs[i].name, name))
            return i;
    return -1;
}
