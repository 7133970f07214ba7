/* a_midstub: jump into the middle of the service stubs, at every byte
 * offset of Design B (null, write), hardened Design B (null, write) and the
 * Design A trampoline -- each offset its own attempt (a_midstub1 does them;
 * when the OS ends a worker, this driver starts the next one at the next
 * offset).  After each attempt the worker checks whether a selector that
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
    struct mid_shm *sh = shm_get(MID_SHM_KEY, sizeof *sh);
    if (!sh) {
        printf("ATTACK name=midstub result=ERROR why=shm\n");
        return 2;
    }
    int total = 0;
    for (int s = 0; s < MID_NSTUBS; s++)
        total += mid_stubs[s].len;
    sh->magic = MID_MAGIC;
    sh->next = 0;
    sh->total = total;
    sh->leak_sel = sh->leak_where = 0;
    int workers = 0, ended = 0;
    while (sh->next < total && workers < MID_MAX) {
        int st = 0, pid = spawn("a_midstub1", "");
        if (pid < 0 || wait(pid, &st) != pid) {
            printf("ATTACK name=midstub result=ERROR why=spawn\n");
            return 2;
        }
        workers++;
        ended += st != 0;
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
