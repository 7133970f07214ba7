/* Spin with DS = ES = FS = GS = the null selector (legal at CPL 3 while no
 * memory is touched through them).  The timer must still preempt this app:
 * the OS decides "in OS code" by DS == DSOS, not by DS != DSAPP.  The two
 * t_spin counters must advance while this loop runs. */
#include "user.h"
#include "t_spin.h"

int main(void)
{
    struct spin_shm *sh = spin_shm();
    if (!sh) {
        printf("nullds: no shared region\n");
        return 1;
    }
    while (sh->next_id < 2)
        sleep(1);
    unsigned a = sh->ctr[0], b = sh->ctr[1], n = 60000000, ds;
    asm volatile("movw %%ds, %%dx; pushl %%edx; xorl %%eax, %%eax; "
                 "movw %%ax, %%ds; movw %%ax, %%es; movw %%ax, %%fs; movw %%ax, %%gs; "
                 "1: decl %%ecx; jnz 1b; "
                 "movw %%ds, %%ax; movl %%eax, %1; "
                 "popl %%edx; movw %%dx, %%ds; movw %%dx, %%es"
                 : "+c"(n), "=m"(ds) : : "eax", "edx", "memory");
    unsigned da = sh->ctr[0] - a, db = sh->ctr[1] - b;
    sh->nullds_done = 1;
    int ok = da && db && (ds & 0xFFFF) == 0;
    printf("nullds: DS was %x during the loop; spinners advanced +%u +%u meanwhile: %s\n",
           ds & 0xFFFF, da, db, ok ? "preempt ok" : "NOT preempted");
    return !ok;
}
