/* a_ports: privileged operations from an app, each under the fault handler:
 * port I/O (the I/O bitmap denies every port to apps; IOPL is 0), CLI/STI,
 * HLT, LGDT/LIDT/LTR/LLDT, MOV to CR0/CR3, MOV from CR0, WRMSR/RDMSR, INVD,
 * INT to DPL-0 vectors (an exception or IRQ vector), POPF that tries to set
 * IOPL or clear IF, a far call through the upcall-return gate outside any
 * upcall, and an ioperm request (refused: not a driver).  Every one must
 * raise #GP (or do nothing: POPF silently ignores IOPL/IF at CPL 3; the stray
 * gate call comes back), and the OS must still be running afterwards.  The
 * I/O-bitmap and POPF checks need Bochs or QEMU; both enforce them.
 * Prints ATTACK name=ports ... result=contained | BREACH. */
#include "attack.h"

#define OP(name, body)                                                        \
    void op_##name(uint32_t a);                                               \
    asm(".text\n.globl op_" #name "\nop_" #name ":\n" body "\n  ret\n")

OP(in_pic, "  inb $0x21, %al");
OP(out_pic, "  movb $0xff, %al\n  outb %al, $0x21");
OP(in_pit, "  inb $0x40, %al");
OP(out_cmos, "  movb $0x8f, %al\n  outb %al, $0x70");
OP(in_serial, "  movw $0x3f8, %dx\n  inb %dx, %al");
OP(out_qemu_exit, "  movw $0xf4, %dx\n  movb $0x5, %al\n  outb %al, %dx");
OP(out_bochs, "  movw $0x8900, %dx\n  movb $0x53, %al\n  outb %al, %dx");
OP(in_kbd, "  inb $0x60, %al");
OP(out_reset, "  movb $0xfe, %al\n  outb %al, $0x64");
OP(insb, "  movl 4(%esp), %edi\n  movw $0x3f8, %dx\n  insb");
OP(outsw, "  movl 4(%esp), %esi\n  movw $0x1f0, %dx\n  outsw");
OP(cli, "  cli");
OP(sti, "  sti");
OP(hlt, "  hlt");
OP(lgdt, "  movl 4(%esp), %eax\n  lgdt (%eax)");
OP(lidt, "  movl 4(%esp), %eax\n  lidt (%eax)");
OP(lldt, "  xorl %eax, %eax\n  lldt %ax");
OP(ltr, "  movw $0x28, %ax\n  ltr %ax");
OP(rd_cr0, "  movl %cr0, %eax");
OP(wr_cr0, "  xorl %eax, %eax\n  movl %eax, %cr0");
OP(wr_cr3, "  xorl %eax, %eax\n  movl %eax, %cr3");
OP(wrmsr, "  movl $0x174, %ecx\n  xorl %eax, %eax\n  xorl %edx, %edx\n  wrmsr");
OP(rdmsr, "  movl $0x176, %ecx\n  rdmsr");
OP(invd, "  invd");
OP(wbinvd, "  wbinvd");
OP(invlpg, "  invlpg 0x00100000");
OP(clts, "  clts");
OP(int_gp, "  int $13");
OP(int_pf, "  int $14");
OP(int_irq0, "  int $32");
OP(int_irq1, "  int $33");
OP(int_nmi, "  int $2");
OP(int_df, "  int $8");
OP(int_high, "  int $0x80");

/* POPF with IOPL=3 and IF=0: ignored at CPL 3 (no fault); read back. */
uint32_t popf_after;
OP(popf_iopl, "  pushfl\n  movl (%esp), %eax\n  orl $0x3000, %eax\n  andl $~0x200, %eax\n"
              "  pushl %eax\n  popfl\n  pushfl\n  popl %eax\n  movl %eax, popf_after\n  popfl");
/* The upcall-return gate outside an upcall: the event core sends it back
 * (DS/ES come back null; probe_call reloads DSAPP). */
OP(gate, "  lcall $0x33, $0");

struct op {
    const char *name;
    void (*fn)(uint32_t);
};
#define E(n) { #n, op_##n }
static const struct op ops[] = {
    E(in_pic), E(out_pic), E(in_pit), E(out_cmos), E(in_serial), E(out_qemu_exit),
    E(out_bochs), E(in_kbd), E(out_reset), E(insb), E(outsw), E(cli), E(sti), E(hlt),
    E(lgdt), E(lidt), E(lldt), E(ltr), E(rd_cr0), E(wr_cr0), E(wr_cr3), E(wrmsr), E(rdmsr),
    E(invd), E(wbinvd), E(invlpg), E(clts), E(int_gp), E(int_pf), E(int_irq0), E(int_irq1),
    E(int_nmi), E(int_df), E(int_high),
};

static char buf[64];
static struct dtr bogus = { 0xFFFF, 0 };

int main(void)
{
    probe_init();
    int gp = 0, other = 0, none = 0;
    char bad[160] = "";
    int bl = 0;
    for (unsigned i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        uint32_t arg = !strcmp(ops[i].name, "lgdt") || !strcmp(ops[i].name, "lidt")
                           ? (uint32_t)&bogus : (uint32_t)buf;
        int r = probe_call(ops[i].fn, arg);
        if (r && (r & 0xFF) == 13) {
            gp++;
        } else {
            if (r)
                other++;
            else
                none++;
            bl += snprintf(bad + bl, sizeof bad - bl, "%s%s:%s", bl ? "," : "", ops[i].name,
                           r ? "vec" : "ran");
            if (r)
                bl += snprintf(bad + bl, sizeof bad - bl, "%u", r & 0xFF);
        }
    }
    /* not faults by design: */
    int rp = probe_call(op_popf_iopl, 0);
    int popf_ok = !rp && !(popf_after & 0x3000) && (popf_after & 0x200);
    int rg = probe_call(op_gate, 0);
    int gate_ok = !rg || (rg & 0xFF) == 13;
    int io = klos_ioperm(0x3F8, 8);
    int ioperm_ok = io < 0;
    /* still alive, and the OS with us */
    int pid = getpid();
    int ok = !other && !none && popf_ok && gate_ok && ioperm_ok && pid > 0;
    printf("ATTACK name=ports ops=%u gp=%d other=%d ran=%d%s%s popf_iopl_ignored=%s "
           "eflags_after=0x%x stray_gate=%s ioperm=%d pid=%d result=%s\n",
           (unsigned)(sizeof ops / sizeof ops[0]), gp, other, none, bl ? " not_gp=" : "", bad,
           popf_ok ? "yes" : "NO", popf_after, rg ? "gp" : "returned", io, pid,
           ok ? "contained" : "BREACH");
    return 0;
}
