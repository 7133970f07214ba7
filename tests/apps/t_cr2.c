/* #PF in many instruction forms, each checked against the address the app
 * knows it touched: f->cr2 from the OS (the CPU's CR2 under the event core;
 * rebuilt from the instruction with events=task, os/fault/insn.c).  Prints
 * "t_cr2: FORM cr2=... ok" or "WRONG", then "t_cr2: N of N right".
 *
 * A fault on a stack write cannot reach the handler: the OS builds the fault
 * frame below the faulting ESP, in the page that just faulted (so the stack
 * reads below run with ESP <= E, the frame in the heap page under E).  Those forms
 * run as children ("t_cr2 FORM"), each printing "t_cr2: FORM expect cr2=X"
 * before it is ended; the boot test (tests/boot/cr2.py) matches X against the
 * OS's fault report, and the parent checks each ended by #PF.
 *
 * Forms the CPU makes in pieces (PUSHAD, LRET, FNSAVE, ...) in an order
 * CPUs differ on fault here with one piece only in the unmapped page: then
 * every order reports the same CR2 (os/fault/insn.h).
 *
 * E is the first page past the heap (unmapped: sbrk maps whole pages), with
 * mapped heap below it; F a fixed unmapped app address (moffs forms); the
 * stack is APP_STACK_PAGES (os/sched/proc.c) pages with nothing below. */
#include "user.h"

#define F 0xD0000000u
#define STACK_LO (APP_STACK_TOP - 16 * 4096)

uint32_t cr2_resume_eip, cr2_resume_esp, cr2_saved_ebp;
static volatile uint32_t got_vec, got_cr2, got_err, nfault;
/* .rodata: the loader makes only whole pages of it read-only (os/sched/proc.c) */
static const uint32_t ro[2048] __attribute__((aligned(4096))) = { 1, 2, 3, 4 };
static uint32_t buf[64];
static int right, total;

static int on_fault(struct klos_fault *f)
{
    if (!cr2_resume_eip)
        return 0;
    got_vec = f->vec;
    got_cr2 = f->cr2;
    got_err = f->err;
    nfault++;
    f->ctx.eip = cr2_resume_eip;
    f->ctx.esp = cr2_resume_esp;
    f->ctx.ebp = cr2_saved_ebp;
    f->ctx.eflags &= ~0x400u;
    cr2_resume_eip = 0;
    return 1;
}

/* Run insn with EAX..EDI set; a fault resumes after it with ESP, EBP and DF
 * restored (so insn may point ESP anywhere). */
#define TRY(insn, A, B, C, D, S, DI) do {                                           \
        uint32_t ra = (A), rb = (B), rc = (C), rd = (D), rs = (S), rdi = (DI);      \
        nfault = 0;                                                                 \
        got_cr2 = 0;                                                                \
        asm volatile("movl %%ebp, cr2_saved_ebp\n\tmovl %%esp, cr2_resume_esp\n\t"  \
                     "movl $1f, cr2_resume_eip\n\t" insn "\n"                       \
                     "1:\tmovl cr2_resume_esp, %%esp\n\tmovl cr2_saved_ebp, %%ebp\n\t" \
                     "cld\n\tmovl $0, cr2_resume_eip"                               \
                     : "+a"(ra), "+b"(rb), "+c"(rc), "+d"(rd), "+S"(rs), "+D"(rdi)  \
                     : : "memory", "cc");                                           \
    } while (0)

static void check(const char *form, uint32_t want)
{
    int ok = nfault == 1 && got_vec == 14 && got_cr2 == want;
    total++;
    right += ok;
    printf("t_cr2: %s cr2=%08x %s\n", form, got_cr2, ok ? "ok" : "WRONG");
    if (!ok)
        printf("t_cr2: %s wanted cr2=%08x: %u faults, vec %u err %x\n", form, want, nfault,
               got_vec, got_err);
}

#define CASE(form, want, insn, A, B, C, D, S, DI) do { \
        TRY(insn, A, B, C, D, S, DI);                  \
        check(form, want);                             \
    } while (0)
#define B_(form, want, insn, b) CASE(form, want, insn, 0, b, 0, 0, 0, 0)   /* EBX = b */

static void handled(uint32_t E)
{
    uint32_t bp = (uint32_t)buf;

    B_("load", E + 0x10, "movl (%%ebx), %%eax", E + 0x10);
    CASE("load-sib-scale4", E + 0x20, "movl 8(%%ebx,%%ecx,4), %%eax", 0, E, 6, 0, 0, 0);
    CASE("load-sib-nobase", F + 24, "movl 0xD0000000(,%%ecx,8), %%eax", 0, 0, 3, 0, 0, 0);
    CASE("load-sib-index-esi", E + 0x44, "movb 4(%%edi,%%esi,2), %%al", 0, 0, 0, 0, 0x20, E);
    CASE("load-disp8-neg", E + 0x100, "movl -8(%%esi), %%eax", 0, 0, 0, 0, E + 0x108, 0);
    CASE("load-wrap", E + 0x10, "movl 0x20(%%ebx,%%ecx,1), %%eax", 0, E, 0xFFFFFFF0u, 0, 0, 0);
    CASE("store", E + 0x200, "movl %%eax, 0x200(%%edi)", 0, 0, 0, 0, 0, E);
    CASE("store-ebp-disp32", E + 0x345, "movl %%edx, %%ebp; movl %%eax, 0x345(%%ebp)",
         0, 0, 0, E, 0, 0);
    B_("store-imm8", E + 0x11, "movb $7, 0x11(%%ebx)", E);
    B_("rmw-add", E + 0x30, "addl %%eax, (%%ebx)", E + 0x30);
    B_("rmw-inc", E + 0x34, "incl 4(%%ebx)", E + 0x30);
    B_("rmw-xchg", E + 0x38, "xchgl %%eax, (%%ebx)", E + 0x38);
    B_("rmw-cmpxchg", E + 0x3C, "lock cmpxchgl %%ecx, (%%ebx)", E + 0x3C);
    B_("rmw-xadd", E + 0x40, "xaddl %%eax, (%%ebx)", E + 0x40);
    B_("rmw-neg", E + 0x48, "negl (%%ebx)", E + 0x48);
    B_("rmw-shl", E + 0x4C, "shll $3, (%%ebx)", E + 0x4C);
    B_("cmp-mem", E + 0x50, "cmpl %%eax, (%%ebx)", E + 0x50);
    B_("test-imm", E + 0x54, "testl $1, (%%ebx)", E + 0x54);
    CASE("div", E + 0x58, "divl (%%ebx)", 1, E + 0x58, 0, 0, 0, 0);
    B_("setcc", E + 0x5C, "sete (%%ebx)", E + 0x5C);
    B_("movzx", E + 0x5D, "movzbl (%%ebx), %%eax", E + 0x5D);
    B_("movsx", E + 0x5E, "movswl (%%ebx), %%eax", E + 0x5E);
    B_("split-load", E, "movl (%%ebx), %%eax", E - 2);
    B_("split-store", E, "movl %%eax, (%%ebx)", E - 1);
    B_("split-store16", E, "movw %%ax, (%%ebx)", E - 1);
    CASE("bts-reg", E, "btsl %%ecx, (%%ebx)", 0, E - 0x100, 0x805, 0, 0, 0);
    CASE("bt-reg-neg", E, "btl %%ecx, (%%ebx)", 0, E + 0x100, (uint32_t)-0x800 + 3, 0, 0, 0);
    B_("bt-imm", E + 0x60, "btl $3, (%%ebx)", E + 0x60);
    CASE("moffs-load", F + 0x40, "movl 0xD0000040, %%eax", 0, 0, 0, 0, 0, 0);
    CASE("moffs-store8", F + 0x41, "movb %%al, 0xD0000041", 0, 0, 0, 0, 0, 0);
    CASE("xlat", E + 0x77, "xlat", 0x77, E, 0, 0, 0, 0);
    CASE("movsb-dst", E + 0x50, "movsb", 0, 0, 0, 0, bp, E + 0x50);
    CASE("movsl-src", E + 0x60, "movsl", 0, 0, 0, 0, E + 0x60, bp);
    CASE("movsl-src-ends-at-page", E + 0x10, "movsl", 0, 0, 0, 0, E - 4, E + 0x10);
    CASE("std-movsl-dst", E + 0x70, "std; movsl", 0, 0, 0, 0, bp + 64, E + 0x70);
    CASE("std-movsw-src", E + 0x72, "std; movsw", 0, 0, 0, 0, E + 0x72, bp + 64);
    CASE("rep-stosl", E, "rep stosl", 0, 0, 4, 0, 0, E - 8);
    CASE("rep-movsb", E, "rep movsb", 0, 0, 16, 0, bp, E - 5);
    CASE("std-rep-stosb-down", STACK_LO - 1, "std; rep stosb", 0, 0, 8, 0, 0, STACK_LO + 3);
    CASE("std-stosl-split", E, "std; stosl", 0, 0, 0, 0, 0, E - 2);
    CASE("cmpsb", E + 0x80, "cmpsb", 0, 0, 0, 0, bp, E + 0x80);
    CASE("scasl", E + 0x84, "scasl", 0, 0, 0, 0, 0, E + 0x84);
    CASE("lodsw", E + 0x88, "lodsw", 0, 0, 0, 0, E + 0x88, 0);
    B_("pop-mem", E + 0x90, "pushl $5; popl (%%ebx)", E + 0x90);
    B_("pop-mem-esp-base", E, "movl %%ebx, %%esp; popl 4(%%esp)", E - 8);
    B_("push-mem", E + 0x94, "pushl 0x94(%%ebx)", E);
    B_("push-mem-esp-base", E, "movl %%ebx, %%esp; pushl 8(%%esp)", E - 8);
    B_("call-mem", E + 0x98, "call *0x98(%%ebx)", E);
    B_("jmp-mem", E + 0x9C, "jmp *0x9C(%%ebx)", E);
    B_("lcall-mem-split", E, "lcall *(%%ebx)", E - 4);   /* the selector faults */
    B_("ljmp-mem-split", E, "ljmp *(%%ebx)", E - 4);
    B_("pop-bad-esp", E, "movl %%ebx, %%esp; popl %%eax", E);
    B_("pop-split-esp", E, "movl %%ebx, %%esp; popl %%eax", E - 2);
    B_("ret-bad-esp", E, "movl %%ebx, %%esp; ret", E);
    B_("ret-imm-split-esp", E, "movl %%ebx, %%esp; ret $8", E - 2);
    B_("leave-bad-ebp", E + 12, "movl %%ebx, %%ebp; leave", E + 12);
    B_("popad-split-esp", E, "movl %%ebx, %%esp; popal", E - 28);
    B_("popf-bad-esp", E, "movl %%ebx, %%esp; popfl", E);
    B_("lret-split-esp", E, "movl %%ebx, %%esp; lret", E - 4);
    B_("iret-split-esp", E, "movl %%ebx, %%esp; iret", E - 8);
    B_("x87-fstpl", E + 0xB0, "fninit; fldz; fstpl (%%ebx)", E + 0xB0);
    B_("x87-fstpl-split", E, "fninit; fldz; fstpl (%%ebx)", E - 4);
    B_("x87-fstpt-split", E, "fninit; fldz; fstpt (%%ebx)", E - 6);
    B_("x87-fldl", E + 0xB8, "fninit; fldl (%%ebx)", E + 0xB8);
    B_("x87-fildl", E + 0xC0, "fninit; fildl (%%ebx)", E + 0xC0);
    B_("x87-fistpl", E + 0xC4, "fninit; fld1; fistpl (%%ebx)", E + 0xC4);
    B_("x87-fnstcw", E + 0xC8, "fnstcw (%%ebx)", E + 0xC8);
    B_("x87-fnstsw", E + 0xCA, "fnstsw (%%ebx)", E + 0xCA);
    B_("x87-fnsave-split", E, "fninit; fnsave (%%ebx)", E - 106);
    B_("x87-frstor-split", E, "frstor (%%ebx)", E - 106);
    B_("x87-fnstenv-split", E, "fnstenv (%%ebx)", E - 26);
    B_("x87-fldenv-split", STACK_LO - 2, "fldenv (%%ebx)", STACK_LO - 2);  /* QEMU reads 12 of 28 */
    asm volatile("fninit");
    B_("ro-store", (uint32_t)&ro[1], "movl %%eax, (%%ebx)", (uint32_t)&ro[1]);
    B_("ro-rmw", (uint32_t)&ro[2], "incl (%%ebx)", (uint32_t)&ro[2]);
    CASE("fetch-call", 0x0F000000, "call *%%eax", 0x0F000000, 0, 0, 0, 0, 0);
    CASE("fetch-ret", 0x0F001234, "pushl %%eax; ret", 0x0F001234, 0, 0, 0, 0, 0);
    CASE("fetch-jmp", 0x0F00FFFF, "jmp *%%eax", 0x0F00FFFF, 0, 0, 0, 0, 0);
}

/* The stack-write forms, one per child: each is ended by its #PF. */
static const char *const children[] = {
    "push", "push-split", "call", "pushad", "pushf", "enter", "push-imm", "push-seg",
};

static void child(const char *form, uint32_t E)
{
    uint32_t want = 0;
    if (!strcmp(form, "push"))
        want = STACK_LO - 4;
    else if (!strcmp(form, "push-split") || !strcmp(form, "call") || !strcmp(form, "enter") ||
             !strcmp(form, "pushad"))
        want = E;
    else if (!strcmp(form, "pushf"))
        want = F + 4;
    else if (!strcmp(form, "push-imm"))
        want = E + 0x800;
    else if (!strcmp(form, "push-seg"))
        want = E + 0xC;
    printf("t_cr2: %s expect cr2=%08x\n", form, want);
    if (!strcmp(form, "push"))
        TRY("movl %%ebx, %%esp; pushl %%eax", 0, STACK_LO, 0, 0, 0, 0);
    else if (!strcmp(form, "push-split"))
        TRY("movl %%ebx, %%esp; pushl %%eax", 0, E + 2, 0, 0, 0, 0);
    else if (!strcmp(form, "call"))
        TRY("movl %%ebx, %%esp; call 2f; 2:", 0, E + 4, 0, 0, 0, 0);
    else if (!strcmp(form, "pushad"))
        TRY("movl %%ebx, %%esp; pushal", 0, E + 4, 0, 0, 0, 0);
    else if (!strcmp(form, "pushf"))
        TRY("movl %%ebx, %%esp; pushfl", 0, F + 8, 0, 0, 0, 0);
    else if (!strcmp(form, "enter"))
        TRY("movl %%ebx, %%esp; enter $16, $0", 0, E + 4, 0, 0, 0, 0);
    else if (!strcmp(form, "push-imm"))
        TRY("movl %%ebx, %%esp; pushl $1", 0, E + 0x804, 0, 0, 0, 0);
    else if (!strcmp(form, "push-seg"))
        TRY("movl %%ebx, %%esp; pushl %%ds", 0, E + 0x10, 0, 0, 0, 0);
    printf("t_cr2: %s NOT STOPPED\n", form);
    exit(1);
}

int main(int argc, char **argv)
{
    sbrk(4 * 4096);
    uint32_t E = ((uint32_t)sbrk(0) + 4095) & ~4095u;

    if (argc > 1)
        child(argv[1], E);
    if (klos_on_fault(on_fault) < 0) {
        printf("t_cr2: klos_on_fault failed\n");
        return 1;
    }
    handled(E);
    int ended = 0, n = sizeof children / sizeof children[0];
    for (int i = 0; i < n; i++) {
        int st = -1, pid = spawn("t_cr2", children[i]);
        if (pid > 0)
            wait(pid, &st);
        ended += st == 128 + 14;
        printf("t_cr2: %s child status %d %s\n", children[i], st, st == 128 + 14 ? "ok" : "WRONG");
    }
    printf("t_cr2: %d of %d right, %d of %d stack-write children ended by #PF\n", right, total,
           ended, n);
    return right == total && ended == n ? 0 : 1;
}
