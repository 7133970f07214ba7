/* IN/OUT, for boot/ (ring 0) and the ring-3 OS (through the I/O bitmap). */
#ifndef PORTIO_H
#define PORTIO_H
#include <stdint.h>

static inline void outb(uint16_t port, uint8_t v)
{
    asm volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline void outw(uint16_t port, uint16_t v)
{
    asm volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint16_t inw(uint16_t port)
{
    uint16_t v;
    asm volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline void outl(uint16_t port, uint32_t v)
{
    asm volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint32_t inl(uint16_t port)
{
    uint32_t v;
    asm volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

/* n 16-bit words between a port and memory at ES:EDI / DS:ESI (ATA data).
 * A string instruction addresses through ES (INS) or DS (OUTS) implicitly,
 * and inside a service ES is the app's (the stubs swap DS only): both load
 * ES from DS around it and put it back, as lib/string.c's routines do. */
static inline void insw(uint16_t port, void *buf, uint32_t n)
{
    uint32_t es;
    asm volatile("mov %%es, %[es]\n\tpush %%ds\n\tpop %%es\n\tcld\n\trep insw\n\tmov %[es], %%es"
                 : [es] "=&r"(es), "+D"(buf), "+c"(n) : "d"(port) : "memory");
}

static inline void outsw(uint16_t port, const void *buf, uint32_t n)
{
    uint32_t es;
    asm volatile("mov %%es, %[es]\n\tpush %%ds\n\tpop %%es\n\tcld\n\trep outsw\n\tmov %[es], %%es"
                 : [es] "=&r"(es), "+S"(buf), "+c"(n) : "d"(port) : "memory");
}
#endif
