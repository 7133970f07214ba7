/* IPC: synchronous messages (the sender waits until the receiver has the
 * bytes).  Shared memory is sys_shm.c's. */
#include "os.h"
#include "svc_os.h"
#include "sched/proc.h"
#include "sched/sched.h"
#include "proc/uptr.h"
#include "mm/frame.h"
#include "mm/uvm.h"
#include "machine.h"

#define MSG_MAX 4096

/* Copy len bytes from one app's memory to another's, through OS memory. */
static __attribute__((noinline)) int xcopy(struct proc *from, uint32_t src, struct proc *to, uint32_t dst, int len)
{
    char buf[256];
    for (int done = 0; done < len;) {
        int n = len - done < (int)sizeof buf ? len - done : (int)sizeof buf;
        if (copy_from_app(from, buf, src + done, n) < 0 || copy_to_app(to, dst + done, buf, n) < 0)
            return -EFAULT;
        done += n;
    }
    return 0;
}

/* The direct-map address of an app word, if its page is present, user and
 * (need has PTE_W) writable; 0 otherwise.  va was checked with uptr_ok.
 * vm_lookup's walk, inlined and with one test of the PTE instead of two:
 * the IPC round trip is 14 instructions shorter for it. */
static inline __attribute__((always_inline)) uint32_t *app_word(pde_t *pd, uint32_t va,
                                                                uint32_t need)
{
    pde_t e = pd[PDX(va)];
    if (!(e & PTE_P))
        return 0;
    uint32_t pte = ((uint32_t *)P2V(PTE_ADDR(e)))[PTX(va)];
    if ((pte & need) != need)
        return 0;
    return (uint32_t *)((uint8_t *)P2V(PTE_ADDR(pte)) + (va & 0xFFF));
}

/* The fast path: a short message (whole words, at most MSG_REGS, each side
 * within one page) goes page to page through registers -- one page-table
 * lookup per side, no buffer.  Anything else takes xcopy. */
static inline __attribute__((always_inline)) int msg_copy(struct proc *from, uint32_t src, struct proc *to, uint32_t dst, int len)
{
    if ((uint32_t)len - 1 >= 4 * MSG_REGS || (len & 3) || (src & 0xFFF) + len > 4096 ||
        (dst & 0xFFF) + len > 4096)
        return len ? xcopy(from, src, to, dst, len) : 0;
    uint32_t *s = app_word(from->pd, src, PTE_P | PTE_U);
    uint32_t *d = app_word(to->pd, dst, PTE_P | PTE_U | PTE_W);
    if (!s || !d)
        return -EFAULT;
    d[0] = s[0];                                /* words in registers, no loop */
    if (len > 4) {
        d[1] = s[1];
        if (len > 8) {
            d[2] = s[2];
            if (len > 12)
                d[3] = s[3];
        }
    }
    return 0;
}

/* A sender's message was taken: a plain sender may go on; a caller now
 * waits for this proc's reply, on its list of callers (drop_senders wakes
 * them with ESRCH if it ends first). */
static void took_from(struct proc *s)
{
    if (s->waiting == W_CALL) {
        list_del(&s->sq);
        s->waiting = W_REPLY;
        s->msg_len = s->msg_cap;
        list_add_before(&s->sq, &cur->callers);
    } else {
        sched_wake(s, 0);
    }
}

/* p, blocked, runs next (a handoff): runnable, off its wait queues, but
 * not put on the run queue, which it would only leave again at once. */
static inline __attribute__((always_inline)) void wake_next(struct proc *p, int result)
{
    sched_unblock(p, result);
    p->state = P_RUNNABLE;
}

/* Is c a caller waiting for cur's reply? */
static int owed_reply(struct proc *c)
{
    return c->state == P_BLOCKED && c->waiting == W_REPLY && c->wait_for == cur->pid;
}

/* The reply reaches caller c, which runs again with its length; a reply
 * that cannot be copied gives both sides EFAULT (the caller never hangs). */
static inline __attribute__((always_inline)) int reply_to(struct proc *c, uint32_t msg, int len,
                                                         int next)
{
    int n = len < c->msg_len ? len : c->msg_len;
    if (msg_copy(cur, msg, c, c->msg_va, n) < 0) {
        sched_wake(c, -EFAULT);
        return -EFAULT;
    }
    if (next)
        wake_next(c, n);
    else
        sched_wake(c, n);
    return 0;
}

/* Send: a receiver already waiting gets the message and runs at once (a
 * direct handoff, no pass over the run queue); otherwise the sender joins
 * the receiver's FIFO of blocked senders, where recv finds it in O(1).  A
 * send to a caller owed our reply is that reply. */
int sys_send(int pid, const void *msg, int len, int timeout)
{
    struct proc *r = proc_find(pid);
    if (!r || r->state == P_ZOMBIE)
        return -ESRCH;
    if (len < 0 || len > MSG_MAX || !uptr_ok((uint32_t)msg, len))
        return -EFAULT;
    if (owed_reply(r)) {
        int e = reply_to(r, (uint32_t)msg, len, 0);
        if (e < 0)
            return e;
        sched_handoff(r);
        return 0;
    }
    if (r->state == P_BLOCKED && r->waiting == W_RECV) {
        int n = len < r->msg_len ? len : r->msg_len;
        if (msg_copy(cur, (uint32_t)msg, r, r->msg_va, n) < 0)
            return -EFAULT;
        r->msg_to = cur->pid;                           /* tells the receiver who sent */
        sched_wake(r, n);
        sched_handoff(r);
        return 0;
    }
    cur->msg_va = (uint32_t)msg;
    cur->msg_len = len;
    cur->msg_to = pid;
    list_add_before(&cur->sq, &r->senders);
    sched_block(W_SEND, timeout > 0 ? timeout : 0);
    return cur->wait_result;
}

/* The oldest blocked sender's message (the queue is not empty) into buf:
 * its length, or EFAULT; *sender names it. */
static int take_sender(uint32_t buf, int len, int *sender)
{
    struct proc *s = list_entry(cur->senders.next, struct proc, sq);
    int n = s->msg_len < len ? s->msg_len : len;
    if (msg_copy(s, s->msg_va, cur, buf, n) < 0)
        return -EFAULT;
    *sender = s->pid;
    took_from(s);
    return n;
}

/* An app's int at p (checked with uptr_ok) without copy_*_app's loop when
 * it lies in one page: 0, or EFAULT. */
static inline __attribute__((always_inline)) int get_word(const int *p, int *v)
{
    uint32_t *w = ((uint32_t)p & 0xFFF) <= 4092 ? app_word(cur->pd, (uint32_t)p, PTE_P | PTE_U) : 0;
    if (w) {
        *v = *w;
        return 0;
    }
    return copy_from_app(cur, v, (uint32_t)p, 4) < 0 ? -EFAULT : 0;
}

static inline __attribute__((always_inline)) void put_word(int *p, int v)
{
    uint32_t *w = ((uint32_t)p & 0xFFF) <= 4092
                      ? app_word(cur->pd, (uint32_t)p, PTE_P | PTE_U | PTE_W) : 0;
    if (w)
        *w = v;
    else
        copy_to_app(cur, (uint32_t)p, &v, 4);
}

/* Wait for a message into buf (at most len bytes); `to', if not 0, was
 * just made runnable and runs at once. */
static int wait_msg(uint32_t buf, int len, int *sender, uint32_t timeout, struct proc *to)
{
    if (!list_empty(&cur->senders))
        return take_sender(buf, len, sender);
    cur->msg_va = buf;
    cur->msg_len = len;
    if (to)
        sched_block_to(W_RECV, to);
    else
        sched_block(W_RECV, timeout);
    *sender = cur->msg_to;
    return cur->wait_result;
}

int sys_recv(void *buf, int len, int *from, int timeout)
{
    if (len < 0 || !uptr_ok((uint32_t)buf, len) || (from && !uptr_ok((uint32_t)from, 4)))
        return -EFAULT;
    int sender, n = wait_msg((uint32_t)buf, len, &sender, timeout > 0 ? timeout : 0, 0);
    if (n >= 0 && from)
        put_word(from, sender);
    return n;
}

/* Call (L4's call): send len bytes of msg to pid and wait for its reply, at
 * most cap bytes, into msg.  One entry and, with the server waiting, one
 * switch straight to it.  Returns the reply's length; ESRCH if pid ends
 * before it replies. */
int sys_call(int pid, void *msg, int len, int cap)
{
    struct proc *r = proc_find(pid);
    if (!r || r->state == P_ZOMBIE)
        return -ESRCH;
    if (r == cur)
        return -EINVAL;                                  /* it would wait for itself */
    if (len < 0 || len > MSG_MAX || cap < 0 || cap > MSG_MAX ||
        !uptr_ok((uint32_t)msg, len > cap ? len : cap))
        return -EFAULT;
    cur->msg_va = (uint32_t)msg;
    cur->wait_for = pid;
    if (r->state == P_BLOCKED && r->waiting == W_RECV) {
        int n = len < r->msg_len ? len : r->msg_len;
        if (msg_copy(cur, (uint32_t)msg, r, r->msg_va, n) < 0)
            return -EFAULT;
        r->msg_to = cur->pid;
        cur->msg_len = cap;
        list_add_before(&cur->sq, &r->callers);
        wake_next(r, n);
        sched_block_to(W_REPLY, r);
    } else {
        cur->msg_len = len;
        cur->msg_cap = cap;
        cur->msg_to = pid;
        list_add_before(&cur->sq, &r->senders);
        sched_block(W_CALL, 0);
    }
    return cur->wait_result;
}

/* Reply and wait (L4's reply-and-wait), for servers: if *from names a
 * caller waiting for our reply, len bytes of msg are its reply; then wait
 * for the next message (at most cap bytes) into msg, switching straight to
 * the caller just answered.  Returns the message's length and its sender
 * in *from; ESRCH, before any wait, if *from names no caller owed a reply
 * (*from <= 0: just wait). */
int sys_replywait(int *from, void *msg, int len, int cap)
{
    if (len < 0 || len > MSG_MAX || cap < 0 || cap > MSG_MAX ||
        !uptr_ok((uint32_t)msg, len > cap ? len : cap) || !uptr_ok((uint32_t)from, 4))
        return -EFAULT;
    int to;
    if (get_word(from, &to) < 0)
        return -EFAULT;
    struct proc *c = 0;
    if (to > 0) {
        c = proc_find(to);
        if (!c || !owed_reply(c))
            return -ESRCH;
        int e = reply_to(c, (uint32_t)msg, len, list_empty(&cur->senders));
        if (e < 0)
            return e;
    }
    int sender, n = wait_msg((uint32_t)msg, cap, &sender, 0, c);
    if (n >= 0)
        put_word(from, sender);
    return n;
}
