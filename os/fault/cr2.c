/* The #PF linear address rebuilt at ring 3 from the saved context and the
 * faulting instruction (os/fault/insn.c): where the CPU's CR2 is not at hand
 * (MOV from CR2 is CPL 0 only, and no TSS holds it).  The OS and the apps
 * run at CPL 3, so every access is a user access: a page needs U on its PDE
 * and PTE, and W on both for a write (CR0.WP plays no part at CPL 3). */
#include "os.h"
#include "fault/fault.h"
#include "mm/vm.h"
#include "mm/uvm.h"
#include "fault/insn.h"

static int page(uint32_t va)
{
    uint32_t pte = vm_lookup(vm_current(), va), e = vm_current()[PDX(va)];
    if (!pte)
        return 0;
    return INSN_PG_P | ((e & pte & PTE_W) ? INSN_PG_W : 0) | ((e & pte & PTE_U) ? INSN_PG_U : 0);
}

/* The instruction's bytes at eip, as far as the app could fetch them: page
 * by page, only from present user pages (eip is the app's choice, and a
 * ring-3 read of a supervisor page -- the event core's -- would fault). */
int fault_insn_bytes(uint32_t eip, uint8_t b[15])
{
    int n = 0;
    while (n < 15) {
        uint32_t va = eip + n, k = 4096 - (va & 0xFFF);
        if (k > 15u - n)
            k = 15 - n;
        if (uvm_copy(vm_current(), va, b + n, k, 0) < 0)
            break;
        n += k;
    }
    return n;
}

int fault_addr(const struct trapframe *tf, uint32_t *cr2)
{
    uint8_t b[15];
    int n = fault_insn_bytes(tf->eip, b);
    struct insn_regs r = { tf->eax, tf->ecx, tf->edx, tf->ebx, tf->esp, tf->ebp, tf->esi,
                           tf->edi, tf->eip, tf->eflags };
    return insn_fault_addr(b, n, &r, tf->err, page, cr2);
}
