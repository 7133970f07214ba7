/* IPC: spawn t_pong, then 10,000 round trips: send {seq, payload} and
 * receive {seq + 1, payload reversed}; every reply must come from the child,
 * in order, with the right bytes.  Then a shared region: this app fills it,
 * the child checks it and writes its own pattern back, checked here. */
#include "user.h"
#include "t_pong.h"

int main(void)
{
    int child = spawn("t_pong", 0), bad = 0, n;
    struct msg m, r;

    if (child <= 0) {
        printf("ping: spawn t_pong failed: %d\n", child);
        return 1;
    }
    klos_hardened = 1;                  /* shared memory: no plain Design B from here */
    if (klosH_shm_create(PING_SHM_KEY, PING_SHM_SIZE) < 0) {
        printf("ping: shm_create failed\n");
        return 1;
    }
    volatile uint32_t *sh = klosH_shm_map(PING_SHM_KEY);
    for (int i = 0; i < PING_SHM_SIZE / 4; i++)
        sh[i] = 0xA5000000u + i;

    int t0 = uptime();
    for (uint32_t seq = 0; seq < PING_COUNT && bad < 5; seq++) {
        int from = -1;
        m.seq = seq;
        for (int i = 0; i < MSG_WORDS; i++)
            m.w[i] = seq * 31 + i;
        if ((n = klosH_send(child, &m, sizeof m, 0)) < 0) {
            printf("ping: send %u failed: %d\n", seq, n);
            bad++;
            break;
        }
        n = klosH_recv(&r, sizeof r, &from, 0);
        int ok = n == sizeof r && from == child && r.seq == seq + 1;
        for (int i = 0; ok && i < MSG_WORDS; i++)
            ok = r.w[i] == m.w[MSG_WORDS - 1 - i];
        if (!ok) {
            printf("ping: reply %u: len %d from %d seq %u: WRONG\n", seq, n, from, r.seq);
            bad++;
        }
    }
    int t1 = uptime();
    printf("ping: %d round trips (%d messages) in %d ticks, in order: %s\n", PING_COUNT,
           2 * PING_COUNT, t1 - t0, bad ? "WRONG" : "ok");

    m.seq = PING_SHM_CHECK;             /* "check the region" */
    klosH_send(child, &m, sizeof m, 0);
    n = klosH_recv(&r, sizeof r, 0, 0);
    int shm_ok = n == sizeof r && r.seq == PING_SHM_CHECK && r.w[0] == 0;
    for (int i = 0; shm_ok && i < PING_SHM_SIZE / 4; i++)
        shm_ok = sh[i] == 0x5A000000u + i;
    printf("ping: child read my %d-byte region (%s) and wrote its own, read back: %s\n",
           PING_SHM_SIZE, r.w[0] == 0 ? "ok" : "WRONG", shm_ok ? "ok" : "WRONG");

    int st = -1;
    wait(child, &st);
    printf("ping: t_pong exit %d\n", st);
    return bad || !shm_ok || st != 0;
}
