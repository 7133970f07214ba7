/* Console input: bytes from the PS/2 keyboard (IRQ1) and from COM1 (IRQ4)
 * land in one ring buffer; read(0, ...) blocks on it.  A PC may have no PS/2
 * controller at all (USB keyboards only, no legacy emulation): then the OS
 * says that input is COM1's alone (a USB HID stack is not here). */
#include "os.h"
#include "event/event.h"
#include "io/io.h"
#include "sched/proc.h"
#include "sched/sched.h"
#include "drivers/timer.h"

static char ring[4096];                 /* a paste of a few lines fits */
static unsigned head, tail;

static void input_put(char c)
{
    if (head - tail < sizeof ring)
        ring[head++ % sizeof ring] = c;
    for (int i = 0; i < NPROC; i++)
        if (procs[i].state == P_BLOCKED && procs[i].waiting == W_INPUT)
            sched_wake(&procs[i], 0);
}

int input_get(char *buf, int n)
{
    int k = 0;
    while (k < n && tail != head)
        buf[k++] = ring[tail++ % sizeof ring];
    return k;
}

/* Scan code set 1, unshifted and shifted, for the keys a shell needs. */
static const char keymap[2][58] = {
    "\0\0331234567890-=\b\tqwertyuiop[]\n\0asdfghjkl;'`\0\\zxcvbnm,./\0*\0 ",
    "\0\033!@#$%^&*()_+\b\tQWERTYUIOP{}\n\0ASDFGHJKL:\"~\0|ZXCVBNM<>?\0*\0 ",
};

static void on_kbd(struct trapframe *tf)
{
    static int shift, ctrl;
    uint32_t io_saved = io_open(0x60, 5);
    int full = inb(0x64) & 1;               /* else a stale IRQ (the probe's answer was read) */
    uint8_t sc = full ? inb(0x60) : 0;
    io_close(0x60, 5, io_saved);
    if (sc == 0x2A || sc == 0x36)
        shift = 1;
    else if (sc == 0xAA || sc == 0xB6)
        shift = 0;
    else if (sc == 0x1D || sc == 0x9D)              /* left Ctrl (right Ctrl: E0 1D) */
        ctrl = sc == 0x1D;
    else if (sc < sizeof keymap[0] && keymap[shift][sc])
        input_put(ctrl && keymap[1][sc] >= '@' ? keymap[1][sc] & 0x1F : keymap[shift][sc]);
    sched_after_irq(tf);
}

static void on_com1(struct trapframe *tf)
{
    uint32_t io_saved = io_open(0x3F8, 8);
    while (inb(0x3FD) & 1) {
        char c = inb(0x3F8);
        input_put(c == '\r' ? '\n' : c);
    }
    io_close(0x3F8, 8, io_saved);
    sched_after_irq(tf);
}

/* Does an 8042 answer?  Where there is none the status port reads 0xFF (the
 * bus floats); else it must answer "read configuration" (command 0x20) within
 * 2^25 TSC cycles (10 ms at 3 GHz): never a wait without an end. */
static int ps2_present(void)
{
    uint32_t io_saved = io_open(0x60, 5);
    int ok = 0;
    if (inb(0x64) != 0xFF) {
        for (int i = 0; i < 16 && (inb(0x64) & 1); i++)
            inb(0x60);                      /* drop what it held */
        uint64_t t0 = rdtsc();
        while ((inb(0x64) & 2) && rdtsc() - t0 < (1u << 25))
            ;
        outb(0x64, 0x20);
        while (!(ok = inb(0x64) & 1) && rdtsc() - t0 < (1u << 25))
            ;
        if (ok)
            inb(0x60);
    }
    io_close(0x60, 5, io_saved);
    return ok;
}

void input_init(void)
{
    if (!ps2_present())
        kprintf("KLOS: no PS/2 controller answers: input is COM1-only on this PC "
                "(a USB keyboard needs PS/2 emulation in the firmware)\n");
    uint32_t io_saved = io_open(0x3F8, 8);
    outb(0x3F9, 0x01);                  /* IER: received-data interrupt */
    outb(0x3FC, 0x0B);                  /* MCR: OUT2 gates the IRQ line */
    io_close(0x3F8, 8, io_saved);
    event_hook(VEC_IRQ0 + 1, on_kbd);
    event_hook(VEC_IRQ0 + 4, on_com1);
    pic_unmask(1);
    pic_unmask(4);
}
