/* Shared between t_driver and t_nodriver. */
#ifndef T_DRIVER_SHARED_H
#define T_DRIVER_SHARED_H
#include "user.h"

#define DRV_KEY 0xD71

/* CMOS RAM byte 0x50 through the index/data ports 0x70/0x71 (bit 7 of the
 * index, the NMI mask, stays 0): ports the OS never touches. */
#define DRV_PORT 0x70
#define DRV_NPORTS 2
#define DRV_NOT_GRANTED 0x72
#define DRV_LAST (DRV_PORT + DRV_NPORTS - 1)

struct drv_shm {
    volatile int granted;               /* the driver holds its ports */
    volatile int trying;                /* t_nodriver is about to use them */
};

static inline struct drv_shm *drv_shm(void)
{
    return shm_get(DRV_KEY, 4096);
}

static inline uint8_t port_in(int port)
{
    uint8_t v;
    asm volatile(KLOS_SITE(0xEC) "inb %%dx, %%al" : "=a"(v) : "d"(port) : "memory");
    return v;
}

static inline void port_out(int port, uint8_t v)
{
    asm volatile(KLOS_SITE(0xEE) "outb %%al, %%dx" : : "a"(v), "d"(port) : "memory");
}

static inline void scratch_put(uint8_t v)
{
    if (DRV_NPORTS == 2)
        port_out(DRV_PORT, 0x50);
    port_out(DRV_LAST, v);
}

static inline uint8_t scratch_get(void)
{
    if (DRV_NPORTS == 2)
        port_out(DRV_PORT, 0x50);
    return port_in(DRV_LAST);
}
#endif
