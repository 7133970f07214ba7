/* The console: every byte goes to COM1 and to the screen (VGA text or a
 * framebuffer: drivers/screen.c). */
#include <stdarg.h>
#include "os.h"
#include "console/screen.h"

static void put(void *ctx, char c)
{
    (void)ctx;
    serial_putc(c);
    screen_putc(c);
}

void console_write(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        put(0, s[i]);
}

void kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vformat(put, 0, fmt, ap);
    va_end(ap);
}
