/* memcpy and memset with rep movsd / rep stosd, as the lead plans for
 * lib/string.c: tools/bench/fsperf.sh REP=1 counts the core with these. */
#include <stddef.h>
#include <stdint.h>

void *memcpy(void *d, const void *s, size_t n)
{
    void *r = d;
    size_t w = n / 4;
    asm volatile("rep movsl" : "+D"(d), "+S"(s), "+c"(w) : : "memory");
    n &= 3;
    asm volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
    return r;
}

void *memset(void *d, int c, size_t n)
{
    void *r = d;
    uint32_t v = (uint8_t)c * 0x01010101u;
    size_t w = n / 4;
    asm volatile("rep stosl" : "+D"(d), "+c"(w) : "a"(v) : "memory");
    n &= 3;
    asm volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(v) : "memory");
    return r;
}
