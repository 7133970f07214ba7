/* Faults: name them, explain them, report them.  Nothing here decides what
 * happens to anyone (proc/excpt.c does).  The OS reads the faulting
 * instruction through the direct map, only where the page is present and
 * user-accessible: EIP is the app's choice, and a ring-3 read of a
 * supervisor page (the event core's) would fault inside this handler. */
#include "os.h"
#include "fault.h"
#include "mm/vm.h"
#include "mm/uvm.h"

static const char *const names[32] = {
    "#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "CSO", "#TS", "#NP",
    "#SS", "#GP", "#PF", "#15", "#MF", "#AC", "#MC", "#XM", "#VE", "#CP",
};

const char *fault_name(int vec)
{
    return vec < 32 && names[vec] ? names[vec] : "#??";
}

/* Classify a #GP from the instruction bytes at EIP. */
static const char *gp_meaning(struct trapframe *tf)
{
    uint8_t b[4];
    uint32_t sel = tf->err & ~1u;               /* EXT off; IDT (bit 1) 0: a GDT selector */
    if (events_task && sel >= SEL_TEV0 && sel < SEL_TEV0 + 8 * NVEC && !(sel & 7))
        return "the vector's handler task is busy (events=task: an event nested in its own handler)";
    if (uvm_copy(vm_current(), tf->eip, b, 4, 0) < 0)
        return "general protection (EIP not readable)";
    int i = 0, cs_override = 0;
    for (; i < 3; i++) {
        if (b[i] == 0x2E)
            cs_override = 1;
        else if (!(b[i] == 0x66 || b[i] == 0x67 || b[i] == 0xF2 || b[i] == 0xF3 ||
                   b[i] == 0x36 || b[i] == 0x3E || b[i] == 0x26 || b[i] == 0x64 ||
                   b[i] == 0x65 || b[i] == 0xF0))
            break;
    }
    uint8_t op = b[i], op2 = i < 3 ? b[i + 1] : 0;
    if ((op >= 0xE4 && op <= 0xE7) || (op >= 0xEC && op <= 0xEF) || (op >= 0x6C && op <= 0x6F))
        return "port I/O not permitted by the I/O bitmap";
    if (op == 0xFA || op == 0xFB || op == 0xF4 || op == 0xCF ||
        (op == 0x0F && (op2 == 0x01 || op2 == 0x00 || op2 == 0x20 || op2 == 0x22 ||
                        op2 == 0x06 || op2 == 0x08 || op2 == 0x09 || op2 == 0x30 ||
                        op2 == 0x32)))
        return "privileged instruction at CPL 3";
    if (op == 0xCD)
        return "software interrupt to a vector apps may not raise";
    if ((op >= 0xA4 && op <= 0xA7) || (op >= 0xAA && op <= 0xAF && op != 0xAC && op != 0xAD)) {
        if ((tf->es & 0xFFFF) == SEL_DSAPP && (tf->ds & 0xFFFF) != SEL_DSAPP)
            return "string instruction through ES = DSAPP outside the app data region "
                   "(OS code must load ES itself: lib/string.c)";
    }
    if (cs_override)
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
    case 0:  return "divide error";
    case 1:  return "debug trap (single-step or breakpoint register)";
    case 3:  return "breakpoint (int3)";
    case 4:  return "overflow (into)";
    case 5:  return "bound range exceeded";
    case 6:  return "invalid opcode";
    case 8:  return "double fault: a fault while delivering another (events=task: into a busy "
                    "handler task)";
    case 11: return "segment not present";
    case 12: return "stack segment fault (stack overflow or limit)";
    case 13: return gp_meaning(tf);
    case 14:
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
    if (tf->vec == 14 && events_task && tf->cr2 == CR2_UNKNOWN)
        kprintf(" cr2=unknown");
    else if (tf->vec == 14)
        kprintf(" cr2=%08x", tf->cr2);
    kprintf(": %s\n", fault_meaning(tf));
}
