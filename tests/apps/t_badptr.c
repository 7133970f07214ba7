/* Services must refuse app pointers into the OS region, ranges that wrap
 * past 4 GiB, NULL and unmapped pages: every call below must return a
 * negative error (-EFAULT) and the OS must keep running.  A control
 * call with a good buffer must still work.  Prints one line per call and
 * "badptr: all N refused" when every call was refused; exits 0 then. */
#include "user.h"


static int n, bad;

static void check(const char *what, int got, int want)
{
    int ok = want ? got == want : got < 0;
    printf("badptr: %-40s -> %d %s\n", what, got, ok ? "ok" : "WRONG");
    n++;
    if (!ok)
        bad++;
}

static void thread_fn(void *arg)
{
    (void)arg;
    klos_thread_exit(0);
}

int main(void)
{
    char buf[32];
    int r;

    r = write(1, "badptr: control write\n", 22);
    if (r != 22) {
        printf("badptr: control write returned %d: WRONG\n", r);
        return 1;
    }
    check("write B  0x10000000 len 16", write(1, (void *)0x10000000, 16), -EFAULT);
    check("write B  0x00100000 len 16 (OS code)", write(1, (void *)0x00100000, 16), -EFAULT);
    check("write B  0xFFFFF000 len 16", write(1, (void *)0xFFFFF000, 16), -EFAULT);
    check("write B  0xFFFFFFF0 len 0x20 (wraps)",
          write(1, (void *)0xFFFFFFF0, 0x20), -EFAULT);
    check("write B  0x7FFFFFFF len 2 (crosses limit)", write(1, (void *)0x7FFFFFFF, 2), -EFAULT);
    check("write B  NULL len 16", write(1, (void *)0, 16), -EFAULT);
    check("write B  0xA0000000 len 16 (unmapped)", write(1, (void *)0xA0000000, 16), -EFAULT);
    check("write B  buf len -1", write(1, buf, -1), -EFAULT);
    check("write A  0x00100000 len 16", klosA_write(1, (void *)0x00100000, 16), -EFAULT);
    check("write A  0xFFFFFFF0 len 0x20 (wraps)",
          klosA_write(1, (void *)0xFFFFFFF0, 0x20), -EFAULT);
    check("write H  0x00100000 len 16", klosH_write(1, (void *)0x00100000, 16), -EFAULT);
    check("read     0x00100000 len 16", read(0, (void *)0x00100000, 16), -EFAULT);
    check("meminfo  0x00100000", klos_meminfo((void *)0x00100000), -EFAULT);
    check("cpuinfo  0x10000000", klos_cpuinfo((void *)0x10000000), -EFAULT);
    check("spawn    name at 0x00100000", klos_spawn((const char *)0x00100000, 0), -EFAULT);
    check("spawn    name NULL", klos_spawn(0, 0), 0);
    check("recv     buf 0x10000000", klos_recv((void *)0x10000000, 16, 0, 1), -EFAULT);
    check("recv     from 0x10000000", klos_recv(buf, 16, (int *)0x10000000, 1), -EFAULT);
    check("send     msg 0x10000000", klos_send(getpid(), (void *)0x10000000, 16, 1), -EFAULT);
    check("exc_return 0x10000000", klos_exc_return((void *)0x10000000), -EFAULT);
    check("modules  0x00100000", klos_modules((char *)0x00100000, 64), -EFAULT);
    check("ps       0xFFFFF000", klos_ps((char *)0xFFFFF000, 64), -EFAULT);
    check("thread_create stack 0x10001000",
          klos_thread_create((void *)thread_fn, 0, (void *)0x10001000), -EFAULT);
    /* A negative increment larger than the heap must not wrap the break
     * below 0 (to 0xFFFxxxxx): a second call could then free OS pages. */
    void *b = klos_sbrk(-0x00500000);
    check("sbrk     -0x500000 (wraps below 0)", b == (void *)-1 || b == 0 ? -1 : (int)b, 0);
    printf(bad ? "badptr: %d of %d calls NOT refused\n" : "badptr: all %d refused\n",
           bad ? bad : n, n);
    return bad != 0;
}
