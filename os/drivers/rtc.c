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

/* The CMOS clock's date and time as Unix seconds (the file system's
 * timestamps: read once, at mount; the ticks count on from there).  Wait
 * out an update in progress (register A bit 7), read twice until two reads
 * agree; BCD unless register B bit 2 says binary, 12-hour unless bit 1 says
 * 24 (MC146818 datasheet).  Years 1970-2069 (the register holds two digits). */
uint32_t rtc_unix_time(void)
{
    static const uint8_t reg[6] = { 0x00, 0x02, 0x04, 0x07, 0x08, 0x09 };
    uint8_t v[6], w[6];
    int tries = 0;
    do {
        for (int k = 0; k < 2; k++) {
            uint8_t *d = k ? w : v;
            for (int n = 0; n < 100000 && (cmos_read(0x0A) & 0x80); n++)
                ;
            for (int i = 0; i < 6; i++)
                d[i] = cmos_read(reg[i]);
        }
    } while (memcmp(v, w, 6) && ++tries < 5);
    uint8_t b = cmos_read(0x0B), pm = v[2] & 0x80;
    v[2] &= 0x7F;
    for (int i = 0; i < 6 && !(b & 4); i++)
        v[i] = (v[i] >> 4) * 10 + (v[i] & 15);
    if (!(b & 2) && pm)
        v[2] = (v[2] % 12) + 12;
    uint32_t year = v[5] < 70 ? 2000 + v[5] : 1900 + v[5], month = v[4], day = v[3];
    if (month < 1 || month > 12 || day < 1 || day > 31 || v[2] > 23 || v[1] > 59 || v[0] > 59)
        return 0;
    /* days since 1970-01-01 (the civil-from-days inverse, H. Hinnant) */
    uint32_t y = year - (month <= 2), era = y / 400, yoe = y - era * 400;
    uint32_t doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    uint32_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    uint32_t days = era * 146097 + doe - 719468;
    return days * 86400 + v[2] * 3600 + v[1] * 60 + v[0];
}
