/* Faults: name them, explain them, report them.  Nothing here decides what
 * happens to anyone (fault.c does). */
#include "os.h"
#include "event/event.h"
#include "fault/fault.h"
#include "fault/insn.h"

static const char *const names[NEXC] = {
    "#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "CSO", "#TS", "#NP",
    "#SS", "#GP", "#PF", "#15", "#MF", "#AC", "#MC", "#XM", "#VE", "#CP",
};

const char *fault_name(int vec)
{
    return vec >= 0 && vec < NEXC && names[vec] ? names[vec] : "#??";
}

/* Classify a #GP from the instruction at EIP (decoded by insn.c, from the
 * bytes the app itself could fetch). */
static const char *gp_meaning(struct trapframe *tf)
{
    const char *why = event_gp_meaning(tf);
    if (why)
        return why;
    uint8_t b[15];
    int seg, op = insn_opcode(b, fault_insn_bytes(tf->eip, b), &seg);
    if (op < 0)
        return "general protection (EIP not readable)";
    if ((op >= 0xE4 && op <= 0xE7) || (op >= 0xEC && op <= 0xEF) || (op >= 0x6C && op <= 0x6F))
        return "port I/O not permitted by the I/O bitmap";
    if (op == 0xFA || op == 0xFB || op == 0xF4 || op == 0xCF || op == 0x0F00 ||
        op == 0x0F01 || op == 0x0F06 || op == 0x0F08 || op == 0x0F09 || op == 0x0F20 ||
        op == 0x0F22 || op == 0x0F30 || op == 0x0F32)
        return "privileged instruction at CPL 3";
    if (op == 0xCD)
        return "software interrupt to a vector apps may not raise";
    if (((op >= 0xA4 && op <= 0xA7) || (op >= 0xAA && op <= 0xAF && op != 0xAC && op != 0xAD)) &&
        (tf->es & 0xFFFF) == SEL_DSAPP && (tf->ds & 0xFFFF) != SEL_DSAPP)
        return "string instruction through ES = DSAPP outside the app data region "
               "(OS code must load ES itself: lib/string.c)";
    if (seg == 0x2E)
        return "read through execute-only CS";
    if (tf->err)
        return "selector not loadable (error code is the selector)";
    if ((tf->ds & 0xFFFF) == SEL_DSAPP || (tf->ss & 0xFFFF) == SEL_DSAPP)
        return "app access outside DSAPP (below 0x80000000, or a jump out of the code region)";
    return "general protection";
}

const char *fault_meaning(struct trapframe *tf)
{
    switch (tf->vec) {
    case VEC_DE: return "divide error";
    case VEC_DB: return "debug trap (single-step or breakpoint register)";
    case VEC_BP: return "breakpoint (int3)";
    case VEC_OF: return "overflow (into)";
    case VEC_BR: return "bound range exceeded";
    case VEC_UD: return "invalid opcode";
    case VEC_DF: return "double fault: a fault while delivering another (events=task: into a busy "
                    "handler task)";
    case VEC_NP: return "segment not present";
    case VEC_SS: return "stack segment fault (stack overflow or limit)";
    case VEC_GP: return gp_meaning(tf);
    case VEC_PF:
        if (tf->cr2 < 4096)
            return "null pointer dereference";
        return (tf->err & 1) ? "page protection violation" : "page not present";
    default: return "exception";
    }
}

void fault_report(const char *who, struct trapframe *tf)
{
    kprintf("KLOS-FAULT %s: %s (vector %u) err=%x eip=%08x cs=%x ds=%x ss=%x",
            who, fault_name(tf->vec), tf->vec, tf->err, tf->eip, tf->cs & 0xFFFF,
            tf->ds & 0xFFFF, tf->ss & 0xFFFF);
    if (tf->vec == VEC_PF && event_cr2_rebuilt(tf) && tf->cr2 == CR2_UNKNOWN)
        kprintf(" cr2=unknown");
    else if (tf->vec == VEC_PF)
        kprintf(" cr2=%08x", tf->cr2);
    kprintf(": %s\n", fault_meaning(tf));
}
