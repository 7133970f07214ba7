/* IPC's fast paths: short messages page to page, the FIFO of
 * blocked senders, a receiver that ends under its senders, the W bit of a
 * receive buffer, a receive timeout.  Spawns itself with "echo" as the peer.
 * Every check prints "ipcfast: NAME ok" or "ipcfast: NAME WRONG ...". */
#include "user.h"


static int bad;
static uint8_t page[2][4096] __attribute__((aligned(4096)));
static uint32_t stacks[3][1024];
static volatile int order[2], norder;

static void check(const char *name, int ok, int got)
{
    if (ok) {
        printf("ipcfast: %s ok\n", name);
    } else {
        printf("ipcfast: %s WRONG (got %d)\n", name, got);
        bad++;
    }
}

static int echo_main(void)
{
    uint8_t buf[64];
    int from, n;
    for (;;) {
        n = KLOS_SVC(recv, buf, sizeof buf, &from, 0);
        if (n == 1 && buf[0] == 'Q')
            return 0;
        for (int i = 0; i < n; i++)
            buf[i] ^= 0x5A;
        KLOS_SVC(send, from, buf, n, 0);
    }
}

/* Threads that send their number to the main thread (which sleeps first). */
static int main_tid;
static void sender(void *arg)
{
    int v = (int)arg;
    KLOS_SVC(send, main_tid, &v, sizeof v, 0);
    KLOS_SVC(thread_exit, 0);
}

/* A receiver thread that ends while a sender waits on it. */
static void short_lived(void *arg)
{
    (void)arg;
    KLOS_SVC(sleep, 5);
    KLOS_SVC(thread_exit, 0);
}

static int tid_of_dead;
static void send_to_dead(void *arg)
{
    int v = 7;
    *(volatile int *)arg = KLOS_SVC(send, tid_of_dead, &v, sizeof v, 0);
    KLOS_SVC(thread_exit, 0);
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "echo"))
        return echo_main();
    main_tid = getpid();
    int peer = spawn("t_ipcfast", "echo"), n, from, ok;
    if (peer < 0) {
        printf("ipcfast: spawn WRONG (%d)\n", peer);
        return 1;
    }

    /* 1. Lengths 0..20 (words, odd bytes, the 16-byte boundary), at the
     * start of a page and across a page boundary: bytes, length and sender. */
    ok = 1;
    for (int at = 0; at < 2; at++)
        for (int len = 0; len <= 20 && ok; len++) {
            uint8_t *m = at ? &page[0][4096 - 8] : &page[1][64];    /* 1: m crosses */
            uint8_t *r = at ? &page[1][512] : &page[0][4096 - 8];   /* 0: r crosses */
            for (int i = 0; i < len; i++)
                m[i] = (uint8_t)(len * 13 + i);
            memset(r, 0xEE, 24);
            from = -1;
            if (KLOS_SVC(send, peer, m, len, 0) < 0)
                ok = 0;
            n = KLOS_SVC(recv, r, 24, &from, 0);
            ok &= n == len && from == peer && r[len] == 0xEE;
            for (int i = 0; i < len; i++)
                ok &= r[i] == (uint8_t)(m[i] ^ 0x5A);
            if (!ok)
                printf("ipcfast: len %d at %d: n=%d from=%d\n", len, at, n, from);
        }
    check("short-messages", ok, 0);

    /* 2. Two senders block on us, oldest first: recv takes them in order. */
    for (int k = 0; k < 2; k++) {
        thread_create((void *)sender, (void *)(k + 1), &stacks[k][1024]);
        KLOS_SVC(sleep, 2);                                  /* it blocks in send */
    }
    int v1 = 0, v2 = 0;
    KLOS_SVC(recv, &v1, 4, &from, 0);
    KLOS_SVC(recv, &v2, 4, &from, 0);
    check("senders-fifo", v1 == 1 && v2 == 2, v1 * 10 + v2);

    /* 3. A receive buffer in a read-only page: EFAULT, and the sender stays
     * queued for the next receive. */
    thread_create((void *)sender, (void *)3, &stacks[0][1024]);
    KLOS_SVC(sleep, 2);
    n = KLOS_SVC(recv, (void *)((uint32_t)main & ~4095u), 4, &from, 0);     /* a text page */
    int v3 = 0, n2 = KLOS_SVC(recv, &v3, 4, &from, 0);
    check("recv-readonly-efault", n == -EFAULT && n2 == 4 && v3 == 3, n);

    /* 4. A sender blocked on a thread that ends gets ESRCH. */
    volatile int res = 1;
    tid_of_dead = thread_create((void *)short_lived, 0, &stacks[1][1024]);
    int st = thread_create((void *)send_to_dead, (void *)&res, &stacks[2][1024]);
    KLOS_SVC(thread_join, tid_of_dead);
    KLOS_SVC(thread_join, st);
    check("send-to-ended-thread", res == -ESRCH, res);

    /* 5. A receive with a timeout and no sender. */
    int t0 = uptime();
    n = KLOS_SVC(recv, &v3, 4, &from, 3);
    check("recv-timeout", n == -ETIMEDOUT && uptime() - t0 >= 3, n);

    KLOS_SVC(send, peer, "Q", 1, 0);
    wait(peer, &st);
    printf("ipcfast: %s\n", bad ? "WRONG" : "all ok");
    return bad != 0;
}
