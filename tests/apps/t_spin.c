/* A pure busy loop: no service call between "start" and "done".  Two copies
 * run at once (apps=par).  Each counts its own iterations in a shared page
 * and watches the other's counter: if the other advances while this loop
 * never gave up the CPU, the timer preempted this app.  The loop ends when
 * both spinners have seen each other advance SEEN times and t_sleeper and
 * t_nullds are done, or after LIMIT iterations (then it says NOT). */
#include "user.h"
#include "t_spin.h"

#define SEEN 3
#define LIMIT 0x7FFFFFFFu

int main(void)
{
    struct spin_shm *sh = spin_shm();
    if (!sh) {
        printf("spin: no shared region\n");
        return 1;
    }
    int id = __sync_fetch_and_add(&sh->next_id, 1), other = !id;
    if (id > 1) {
        printf("spin: more than two spinners\n");
        return 1;
    }
    printf("spin %d start\n", id);

    unsigned last = sh->ctr[other], i;
    int seen = 0;
    for (i = 0; i < LIMIT; i++) {
        sh->ctr[id]++;
        if (i & 0xFFFF)
            continue;
        if (sh->ctr[other] != last) {
            last = sh->ctr[other];
            sh->seen[id] = ++seen;
        }
        if (sh->seen[0] >= SEEN && sh->seen[1] >= SEEN && sh->sleeper_done && sh->nullds_done)
            break;
    }
    /* The loop is over: from here on service calls are fine. */
    printf("spin %d done after %u iterations: the other spinner advanced %d times while this "
           "loop ran: %s\n", id, i, seen, seen >= SEEN ? "preempt ok" : "NOT preempted");
    return seen < SEEN;
}
