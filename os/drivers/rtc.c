/* The CMOS clock's periodic flag as a time reference (MC146818): register A
 * bits 0-3 select the rate (6: 1024 Hz), register C bit 6 (PF) is set at
 * every period and cleared when C is read.  A 32.768 kHz crystal drives it,
 * whatever the PIT does.  QEMU and Bochs run the periodic timer only while
 * register B's PIE (bit 6) is set, so it is set, with IRQ 8 left masked at
 * the PIC.  Used at start-up only (timer.c), before any app runs: a driver
 * app may be granted 0x70-0x71 later (the port policy leaves them free). */
#include "os.h"
#include "io/io.h"
#include "drivers/timer.h"

static uint8_t saved_a, saved_b;

static uint8_t cmos_read(uint8_t reg)
{
    uint32_t io_saved = io_open(0x70, 2);
    outb(0x70, reg);
    uint8_t v = inb(0x71);
    io_close(0x70, 2, io_saved);
    return v;
}

static void cmos_write(uint8_t reg, uint8_t v)
{
    uint32_t io_saved = io_open(0x70, 2);
    outb(0x70, reg);
    outb(0x71, v);
    io_close(0x70, 2, io_saved);
}

void rtc_periodic_start(void)
{
    saved_a = cmos_read(0x0A);
    saved_b = cmos_read(0x0B);
    cmos_write(0x0A, (saved_a & 0xF0) | 6);
    cmos_write(0x0B, saved_b | 0x40);
    cmos_read(0x0C);
}

void rtc_periodic_stop(void)
{
    cmos_write(0x0B, saved_b);
    cmos_write(0x0A, saved_a);
    cmos_read(0x0C);
}

/* The start of the next period: 0, or -1 if none came within max cycles of
 * the TSC (no RTC, or one that does not tick). */
int rtc_wait_period(uint64_t max)
{
    uint64_t t0 = rdtsc();
    while (!(cmos_read(0x0C) & 0x40))
        if (rdtsc() - t0 > max)
            return -1;
    return 0;
}
