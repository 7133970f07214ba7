/* a_spin: an endless-looking loop that makes no service call, beside a
 * bystander.  With apps=par, a_spin and a_spinby start together; a_spin
 * spins ~SPIN_ITERS iterations (several seconds of emulated time) touching
 * nothing but registers, so only the timer's preemption can let the
 * bystander run.  The bystander (a_spinby) does its work, then sets a flag in
 * shared memory.  When a_spin's spin ends it reads the flag: set means the
 * bystander finished while a_spin was hogging the CPU.
 * Prints ATTACK name=spin bystander_done_first=0|1 result=contained|FAIL. */
#include "attack.h"
#include "a_spin.h"

int main(void)
{
    struct spin_shm *s = shm_get(SPIN_SHM_KEY, sizeof *s);
    if (!s) {
        printf("ATTACK name=spin result=ERROR why=shm\n");
        return 2;
    }
    int t0 = uptime();
    uint32_t n = SPIN_ITERS;
    asm volatile("1: decl %0\n\tjnz 1b" : "+r"(n) : : "cc");
    int done = s->done;
    int t1 = uptime();
    printf("ATTACK name=spin spin_ticks=%d bystander_done_first=%d bystander_ticks=%d "
           "result=%s\n", t1 - t0, done, done ? (int)s->ticks : -1, done ? "contained" : "FAIL");
    return 0;
}
