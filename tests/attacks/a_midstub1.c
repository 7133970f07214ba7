/* a_midstub1: the worker of a_midstub.  For attempts shm->next .. total-1:
 * call into stub + offset (each offset its own attempt, under the fault
 * handler), then look for DSOS in what the attempt left: the segment
 * registers after a normal return, and the general registers after a normal
 * return or in a delivered fault's context.  The OS may end this process (a
 * fault inside a service); a_midstub then starts a new worker at the next
 * offset.  Outcome codes: tests/attacks/a_midstub.h. */
#include "attack.h"
#include "a_midstub.h"

static struct mid_shm *sh;
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
/* The return address the stub gets is not in our code: it is land, in the
 * middle of land_zone (data: mapped, so executable under CSOS), where a
 * "jmp mid_back" is rewritten before every attempt.  The hardened epilogue
 * ends with "pop edx ... mov esp, edx; ret"; entered past its prologue it
 * pops that return address into ESP, and the OS then writes the resulting
 * fault's frame just below it: into land_zone's padding, not over the app's
 * code (app text is mapped writable). */
static uint8_t land_zone[32768] __attribute__((aligned(16)));
uint32_t mid_land;
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

static void land_reset(void)
{
    uint8_t *l = &land_zone[sizeof land_zone / 2];
    for (int i = -4096; i < 64; i++)
        l[i] = 0xCC;
    l[0] = 0xE9;                                /* jmp rel32 mid_back */
    uint32_t rel = (uint32_t)mid_back - (uint32_t)(l + 5);
    memcpy(l + 1, &rel, 4);
    mid_land = (uint32_t)l;
}

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

int main(void)
{
    sh = shm_get(MID_SHM_KEY, sizeof *sh);
    if (!sh || sh->magic != MID_MAGIC)
        return 2;
    probe_init();
    mid_scratch = (uint32_t)&scratch[16384 / 2];
    mid_msg = (uint32_t)msg;
    int idx = 0;
    for (int s = 0; s < MID_NSTUBS; s++)
        for (uint32_t off = 0; off < mid_stubs[s].len; off++, idx++) {
            if (idx < sh->next)
                continue;
            sh->out[idx] = 'K';         /* stays K if the OS ends us here */
            sh->next = idx + 1;
            for (int i = 16384 / 2 - 2048; i < 16384 / 2 + 2048; i++)
                scratch[i] = 0x0B0F0B0F;
            land_reset();
            mid_target = mid_stubs[s].base + off;
            mid_args = mid_stubs[s].args;
            int r = probe_call(mid_jump, 0);
            char o;
            uint32_t where = 0, sel = 0;
            if (!r) {
                struct probe_out p = probe_out;
                uint32_t segs[5] = { p.ds, p.es, p.fs, p.gs, p.ss };
                uint32_t regs[3] = { p.eax, p.ecx, p.edx };
                o = '.';
                for (int i = 0; i < 5 && o == '.'; i++)
                    if (seg_leaks(segs[i]))
                        o = 'L', where = i, sel = segs[i];
                for (int i = 0; i < 3 && o == '.'; i++)
                    if (leaks(regs[i]))
                        o = 'L', where = 10 + i, sel = regs[i];
            } else {
                struct klos_fault f = probe_last;
                uint32_t regs[8] = { f.ctx.edi, f.ctx.esi, f.ctx.ebp, f.ctx.esp,
                                     f.ctx.ebx, f.ctx.edx, f.ctx.ecx, f.ctx.eax };
                uint32_t v = r & 0xFF;
                o = v < 10 ? '0' + v : 'a' + v - 10;
                sh->vec[idx] = v;
                for (int i = 0; i < 8 && o != 'L'; i++)
                    if (leaks(regs[i]))
                        o = 'L', where = 20 + i, sel = regs[i];
            }
            if (o == 'L' && !sh->leak_sel) {
                sh->leak_sel = sel;
                sh->leak_where = (idx << 8) | where;
            }
            sh->out[idx] = o;
        }
    return 0;
}
