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
#endif
