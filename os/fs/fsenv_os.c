/* The file system core's environment (fsenv.h) inside the OS: pages from
 * the frame allocator, the time from the CMOS clock read once (fs_clock_init,
 * at mount) and the ticks since, and copies that check an app's address
 * the way every service does (the services pass the core app buffers only
 * after uptr_ok; the OS's own buffers lie below the app data region). */
#include "os.h"
#include "machine.h"
#include "mm/frame.h"
#include "fs/fsenv.h"
#include "sched/proc.h"
#include "sched/sched.h"
#include "proc/uptr.h"
#include "drivers/timer.h"

static uint32_t boot_time, boot_ticks;

void *fs_page_alloc(void)
{
    uint32_t pa = frame_alloc();        /* zeroed */
    return pa ? P2V(pa) : 0;
}

void fs_page_free(void *page)
{
    frame_free(V2P(page));
}

void fs_clock_init(void)
{
    boot_time = rtc_unix_time();
    boot_ticks = ticks;
}

uint32_t fs_now(void)
{
    return boot_time ? boot_time + (ticks - boot_ticks) / TIMER_HZ : 0;
}
void fs_log(const char *fmt, ...)
{
    char line[160];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnformat(line, sizeof line - 1, fmt, ap);
    va_end(ap);
    if (n > (int)sizeof line - 2)
        n = sizeof line - 2;
    line[n++] = '\n';
    console_write(line, n);
}

int fs_copy_out(void *dst, const void *src, uint32_t n)
{
    if ((uint32_t)dst < APP_DATA_BASE) {
        memcpy(dst, src, n);
        return 0;
    }
    return uptr_ok((uint32_t)dst, n) && copy_to_app(cur, (uint32_t)dst, src, n) == 0 ? 0 : -EFAULT;
}

int fs_copy_in(void *dst, const void *src, uint32_t n)
{
    if ((uint32_t)src < APP_DATA_BASE) {
        memcpy(dst, src, n);
        return 0;
    }
    return uptr_ok((uint32_t)src, n) && copy_from_app(cur, dst, (uint32_t)src, n) == 0 ? 0 : -EFAULT;
}
