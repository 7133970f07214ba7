/* a_midstub1 IDX: the worker of a_midstub, for attempt IDX: call into
 * stub + offset (under the fault handler), then look for DSOS in what the
 * attempt left: the segment registers after a normal return, and the general
 * registers after a normal return or in a delivered fault's context.  The
 * outcome is the exit status (MID_EXIT_*, tests/attacks/a_midstub.h); the OS
 * may end this process instead (a fault inside a service).  No shared memory:
 * it would take plain Design B and Design A away (docs/DESIGN.md §5.3). */
#include "attack.h"
#include "a_midstub.h"

/* The scratch area every pointer register points into: filled with UD2
 * (0F 0B) before each attempt, so that whatever a stray RET pops from it
 * (0x0B0F0B0F: unmapped) or jumps into faults at once, and so that an ESP
 * loaded from a register lands here -- the OS then writes the fault frame
 * into this junk, not over the app's (writable) code. */
static uint32_t scratch[16384];
static const char msg[] = "x";
uint32_t mid_target, mid_args, mid_scratch, mid_msg;

/* Registers going in: EAX = DSAPP (so "mov ds, ax" / "mov ss, ax" entries
 * load the app's own selector), EBX/ESI/EDI/EDX = a scratch buffer, ECX = 0.
 * (All of them point into scratch[].)  Arguments as for write(1, "x", 0) (a write of nothing) or, for Design A,
 * getpid's number.  EAX/ECX/EDX are left as the stub left them. */
/* The return address the stub gets is land, a "jmp mid_back" in the middle
 * of land_zone: app text (the sealed layout executes nothing else), padded
 * with INT3.  The hardened epilogue ends with "pop edx ... mov esp, edx; ret";
 * entered past its prologue it pops that return address into ESP: a stack in
 * the code region, where the OS cannot build a fault frame for the app (it
 * ends the app instead, K). */
uint32_t mid_land;
extern char land[];
asm(".text\n"
    "  .p2align 4\n"
    "  .fill 4096, 1, 0xCC\n"
    "land:\n"
    "  jmp mid_back\n"
    "  .fill 64, 1, 0xCC\n");
void mid_jump(uint32_t unused);
void mid_back(void);
asm(".text\n"
    ".globl mid_jump\n"
    "mid_jump:\n"
    "  pushl %ebp\n"
    "  movl %esp, %ebp\n"
    "  cmpl $1, mid_args\n"
    "  jne 1f\n"
    "  pushl $0\n"
    "  pushl mid_msg\n"
    "  pushl $1\n"
    "  jmp 3f\n"
    "1:\n"
    "  cmpl $2, mid_args\n"
    "  jne 3f\n"
    "  pushl $0\n"
    "  pushl $0\n"
    "  pushl $0\n"
    "  pushl $0\n"
    "  pushl $4\n"                          /* SVC_getpid */
    "3:\n"
    "  pushl mid_land\n"                    /* the stub's return address */
    "  movl mid_scratch, %ebx\n"
    "  movl %ebx, %esi\n"
    "  movl %ebx, %edi\n"
    "  movl %ebx, %edx\n"
    "  xorl %ecx, %ecx\n"
    "  movl $0x23, %eax\n"
    "  jmp *mid_target\n"
    ".globl mid_back\n"
    "mid_back:\n"
    "  movl %ebp, %esp\n"
    "  popl %ebp\n"
    "  ret\n");

/* Does v's low half name a segment that reads the OS region? */
static int leaks(uint32_t v)
{
    uint32_t s = v & 0xFFFF;
    if ((s & 3) != 3 || s == SEL_DSAPP || s == SEL_CSOS || s == SEL_GATE || s == SEL_GATE_BENCH)
        return 0;
    return sel_is_os(s, 0);
}

static int seg_leaks(uint32_t s)
{
    s &= 0xFFFF;
    return s && s != SEL_DSAPP && sel_is_os(s, 0);
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return 2;
    int want = atoi(argv[1]), idx = 0;
    probe_init();
    mid_scratch = (uint32_t)&scratch[16384 / 2];
    mid_msg = (uint32_t)msg;
    mid_land = (uint32_t)land;
    for (int s = 0; s < MID_NSTUBS; s++)
        for (uint32_t off = 0; off < mid_stubs[s].len; off++, idx++) {
            if (idx != want)
                continue;
            for (int i = 16384 / 2 - 2048; i < 16384 / 2 + 2048; i++)
                scratch[i] = 0x0B0F0B0F;
            mid_target = mid_stubs[s].base + off;
            mid_args = mid_stubs[s].args;
            int r = probe_call(mid_jump, 0);
            int code = MID_EXIT_RET, where = -1;
            uint32_t sel = 0;
            if (!r) {
                struct probe_out p = probe_out;
                uint32_t segs[5] = { p.ds, p.es, p.fs, p.gs, p.ss };
                uint32_t regs[3] = { p.eax, p.ecx, p.edx };
                for (int i = 0; i < 5 && where < 0; i++)
                    if (seg_leaks(segs[i]))
                        where = i, sel = segs[i];
                for (int i = 0; i < 3 && where < 0; i++)
                    if (leaks(regs[i]))
                        where = 10 + i, sel = regs[i];
            } else {
                struct klos_fault f = probe_last;
                uint32_t regs[8] = { f.ctx.edi, f.ctx.esi, f.ctx.ebp, f.ctx.esp,
                                     f.ctx.ebx, f.ctx.edx, f.ctx.ecx, f.ctx.eax };
                code = MID_EXIT_FAULT + 1 + (r & 0xFF);
                for (int i = 0; i < 8 && where < 0; i++)
                    if (leaks(regs[i]))
                        where = 20 + i, sel = regs[i];
            }
            if (where >= 0) {
                printf("ATTACK name=midstub_leak idx=%d stub=%s off=%u where=%d sel=0x%x\n",
                       idx, mid_stubs[s].name, off, where, sel);
                code = MID_EXIT_LEAK + where;
            }
            return code;
        }
    return 2;
}
