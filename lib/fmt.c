/* printf-style formatting, shared by the OS's kprintf and the apps' libc.
 * %d %i %u %x %X %p %s %c %%, width, '0' and '-' flags, l and ll sizes. */
#include "fmt.h"

static void emit_num(void (*put)(void *, char), void *ctx, unsigned long long v, int base,
                     int neg, int width, int zero, int left, int upper)
{
    char buf[24];
    const char *dig = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    int n = 0;
    do {
        buf[n++] = dig[v % base];
        v /= base;
    } while (v);
    int len = n + neg;
    if (!left && zero && neg)
        put(ctx, '-');
    for (; !left && width > len; width--)
        put(ctx, zero ? '0' : ' ');
    if (neg && (left || !zero))
        put(ctx, '-');
    while (n)
        put(ctx, buf[--n]);
    for (; left && width > len; width--)
        put(ctx, ' ');
}

void vformat(void (*put)(void *, char), void *ctx, const char *fmt, va_list ap)
{
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            put(ctx, *fmt);
            continue;
        }
        int zero = 0, left = 0, width = 0, lng = 0;
        for (fmt++; *fmt == '0' || *fmt == '-'; fmt++)
            *fmt == '0' ? (zero = 1) : (left = 1);
        for (; *fmt >= '0' && *fmt <= '9'; fmt++)
            width = width * 10 + (*fmt - '0');
        for (; *fmt == 'l'; fmt++)
            lng++;
        long long sv;
        unsigned long long uv;
        switch (*fmt) {
        case 'd':
        case 'i':
            sv = lng == 2 ? va_arg(ap, long long) : lng ? va_arg(ap, long) : va_arg(ap, int);
            uv = sv < 0 ? -(unsigned long long)sv : (unsigned long long)sv;
            emit_num(put, ctx, uv, 10, sv < 0, width, zero, left, 0);
            break;
        case 'u':
        case 'x':
        case 'X':
            uv = lng == 2 ? va_arg(ap, unsigned long long)
                 : lng    ? va_arg(ap, unsigned long) : va_arg(ap, unsigned);
            emit_num(put, ctx, uv, *fmt == 'u' ? 10 : 16, 0, width, zero, left, *fmt == 'X');
            break;
        case 'p':
            put(ctx, '0');
            put(ctx, 'x');
            emit_num(put, ctx, (unsigned long)va_arg(ap, void *), 16, 0, 8, 1, 0, 0);
            break;
        case 'c':
            put(ctx, (char)va_arg(ap, int));
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            int len = 0;
            if (!s)
                s = "(null)";
            while (s[len])
                len++;
            for (; !left && width > len; width--)
                put(ctx, ' ');
            while (*s)
                put(ctx, *s++);
            for (; left && width > len; width--)
                put(ctx, ' ');
            break;
        }
        case '%':
            put(ctx, '%');
            break;
        case 0:
            return;
        default:
            put(ctx, '%');
            put(ctx, *fmt);
        }
    }
}

struct sbuf {
    char *p;
    int n, cap;
};

static void sbuf_put(void *ctx, char c)
{
    struct sbuf *b = ctx;
    if (b->n + 1 < b->cap)
        b->p[b->n] = c;
    b->n++;
}

int vsnformat(char *buf, int cap, const char *fmt, va_list ap)
{
    struct sbuf b = { buf, 0, cap };
    vformat(sbuf_put, &b, fmt, ap);
    if (cap > 0)
        buf[b.n < cap ? b.n : cap - 1] = 0;
    return b.n;
}

int snformat(char *buf, int cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnformat(buf, cap, fmt, ap);
    va_end(ap);
    return n;
}
