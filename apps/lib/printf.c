/* printf and friends over lib/fmt.c.  Output is collected in a buffer on
 * the caller's stack and sent with one write per call (more than one only
 * past PBUF bytes), so a printed line is one service call. */
#include "user.h"
#include "fmt.h"

#define PBUF 256

struct pbuf {
    int fd, n, total;
    char b[PBUF];
};

static void pb_put(void *ctx, char c)
{
    struct pbuf *p = ctx;
    if (p->n == PBUF) {
        write(p->fd, p->b, p->n);
        p->n = 0;
    }
    p->b[p->n++] = c;
    p->total++;
}

int vdprintf(int fd, const char *fmt, va_list ap)
{
    struct pbuf p;
    p.fd = fd;
    p.n = p.total = 0;
    vformat(pb_put, &p, fmt, ap);
    if (p.n)
        write(fd, p.b, p.n);
    return p.total;
}

int dprintf(int fd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vdprintf(fd, fmt, ap);
    va_end(ap);
    return n;
}

int vprintf(const char *fmt, va_list ap)
{
    return vdprintf(1, fmt, ap);
}

int printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vdprintf(1, fmt, ap);
    va_end(ap);
    return n;
}

/* Returns the length the whole output would have (C99), writes at most cap
 * bytes including the terminating NUL. */
int vsnprintf(char *buf, int cap, const char *fmt, va_list ap)
{
    return vsnformat(buf, cap, fmt, ap);
}

int snprintf(char *buf, int cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnformat(buf, cap, fmt, ap);
    va_end(ap);
    return n;
}

int puts(const char *s)
{
    return printf("%s\n", s) < 0 ? -1 : 0;
}
