#ifndef FMT_H
#define FMT_H
#include <stdarg.h>
void vformat(void (*put)(void *, char), void *ctx, const char *fmt, va_list ap);
int vsnformat(char *buf, int cap, const char *fmt, va_list ap);
int snformat(char *buf, int cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
#endif
