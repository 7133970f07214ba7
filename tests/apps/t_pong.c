/* The other end of t_ping: learn the parent from the first message's sender,
 * answer each {seq, w} with {seq + 1, w reversed}; on PING_SHM_CHECK check
 * the shared region the parent filled and write a pattern back. */
#include "user.h"
#include "t_pong.h"

int main(void)
{
    struct msg m, r;
    int parent = -1, from, n;
    uint32_t want = 0;

    for (;;) {
        n = klosH_recv(&m, sizeof m, &from, 0);
        if (n != sizeof m) {
            printf("pong: recv %d: WRONG\n", n);
            return 1;
        }
        if (parent < 0)
            parent = from;
        if (from != parent) {
            printf("pong: message from %d, not %d: WRONG\n", from, parent);
            return 1;
        }
        if (m.seq == PING_SHM_CHECK)
            break;
        if (m.seq != want++) {
            printf("pong: seq %u, expected %u: WRONG\n", m.seq, want - 1);
            return 1;
        }
        r.seq = m.seq + 1;
        for (int i = 0; i < MSG_WORDS; i++)
            r.w[i] = m.w[MSG_WORDS - 1 - i];
        klosH_send(parent, &r, sizeof r, 0);
    }
    klos_hardened = 1;                  /* shared memory: no plain Design B from here */
    volatile uint32_t *sh = klosH_shm_map(PING_SHM_KEY);
    int bad = (int)sh < 0 && (int)sh > -4096;
    for (int i = 0; !bad && i < PING_SHM_SIZE / 4; i++)
        bad = sh[i] != 0xA5000000u + i;
    for (int i = 0; !bad && i < PING_SHM_SIZE / 4; i++)
        sh[i] = 0x5A000000u + i;
    r.seq = PING_SHM_CHECK;
    r.w[0] = bad;
    klosH_send(parent, &r, sizeof r, 0);
    printf("pong: %u messages in order from pid %d; region %s\n", want, parent,
           bad ? "WRONG" : "ok");
    return bad;
}
