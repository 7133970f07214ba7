/* The file system core's environment (fsenv.h) inside the OS.
 *
 * Still the lead's to finish when the services are wired in:
 *   fs_now:       read the CMOS clock (ports 0x70/0x71, docs/DESIGN.md §13);
 *                 0 until then (e2fsck accepts it).
 *   fs_copy_*:    copy_to_app/copy_from_app for an app's address (above
 *                 APP_DATA_BASE), memcpy for the OS's own buffers. */
#include "os.h"
#include "machine.h"
#include "mm/frame.h"
#include "fs/fsenv.h"
#include "klos_errno.h"

void *fs_page_alloc(void)
{
    uint32_t pa = frame_alloc();        /* zeroed */
    return pa ? P2V(pa) : 0;
}

void fs_page_free(void *page)
{
    frame_free(V2P(page));
}

uint32_t fs_now(void)
{
    return 0;
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
    memcpy(dst, src, n);
    return 0;
}

int fs_copy_in(void *dst, const void *src, uint32_t n)
{
    memcpy(dst, src, n);
    return 0;
}
