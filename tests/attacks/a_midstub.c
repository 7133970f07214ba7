/* a_midstub: jump into the middle of the service stubs, at every byte
 * offset of Design B (null, write), hardened Design B (null, write) and the
 * Design A trampoline -- each offset its own attempt, in its own worker
 * process ("a_midstub1 IDX"), which reports the outcome as its exit status:
 * no shared memory, so that the worker keeps plain Design B and Design A
 * (docs/DESIGN.md §5.3: a process with shared memory loses them).  After each attempt the worker checks whether a selector that
 * reads the OS region was left in a segment or general register (that is a
 * breach).
 *
 * What an offset can do: the only secret is the immediate of "mov ax, DSOS"
 * at bytes 2-3.  Entering at byte 1 decodes "B8 imm16 8E D8" as
 * mov eax, 0xD88E<DSOS>: the following "mov es, ax" (B, A) or "mov ss, ax"
 * (hardened) loads DSOS into ES or SS, while DS stays the app's.  The
 * service then runs with DS = DSAPP: under Bochs its first access to OS data
 * faults, the fault's frame holds DSOS in ES/SS, so the OS takes it as its own
 * and ends the process (K) -- or, for a service that touches no OS data
 * (null, write of 0 bytes), the epilogue reloads DSAPP and nothing is left.
 * Every other offset runs OS code with the app's own selectors: either it
 * returns, or it faults and the fault is the app's (a digit: the vector).
 *
 * Prints one ATTACK name=midstub_detail line per stub (a character per
 * offset) and ATTACK name=midstub ... result=contained | BREACH. */
#include "attack.h"
#include "a_midstub.h"

int main(void)
{
    static struct mid_shm out, *sh = &out;
    int total = 0;
    for (int s = 0; s < MID_NSTUBS; s++)
        total += mid_stubs[s].len;
    int workers = 0, ended = 0;
    for (int idx = 0; idx < total && idx < MID_MAX; idx++) {
        char arg[12];
        snprintf(arg, sizeof arg, "%d", idx);
        int st = 0, pid = spawn("a_midstub1", arg);
        if (pid < 0 || wait(pid, &st) != pid) {
            printf("ATTACK name=midstub result=ERROR why=spawn\n");
            return 2;
        }
        workers++;
        ended += st != 0;
        /* the worker's exit status: MID_EXIT_* (a_midstub.h), or 128 + vector
         * when the OS ended it */
        if (st == MID_EXIT_RET)
            sh->out[idx] = '.';
        else if (st > MID_EXIT_FAULT && st <= MID_EXIT_FAULT + 32) {
            uint32_t v = st - MID_EXIT_FAULT - 1;
            sh->out[idx] = v < 10 ? '0' + v : 'a' + v - 10;
            sh->vec[idx] = v;
        } else if (st >= MID_EXIT_LEAK && st < MID_EXIT_LEAK + 28) {
            sh->out[idx] = 'L';
            if (!sh->leak_where)
                sh->leak_where = (idx << 8) | (st - MID_EXIT_LEAK);
        } else
            sh->out[idx] = 'K';
    }
    int ret = 0, fault = 0, killed = 0, leak = 0, idx = 0;
    char line[MID_MAX + 1];
    for (int s = 0; s < MID_NSTUBS; s++) {
        int n = 0;
        for (uint32_t off = 0; off < mid_stubs[s].len; off++, idx++) {
            char c = sh->out[idx];
            line[n++] = c ? c : '?';
            ret += c == '.';
            killed += c == 'K';
            leak += c == 'L';
            fault += (c >= '0' && c <= '9') || (c >= 'a' && c <= 'v');
        }
        line[n] = 0;
        printf("ATTACK name=midstub_detail stub=%s base=%08x offsets=0..%u out=%s\n",
               mid_stubs[s].name, mid_stubs[s].base, mid_stubs[s].len - 1, line);
    }
    int done = ret + fault + killed + leak == total;
    printf("ATTACK name=midstub attempts=%d returned=%d app_faults=%d os_ended=%d leaks=%d "
           "workers=%d leak_sel=0x%x leak_at=%u/%u result=%s\n",
           total, ret, fault, killed, leak, workers, sh->leak_sel, sh->leak_where >> 8,
           sh->leak_where & 0xFF, leak ? "BREACH" : done ? "contained" : "INCOMPLETE");
    (void)ended;
    return 0;
}
