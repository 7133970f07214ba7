/* call and replywait (L4's call and reply-and-wait): the reply reaches the
 * caller (truncated to its room), a plain send to a caller is its reply,
 * errors for bad pids and pointers, replywait to no caller, a read-only reply
 * buffer, and a caller whose server ends -- before or after taking the
 * message -- gets ESRCH, not a hang; a caller gets its own ES back through
 * the switch.  Spawns itself as the servers.  Every
 * check prints "call: NAME ok" or "call: NAME WRONG ...". */
#include "user.h"


static int bad;

/* int call_es(int es, int pid, void *msg, int len, int cap): call with ES =
 * es (the stubs swap DS only: the app's ES is its own); es_out = ES after. */
uint32_t es_out;
int call_es(int es, int pid, void *msg, int len, int cap);
asm(".text\n.globl call_es\ncall_es:\n"
    "  movl 4(%esp), %eax\n  movl %eax, %es\n"
    "  pushl 20(%esp)\n  pushl 20(%esp)\n  pushl 20(%esp)\n  pushl 20(%esp)\n"
    "  call svcB_call\n  addl $16, %esp\n"
    "  movl %es, %ecx\n  movl %ecx, es_out\n"
    "  pushl %ds\n  popl %es\n  ret\n");

static void check(const char *name, int ok, int got)
{
    if (ok) {
        printf("call: %s ok\n", name);
    } else {
        printf("call: %s WRONG (got %d)\n", name, got);
        bad++;
    }
}

/* replywait server: the reply is the message with every byte ^ 0x5A and one
 * more byte, its length; "Q" (sent, not called) ends it. */
static int rw_main(void)
{
    uint8_t buf[64];
    int from = 0, n = 0;
    for (;;) {
        n = KLOS_SVC(replywait, &from, buf, n, sizeof buf - 1);
        uint32_t es;
        asm volatile("movl %%es, %0" : "=r"(es));
        if ((es & 0xFFFF) != SEL_DSAPP)         /* its own, whatever its callers had */
            printf("call: server's ES WRONG (%x after replywait)\n", (unsigned)(es & 0xFFFF));
        if (n < 0) {                    /* e.g. the caller's room was read-only */
            printf("call: server saw %d\n", n);
            from = n = 0;
            continue;
        }
        if (n == 1 && buf[0] == 'Q')
            return 0;
        for (int i = 0; i < n; i++)
            buf[i] ^= 0x5A;
        buf[n] = (uint8_t)n;
        n++;
    }
}

/* recv + send server: a plain send to a caller is its reply. */
static int rs_main(void)
{
    int v, from;
    if (KLOS_SVC(recv, &v, sizeof v, &from, 0) != 4)
        return 1;
    v = ~v;
    return KLOS_SVC(send, from, &v, sizeof v, 0) == 0 ? 0 : 2;
}

/* takes the message, never replies, ends */
static int die_main(void)
{
    int v, from;
    KLOS_SVC(recv, &v, sizeof v, &from, 0);
    return 0;
}

/* ends without ever receiving */
static int late_main(void)
{
    KLOS_SVC(sleep, 5);
    return 0;
}

static int serve(const char *mode)
{
    int pid = spawn("t_call", mode);
    if (pid < 0) {
        printf("call: spawn %s WRONG (%d)\n", mode, pid);
        bad++;
    }
    return pid;
}

static void reap(int pid, const char *what)
{
    int st = -1;
    wait(pid, &st);
    check(what, st == 0, st);
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "rw"))
        return rw_main();
    if (argc > 1 && !strcmp(argv[1], "rs"))
        return rs_main();
    if (argc > 1 && !strcmp(argv[1], "die"))
        return die_main();
    if (argc > 1 && !strcmp(argv[1], "late"))
        return late_main();

    /* .rodata pages are mapped without W; the middle one is wholly .rodata */
    static const uint32_t ro[3 * 1024] __attribute__((aligned(4096))) = {0x11223344};
    const uint32_t *rop = &ro[1024];
    uint8_t m[32];
    int r, ok, srv = serve("rw");

    /* 1. The reply reaches the caller, in its buffer, with its length:
     * lengths 0..20, the first call before the server waits (queued). */
    ok = 1;
    for (int len = 0; len <= 20 && ok; len++) {
        for (int i = 0; i < len; i++)
            m[i] = (uint8_t)(i * 7 + len);
        r = KLOS_SVC(call, srv, m, len, sizeof m);
        ok = r == len + 1 && m[len] == len;
        for (int i = 0; i < len && ok; i++)
            ok = m[i] == (uint8_t)((i * 7 + len) ^ 0x5A);
    }
    check("reply-reaches-caller", ok, r);

    /* 2. A reply longer than the caller's room is cut to it. */
    memset(m, 0, sizeof m);
    r = KLOS_SVC(call, srv, m, 8, 4);
    check("reply-truncated", r == 4 && m[0] == 0x5A && m[3] == 0x5A && m[4] == 0, r);

    /* 2b. ES is each thread's own: called with ES = 0 while the server waits
     * with DSAPP, the caller gets its 0 back through the ring-3 switch
     * (swtch.asm keeps ES in the context), and the server its DSAPP (it
     * checks after every replywait). */
    ok = 1;
    for (int i = 0; i < 4 && ok; i++) {
        m[0] = (uint8_t)i;
        r = call_es(0, srv, m, 1, sizeof m);
        ok = r == 2 && m[0] == (uint8_t)(i ^ 0x5A) && (es_out & 0xFFFF) == 0;
    }
    check("es-kept-across-switch", ok, ok ? r : (int)(es_out & 0xFFFF));

    /* 3. Bad pids, self, bad pointers and sizes: errors, no wait. */
    r = KLOS_SVC(call, 12345, m, 4, 4);
    check("call-bad-pid-esrch", r == -ESRCH, r);
    r = KLOS_SVC(call, getpid(), m, 4, 4);
    check("call-self-einval", r == -EINVAL, r);
    r = KLOS_SVC(call, srv, (void *)0x1000, 4, 4);
    check("call-os-pointer-efault", r == -EFAULT, r);
    r = KLOS_SVC(call, srv, (void *)0xFFFFFFFE, 4, 4);
    check("call-wrapping-pointer-efault", r == -EFAULT, r);
    r = KLOS_SVC(call, srv, m, -1, 4);
    check("call-negative-length-efault", r == -EFAULT, r);
    r = KLOS_SVC(call, srv, m, 4, 0x7FFFFFFF);
    check("call-huge-room-efault", r == -EFAULT, r);
    int from = srv;
    r = KLOS_SVC(replywait, (int *)0x1000, m, 0, 4);
    check("replywait-os-pointer-efault", r == -EFAULT, r);
    r = KLOS_SVC(replywait, &from, m, 4, 4);
    check("replywait-to-no-caller-esrch", r == -ESRCH, r);
    from = 12345;
    r = KLOS_SVC(replywait, &from, m, 4, 4);
    check("replywait-bad-pid-esrch", r == -ESRCH, r);

    /* 4. A read-only room for the reply: the caller gets EFAULT, not a hang,
     * and the server goes on. */
    r = KLOS_SVC(call, srv, (void *)rop, 4, 4);
    check("call-readonly-room-efault", r == -EFAULT && *(volatile const uint32_t *)rop == 0, r);
    m[0] = 1;
    r = KLOS_SVC(call, srv, m, 1, sizeof m);
    check("server-goes-on", r == 2 && m[0] == (1 ^ 0x5A), r);
    KLOS_SVC(send, srv, "Q", 1, 0);
    reap(srv, "rw-server-exit");

    /* 5. A recv + send server: its send is the caller's reply. */
    srv = serve("rs");
    uint32_t v = 0x0F0F1234;
    r = KLOS_SVC(call, srv, &v, 4, 4);
    check("send-is-reply", r == 4 && v == ~0x0F0F1234u, r);
    reap(srv, "rs-server-exit");

    /* 6. The server takes the message and ends without replying. */
    srv = serve("die");
    r = KLOS_SVC(call, srv, &v, 4, 4);
    check("server-ends-after-taking-esrch", r == -ESRCH, r);
    reap(srv, "die-server-exit");

    /* 7. The server ends while the call is still queued. */
    srv = serve("late");
    r = KLOS_SVC(call, srv, &v, 4, 4);
    check("server-ends-while-queued-esrch", r == -ESRCH, r);
    reap(srv, "late-server-exit");

    printf("call: %s\n", bad ? "WRONG" : "all ok");
    return bad != 0;
}
