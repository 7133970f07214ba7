/* The few C library routines GCC may call even in freestanding code.
 *
 * ES belongs to the routines that use string instructions.  A string
 * instruction addresses its destination (movs, stos, ins) or second operand
 * (cmps, scas) through ES implicitly (SDM vol. 1, 7.3.9), and inside a
 * service ES is whatever the app called with: the stubs swap DS only
 * (os/svc/stubs.inc).  So memcpy and memset load ES from DS themselves --
 * one load in, one out -- and put the caller's ES back.  The OS is compiled
 * with -mstringop-strategy=libcall, so GCC emits no string instruction of
 * its own, and tools/strscan.py fails the build on any string instruction
 * not so bracketed (the only other one is the scheduler's inline trapframe
 * copy, os/sched/sched.c).  The apps' libc is this same code: there DS = ES
 * = DSAPP, so the load changes nothing.  The rest use no string
 * instructions.  Built for the host (unit tests), they are plain C. */
#include <stdint.h>
#include "string.h"

#if defined(__i386__)
/* rep movsd / stosd, then the 0..3-byte tail: the file system copies 4 KiB
 * blocks.  DF is 0 here: every entry into OS code clears it (the stubs' cld,
 * the event core's EFLAGS), and the C ABI keeps it so.  Never inlined (into
 * memmove): string instructions stay in these two functions.  ES is saved in
 * a register, loaded from DS (ECX is free until the count goes in), and put
 * back: an app's ES comes back to it as it was. */
#define ES_FROM_DS "mov %%es, %[es]\n\tmov %%ds, %%ecx\n\tmov %%ecx, %%es\n\t"
#define ES_BACK "\n\tmov %[es], %%es"

__attribute__((noinline)) void *memcpy(void *d, const void *s, size_t n)
{
    uint32_t es, count;
    void *di = d;
    asm volatile(ES_FROM_DS
                 "mov %[n], %%ecx\n\t"
                 "shr $2, %%ecx\n\t"
                 "rep movsl\n\t"
                 "mov %[n], %%ecx\n\t"
                 "and $3, %%ecx\n\t"
                 "rep movsb"
                 ES_BACK
                 : [es] "=&r"(es), "+D"(di), "+S"(s), "=&c"(count)
                 : [n] "r"(n) : "memory");
    return d;
}

__attribute__((noinline)) void *memset(void *d, int c, size_t n)
{
    uint32_t es, count, v = (uint8_t)c * 0x01010101u;
    void *di = d;
    asm volatile(ES_FROM_DS
                 "mov %[n], %%ecx\n\t"
                 "shr $2, %%ecx\n\t"
                 "rep stosl\n\t"
                 "mov %[n], %%ecx\n\t"
                 "and $3, %%ecx\n\t"
                 "rep stosb"
                 ES_BACK
                 : [es] "=&r"(es), "+D"(di), "=&c"(count), "+a"(v)
                 : [n] "r"(n) : "memory");
    return d;
}
#else
void *memset(void *d, int c, size_t n)
{
    unsigned char *p = d;
    while (n--)
        *p++ = c;
    return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
    unsigned char *p = d;
    const unsigned char *q = s;
    while (n--)
        *p++ = *q++;
    return d;
}
#endif

void *memmove(void *d, const void *s, size_t n)
{
    unsigned char *p = d;
    const unsigned char *q = s;
    if (p < q)
        return memcpy(d, s, n);
    while (n--)
        p[n] = q[n];
    return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *p = a, *q = b;
    for (; n; n--, p++, q++)
        if (*p != *q)
            return *p - *q;
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
    for (; n; n--, a++, b++) {
        if (*a != *b)
            return (unsigned char)*a - (unsigned char)*b;
        if (!*a)
            break;
    }
    return 0;
}

char *strchr(const char *s, int c)
{
    for (; *s; s++)
        if (*s == (char)c)
            return (char *)s;
    return c ? 0 : (char *)s;
}

char *strncpy(char *d, const char *s, size_t n)
{
    size_t i = 0;
    for (; i < n && s[i]; i++)
        d[i] = s[i];
    for (; i < n; i++)
        d[i] = 0;
    return d;
}

char *strstr(const char *h, const char *n)
{
    size_t l = strlen(n);
    for (; *h; h++)
        if (!strncmp(h, n, l))
            return (char *)h;
    return l ? 0 : (char *)h;
}
