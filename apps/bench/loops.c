/* The bench app's timed loops, in assembly (GAS, AT&T syntax) inside a C file
 * so that the service numbers and stub addresses come straight from the
 * generated build/gen/klos_svc.h: every call below is a direct call to a
 * fixed address, exactly what an app compiled against klos_svc.h does.
 *
 * A body is  void body(uint32_t iters)  (cdecl) and keeps EBX, ESI, EDI, EBP.
 * bench_time() runs one body inside a serialised RDTSC window:
 *     xor eax,eax; cpuid; rdtsc  ...body...  xor eax,eax; cpuid; rdtsc
 * (CPUID serialises on every x86 since the P5; a Pentium has no RDTSCP or
 * LFENCE).  The window's fixed cost is measured with body_empty (or
 * body_cfn calling an empty C function) and subtracted by bench.c.
 *
 * Register use of what is called: a Design B stub clobbers EAX, ECX (and the
 * service EDX) and keeps ES (the paper's loads DSAPP into it); the hardened
 * stub EDX too; int/lcall/sysenter entries keep
 * everything but what SYSENTER needs (ECX, EDX).  The loop counter is EBX. */
#include "user.h"

#define S_(x) #x
#define S(x) S_(x)

_Static_assert(SVC_null49 == SVC_null0 + 49, "null0..null49 must be consecutive");

/* void (*bench_cfn)(void): what body_cfn calls (context switch, IPC). */
void (*bench_cfn)(void);
uint32_t irq_min, irq_sum, irq_step, irq_last, irq_status, irq_other;

__asm__(
"    .set B_BASE, " S(SVC_B_BASE) "\n"
"    .set H_BASE, " S(SVC_H_BASE) "\n"
"    .set A_BASE, " S(SVC_A_BASE) "\n"
"    .set N_NULL, " S(SVC_null) "\n"
"    .set N_NULL0, " S(SVC_null0) "\n"
"    .set N_UPTIME, " S(SVC_uptime) "\n"
"    .set V_TRAP, " S(VEC_TRAPBENCH) "\n"
"    .set V_FLUSH, " S(VEC_FLUSHBENCH) "\n"
"    .set V_UPCALL, " S(VEC_UPCALL) "\n"
"    .set SEL_GATEB, " S(SEL_GATE_BENCH) "\n"
"    .set SEL_CS, " S(SEL_CSOS) "\n"
"    .set SEL_SS, " S(SEL_DSAPP) "\n"
/* A fixed pseudo-random order of null0..null49: the same order as the native
 * harness (tools/bench/native/bench.asm), so both run the identical average case. */
"    .macro FOR_PERM m\n"
"    .irp n, 17,31,7,16,32,35,40,46,24,21,15,26,4,48,36,30,29,44,34,22,"
            "12,11,3,18,14,20,43,1,37,19,5,27,45,25,2,41,8,10,28,9,"
            "47,49,39,42,6,23,13,38,0,33\n"
"    \\m \\n\n"
"    .endr\n"
"    .endm\n"

"    .text\n"
/* ---- the near-call floor: null functions local to the app ---- */
"    .p2align 4\n"
"bench_null:\n"
"    xorl %eax, %eax\n"
"    ret\n"
"    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,"
            "25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49\n"
"    .p2align 4\n"
"bench_null\\n:\n"
"    xorl %eax, %eax\n"
"    ret\n"
"    .endr\n"

/* ---- one call of each mechanism; the _N forms take a service index ---- */
"    .macro C_near n=-1\n"
"    .if \\n < 0\n"
"    call bench_null\n"
"    .else\n"
"    call bench_null\\n\n"
"    .endif\n"
"    .endm\n"
"    .macro C_designB n=-1\n"
"    .if \\n < 0\n"
"    call B_BASE + N_NULL * 4096\n"
"    .else\n"
"    call B_BASE + (N_NULL0 + \\n) * 4096\n"
"    .endif\n"
"    .endm\n"
/* The paper's Design B (four segment loads), the null service only. */
"    .macro C_designBp n=-1\n"
"    call svcBp_null\n"
"    .endm\n"
"    .macro C_designBh n=-1\n"
"    .if \\n < 0\n"
"    call H_BASE + N_NULL * 4096\n"
"    .else\n"
"    call H_BASE + (N_NULL0 + \\n) * 4096\n"
"    .endif\n"
"    .endm\n"
"    .macro C_designA n=-1\n"     /* int svcA_entry(int n, int a1, a2, a3, a4) */
"    pushl $0\n"
"    pushl $0\n"
"    pushl $0\n"
"    pushl $0\n"
"    .if \\n < 0\n"
"    pushl $N_NULL\n"
"    .else\n"
"    pushl $(N_NULL0 + \\n)\n"
"    .endif\n"
"    call A_BASE\n"
"    addl $20, %esp\n"
"    .endm\n"
/* The single-entry mechanisms ignore n: the average case is the same call. */
"    .macro C_gate n=-1\n"
"    lcall $SEL_GATEB, $0\n"
"    .endm\n"
"    .macro C_trap n=-1\n"
"    int $V_TRAP\n"
"    .endm\n"
"    .macro C_upcall n=-1\n"
"    int $V_UPCALL\n"
"    .endm\n"
/* SYSENTER: EDX = where to return, ECX = ESP.  The entry's SYSEXIT lands on
 * the OS's sysexit_tramp, which reloads SS and CS from the GDT (SYSEXIT's
 * flat ones would let an app read the OS, docs/DESIGN.md §11) and returns
 * here; the reloads are inside the timed path. */
"    .macro C_sysenter n=-1\n"
"    movl %esp, %ecx\n"
"    movl $7f, %edx\n"
"    sysenter\n"
"7:\n"
"    .endm\n"

/* ---- bodies ---- */
"    .macro BODY name\n"
"    .globl body_\\name\n"
"    .p2align 6\n"
"body_\\name:\n"
"    pushl %ebx\n"
"    movl 8(%esp), %ebx\n"
"9:  C_\\name\n"
"    decl %ebx\n"
"    jnz 9b\n"
"    popl %ebx\n"
"    ret\n"
"    .endm\n"

/* Average case: one round = 50 calls, each from its own call site. */
"    .macro AVG name\n"
"    .globl body_avg_\\name\n"
"    .p2align 6\n"
"body_avg_\\name:\n"
"    pushl %ebx\n"
"    movl 8(%esp), %ebx\n"
"9:\n"
"    FOR_PERM C_\\name\n"
"    decl %ebx\n"
"    jnz 9b\n"
"    popl %ebx\n"
"    ret\n"
"    .endm\n"

"    .globl body_empty\n"
"    .p2align 6\n"
"body_empty:\n"
"    pushl %ebx\n"
"    movl 8(%esp), %ebx\n"
"9:  decl %ebx\n"
"    jnz 9b\n"
"    popl %ebx\n"
"    ret\n"

/* Calls *bench_cfn once per iteration (a C function: yield, IPC round trip). */
"    .globl body_cfn\n"
"    .p2align 6\n"
"body_cfn:\n"
"    pushl %ebx\n"
"    movl 8(%esp), %ebx\n"
"9:  call *bench_cfn\n"
"    decl %ebx\n"
"    jnz 9b\n"
"    popl %ebx\n"
"    ret\n"

/* The TSC-kind probe: 8 dependent IMULs + dec + jnz = 10 instructions per
 * iteration, at least 24 cycles on any real x86 (IMUL latency >= 3). */
"    .globl body_probe\n"
"    .p2align 6\n"
"body_probe:\n"
"    pushl %ebx\n"
"    movl 8(%esp), %ebx\n"
"    movl $3, %ecx\n"
"9:  imull %ecx, %ecx\n"
"    imull %ecx, %ecx\n"
"    imull %ecx, %ecx\n"
"    imull %ecx, %ecx\n"
"    imull %ecx, %ecx\n"
"    imull %ecx, %ecx\n"
"    imull %ecx, %ecx\n"
"    imull %ecx, %ecx\n"
"    decl %ebx\n"
"    jnz 9b\n"
"    popl %ebx\n"
"    ret\n"

"    BODY near\n"
"    BODY designB\n"
"    BODY designBp\n"
"    BODY designBh\n"
"    BODY designA\n"
"    BODY gate\n"
"    BODY trap\n"
"    BODY sysenter\n"
"    BODY upcall\n"
"    AVG near\n"
"    AVG designB\n"
"    AVG designBh\n"
"    AVG designA\n"
"    AVG gate\n"
"    AVG trap\n"
"    AVG sysenter\n"
"    AVG upcall\n"

/* uint64_t bench_time(body_fn *body, uint32_t iters, int cold)
 * TSC ticks for body(iters).  cold: first WBINVD + TLB flush by the bench-only
 * ring-0 event, outside the window. */
"    .globl bench_time\n"
"    .p2align 6\n"
"bench_time:\n"
"    pushl %ebp\n"
"    pushl %edi\n"
"    pushl %esi\n"
"    pushl %ebx\n"
"    movl 20(%esp), %ebp\n"
"    movl 24(%esp), %edi\n"
"    cmpl $0, 28(%esp)\n"
"    je 1f\n"
"    int $V_FLUSH\n"
"1:  xorl %eax, %eax\n"
"    cpuid\n"
"    rdtsc\n"
"    movl %eax, %esi\n"
"    pushl %edx\n"
"    pushl %edi\n"
"    call *%ebp\n"
"    addl $4, %esp\n"
"    xorl %eax, %eax\n"
"    cpuid\n"
"    rdtsc\n"
"    popl %ecx\n"
"    subl %esi, %eax\n"
"    sbbl %ecx, %edx\n"
"    popl %ebx\n"
"    popl %esi\n"
"    popl %edi\n"
"    popl %ebp\n"
"    ret\n"

/* uint32_t irq_spin(uint32_t threshold, uint32_t count, int cold, uint32_t limit)
 * Spin reading the TSC; a step between two reads larger than threshold is an
 * event that ran in between.  At each such step uptime() tells (hardened B:
 * the bench holds shared memory by now, so plain B is gone, docs/DESIGN.md §5.3)
 * whether it was the timer: a step with one new tick counts, a step with none
 * (an SMI, another IRQ, an emulator's exit) is only counted in irq_other, two
 * or more new ticks mean one was missed: give up (irq_status = 2).  Returns
 * the sum of the first `count` timer steps, or 0 (irq_status = 1 if `limit`
 * loop iterations passed first).  irq_min gets the smallest ordinary step (one
 * whole loop iteration; the short first step after each (re)start is not
 * counted: EBX flags it).  cold: WBINVD + TLB flush before the first step and
 * after each counted one.  After every event the TSC is read afresh, so
 * neither uptime() nor a flush is counted. */
"    .globl irq_spin\n"
"    .p2align 6\n"
"irq_spin:\n"
"    pushl %ebp\n"
"    pushl %edi\n"
"    pushl %esi\n"
"    pushl %ebx\n"
"    movl 20(%esp), %ebp\n"
"    movl 32(%esp), %edi\n"
"    movl $0, irq_sum\n"
"    movl $0, irq_status\n"
"    movl $-1, irq_min\n"
"    call H_BASE + N_UPTIME * 4096\n"
"    movl %eax, irq_last\n"
"    cmpl $0, 28(%esp)\n"
"    je 1f\n"
"    int $V_FLUSH\n"
"1:  movl $1, %ebx\n"
"    rdtsc\n"
"    movl %eax, %esi\n"
"2:  rdtsc\n"
"    movl %eax, %ecx\n"
"    subl %esi, %ecx\n"
"    movl %eax, %esi\n"
"    cmpl %ebp, %ecx\n"
"    ja 4f\n"
"    testl %ebx, %ebx\n"
"    jnz 5f\n"
"    cmpl irq_min, %ecx\n"
"    jae 3f\n"
"    movl %ecx, irq_min\n"
"3:  decl %edi\n"
"    jnz 2b\n"
"    movl $1, irq_status\n"
"    xorl %eax, %eax\n"
"    jmp 7f\n"
"5:  xorl %ebx, %ebx\n"
"    jmp 3b\n"
"4:  movl %ecx, irq_step\n"
"    call H_BASE + N_UPTIME * 4096\n"
"    movl %eax, %ecx\n"
"    subl irq_last, %ecx\n"
"    movl %eax, irq_last\n"
"    cmpl $1, %ecx\n"
"    jb 8f\n"
"    ja 9f\n"
"    movl irq_step, %eax\n"
"    addl %eax, irq_sum\n"
"    decl 24(%esp)\n"
"    jz 6f\n"
"    cmpl $0, 28(%esp)\n"
"    je 1b\n"
"    int $V_FLUSH\n"
"    jmp 1b\n"
"8:  incl irq_other\n"
"    jmp 1b\n"
"9:  movl $2, irq_status\n"
"    xorl %eax, %eax\n"
"    jmp 7f\n"
"6:  movl irq_sum, %eax\n"
"7:  popl %ebx\n"
"    popl %esi\n"
"    popl %edi\n"
"    popl %ebp\n"
"    ret\n"
);
