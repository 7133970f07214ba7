/* a_byst: the bystander of the robustness attacks (bystander.h).  Its
 * registers (a hash kept in registers) and its memory (64 KiB of a known
 * pattern, one physical frame after another) must come through every attack
 * unchanged. */
#include "user.h"
#include "bystander.h"
#include "../reghash.h"

#define NPAGES 16
#define MAX_TICKS 60000

static uint32_t pages[NPAGES][1024] __attribute__((aligned(4096)));

static uint32_t pattern(int i, int j)
{
    return ((uint32_t)i << 16 | j) * 2654435761u;
}


static int memory_bad(void)
{
    int bad = 0;
    for (int i = 0; i < NPAGES; i++)
        for (int j = 0; j < 1024; j++)
            bad += pages[i][j] != pattern(i, j);
    return bad;
}

int main(int argc, char **argv)
{
    struct byst_shm *sh = byst_shm();
    if (argc > 1 && sh) {                       /* a helper of an attacker (bystander.h) */
        if (!strcmp(argv[1], "leave")) {
            sh->left++;
            return 0;
        }
        sh->attackers++;
        while (!sh->ready)
            sleep(1);
        return 0;
    }
    if (!sh) {
        printf("bystander: no shared region: WRONG\n");
        return 1;
    }
    for (int i = 0; i < NPAGES; i++)
        for (int j = 0; j < 1024; j++)
            pages[i][j] = pattern(i, j);
    unsigned h0 = reg_hash(20000);
    int rounds = 0, bad_regs = 0, bad_mem = 0, t0 = uptime();
    sh->ready = 1;
    while ((!sh->attackers || sh->left < sh->attackers) && uptime() - t0 < MAX_TICKS) {
        bad_regs += reg_hash(20000) != h0;
        bad_mem += memory_bad();
        rounds++;
        sleep(1);
    }
    int timeout = uptime() - t0 >= MAX_TICKS;
    printf("bystander: %d rounds while %d attacker(s) ran; registers %s, memory %s: %s\n",
           rounds, sh->attackers, bad_regs ? "CHANGED" : "intact",
           bad_mem ? "CHANGED" : "intact",
           bad_regs || bad_mem ? "WRONG" : timeout ? "attackers never left: WRONG" : "ok");
    return bad_regs || bad_mem || timeout;
}
