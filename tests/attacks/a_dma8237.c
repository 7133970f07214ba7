/* a_dma8237: the ISA DMA controller with the floppy controller.  A
 * driver app (drivers=a_dma8237) asks for the FDC (0x3F2-0x3F5, 0x3F7) and
 * for channel 2 of the 8237 (address/count 0x04-0x05, mask/mode/flip-flop
 * 0x0A-0x0C, page 0x81), then has the FDC write sectors in DMA mode whose
 * data the 8237 reads from the GDT's frame (below 16 MiB: the OS image lies
 * at 1 MiB), reads them back in non-DMA (PIO) mode, then the LDT, finds DSOS
 * in the copies and loads it.  QEMU's FDC and i8257 do both directions; the
 * one used here, memory -> floppy, needs no physical address of the app's.
 *
 * Default: the 8237 is the OS's (refused, #GP); the FDC alone is granted --
 * no device of the PC decodes it but the floppy controller, which can reach
 * memory only through the 8237 -- and a DMA-mode write with channel 2 masked
 * by the OS moves nothing: result=contained.  With dma=nobar (test kernel)
 * the 8237 is granted: BREACH. */
#include "dmaleak.h"

#define FDC_DOR  0x3F2
#define FDC_MSR  0x3F4
#define FDC_FIFO 0x3F5
#define FDC_CCR  0x3F7

static int fdc_out(uint8_t b)
{
    for (int t = uptime(); uptime() - t < 100; yield())
        if ((inb_(FDC_MSR) & 0xC0) == 0x80) {
            outb_(FDC_FIFO, b);
            return 0;
        }
    return -1;
}

static int fdc_in(void)
{
    for (int t = uptime(); uptime() - t < 100; yield())
        if ((inb_(FDC_MSR) & 0xC0) == 0xC0)
            return inb_(FDC_FIFO);
    return -1;
}

static int fdc_result(uint8_t *st, int n)
{
    for (int i = 0; i < n; i++) {
        int b = fdc_in();
        if (b < 0)
            return -1;
        st[i] = b;
    }
    return 0;
}

static int sense(void)
{
    uint8_t r[2];
    return fdc_out(0x08) < 0 || fdc_result(r, 2) < 0 ? -1 : r[0];
}

static int fdc_reset(int dma)
{
    outb_(FDC_DOR, 0x00);
    outb_(FDC_DOR, 0x1C);                               /* motor A, DMA/IRQ gate, not reset */
    for (int i = 0; i < 4; i++)
        sense();
    outb_(FDC_CCR, 0);                                  /* 500 kbit/s: 1.44 MB */
    /* SPECIFY: step rate, head unload; head load time, ND (non-DMA) */
    if (fdc_out(0x03) < 0 || fdc_out(0xDF) < 0 || fdc_out(dma ? 0x02 : 0x03) < 0)
        return -1;
    if (fdc_out(0x07) < 0 || fdc_out(0) < 0)            /* RECALIBRATE drive 0 */
        return -1;
    return sense() < 0 ? -1 : 0;
}

static int seek(int cyl, int head)
{
    if (fdc_out(0x0F) < 0 || fdc_out(head << 2) < 0 || fdc_out(cyl) < 0)
        return -1;
    return sense() < 0 ? -1 : 0;
}

/* READ DATA (0x46) or WRITE DATA (0x45) of one sector; with buf, the data
 * goes through the FIFO (non-DMA mode).  0, or -1. */
static int sector_cmd(uint8_t cmd, int lba, uint8_t *buf)
{
    int c = lba / 36, h = (lba / 18) % 2, r = lba % 18 + 1;
    uint8_t res[7];
    if (seek(c, h) < 0)
        return -1;
    uint8_t b[9] = { cmd, h << 2, c, h, r, 2, r, 0x1B, 0xFF };
    for (int i = 0; i < 9; i++)
        if (fdc_out(b[i]) < 0)
            return -1;
    for (int i = 0; buf && i < 512; i++) {
        int v = fdc_in();
        if (v < 0)
            return -1;
        buf[i] = v;
    }
    if (fdc_result(res, 7) < 0)
        return -1;
    return res[0] & 0xC0 ? -1 : 0;                      /* ST0: abnormal termination */
}

/* Channel 2: single transfer, memory -> device ("read"), 512 bytes at phys. */
static void dma_channel2(uint32_t phys)
{
    outb_(0x0A, 0x06);                                  /* mask channel 2 */
    outb_(0x0C, 0);                                     /* flip-flop */
    outb_(0x0B, 0x4A);
    outb_(0x04, phys);
    outb_(0x04, phys >> 8);
    outb_(0x81, phys >> 16);
    outb_(0x0C, 0);
    outb_(0x05, 511 & 0xFF);
    outb_(0x05, 511 >> 8);
    outb_(0x0A, 0x02);                                  /* unmask channel 2 */
}

/* n sectors from phys to the floppy at lba (DMA), then back by PIO into buf. */
static int copy_table(uint32_t phys, int lba, uint8_t *buf, int n)
{
    if (fdc_reset(1) < 0)
        return -1;
    for (int s = 0; s < n; s++) {
        dma_channel2(phys + 512 * s);
        if (sector_cmd(0x45, lba + s, 0) < 0)
            return -1;
    }
    if (fdc_reset(0) < 0)
        return -1;
    for (int s = 0; s < n; s++)
        if (sector_cmd(0x46, lba + s, buf + 512 * s) < 0)
            return -1;
    return 0;
}

int main(void)
{
    byst_join();
    probe_init();
    int fdc = KLOS_SVC(ioperm, FDC_DOR, 4), ccr = KLOS_SVC(ioperm, FDC_CCR, 1);
    int d1 = KLOS_SVC(ioperm, 0x04, 2), d2 = KLOS_SVC(ioperm, 0x0A, 3),
        d3 = KLOS_SVC(ioperm, 0x81, 1);
    printf("dma8237: ioperm fdc 3f2-3f5: %d, 3f7: %d; 8237 channel 2 04-05: %d, 0a-0c: %d, "
           "page 81: %d\n", fdc, ccr, d1, d2, d3);
    if (fdc < 0 || ccr < 0) {
        printf("ATTACK name=dma8237 the floppy controller was refused result=ERROR\n");
        byst_leave();
        return 1;
    }
    if (d1 < 0 || d2 < 0 || d3 < 0) {
        /* the FDC alone: a DMA-mode write waits for a channel the OS masked */
        const char *a = port_state(0x0A), *b = port_state(0x81);
        static uint8_t sec[512];
        int wrote = fdc_reset(1) == 0 && sector_cmd(0x45, 5, 0) == 0;
        int back = fdc_reset(0) == 0 && sector_cmd(0x46, 5, sec) == 0;
        int moved = 0;
        for (int i = 0; i < 512; i++)
            moved |= sec[i];
        int ok = d1 == -EBUSY && d2 == -EBUSY && d3 == -EBUSY && !strcmp(a, "#GP") &&
                 !strcmp(b, "#GP") && !wrote && back && !moved;
        printf("ATTACK name=dma8237 ports=refused port_0a=%s port_81=%s fdc=granted "
               "fdc_dma_write=%s sector_after=%s result=%s\n", a, b,
               wrote ? "completed" : "never-done", back ? (moved ? "changed" : "unchanged") : "?",
               ok ? "contained" : "BREACH");
        byst_leave();
        return !ok;
    }
    const char *what = "nothing";
    if (copy_table(gdt_phys(), 0, gdt_copy, 128) == 0 && gdt_plausible(gdt_copy)) {
        int have_ldt = copy_table(ldt_phys(gdt_copy), 128, ldt_copy, 128) == 0;
        what = judge_copies("dma8237", have_ldt) ? "gdt,dsos" : "gdt";
    } else {
        printf("dma8237: the sectors read back hold no GDT: the DMA moved nothing\n");
    }
    printf("ATTACK name=dma8237 ports=granted dma=%s result=%s\n", what,
           strcmp(what, "nothing") ? "BREACH" : "contained");
    byst_leave();
    return 0;
}
