/* Console input: bytes from the PS/2 keyboard (IRQ1) and from COM1 (IRQ4)
 * land in one ring buffer; read(0, ...) blocks on it.  A PC may have no PS/2
 * controller at all (USB keyboards only, no legacy emulation): then the OS
 * says that input is COM1's alone (a USB HID stack is not here).
 *
 * COM1 loses nothing, however much arrives while nobody reads (a paste while
 * a program runs): when the ring is full, the IRQ handler leaves the bytes in
 * the UART, whose FIFO then holds the sender back -- RTS drops for a sender
 * that honours RTS/CTS, and an emulator's back end simply waits -- and once a
 * read has made room, input_get has the UART raise its interrupt again, so
 * only the IRQ handler ever reads the UART and writes the ring.  What the UART
 * itself loses (an overrun: a sender that ignores RTS) is said on the console.
 * A PS/2 keyboard cannot be held back for long (it keeps 16 keys or so): a
 * key that finds the ring full is dropped, and the console says so. */
#include "os.h"
#include "event/event.h"
#include "io/io.h"
#include "sched/proc.h"
#include "sched/sched.h"
#include "drivers/timer.h"

#define COM1 0x3F8
#define IER_RDA 0x01                    /* received-data (and timeout) interrupt */
#define MCR_DTR_OUT2 0x09               /* OUT2 gates the IRQ line */
#define MCR_RTS 0x02

static char ring[4096];
static unsigned head, tail;             /* head: IRQ handlers only; tail: input_get only */
static volatile int com1_held;          /* the UART holds bytes the ring had no room for */
static int kbd_dropping;

static int ring_full(void)
{
    return head - tail >= sizeof ring;
}

static void wake_readers(void)
{
    for (int i = 0; i < NPROC; i++)
        if (procs[i].state == P_BLOCKED && procs[i].waiting == W_INPUT)
            sched_wake(&procs[i], 0);
}

int input_get(char *buf, int n)
{
    int k = 0;
    while (k < n && tail != head)
        buf[k++] = ring[tail++ % sizeof ring];
    if (com1_held && !ring_full()) {
        /* Room again: IER off and on makes the UART lower and raise its
         * interrupt line while it holds data -- a new edge, so IRQ4 comes
         * back and on_com1 takes what waits (16550 datasheet, IIR). */
        com1_held = 0;
        uint32_t io_saved = io_open(COM1, 8);
        outb(COM1 + 1, 0x00);
        outb(COM1 + 1, IER_RDA);
        io_close(COM1, 8, io_saved);
    }
    return k;
}

/* Scan code set 1, unshifted and shifted, for the keys a shell needs. */
static const char keymap[2][58] = {
    "\0\0331234567890-=\b\tqwertyuiop[]\n\0asdfghjkl;'`\0\\zxcvbnm,./\0*\0 ",
    "\0\033!@#$%^&*()_+\b\tQWERTYUIOP{}\n\0ASDFGHJKL:\"~\0|ZXCVBNM<>?\0*\0 ",
};

static void kbd_put(char c)
{
    if (ring_full()) {
        if (!kbd_dropping)
            kprintf("KLOS: keyboard input dropped: %u bytes already wait to be read\n",
                    (unsigned)sizeof ring);
        kbd_dropping = 1;
        return;
    }
    kbd_dropping = 0;
    ring[head++ % sizeof ring] = c;
    wake_readers();
}

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
        kbd_put(ctrl && keymap[1][sc] >= '@' ? keymap[1][sc] & 0x1F : keymap[shift][sc]);
    sched_after_irq(tf);
}

static void on_com1(struct trapframe *tf)
{
    uint32_t io_saved = io_open(COM1, 8);
    int got = 0, overrun = 0;
    uint8_t lsr;
    while ((lsr = inb(COM1 + 5)) & 1) {             /* LSR.DR; reading LSR clears OE */
        overrun |= lsr & 2;
        if (ring_full())
            break;                                  /* leave it in the UART */
        char c = inb(COM1);
        ring[head++ % sizeof ring] = c == '\r' ? '\n' : c;
        got = 1;
    }
    com1_held = lsr & 1;
    outb(COM1 + 4, MCR_DTR_OUT2 | (com1_held ? 0 : MCR_RTS));
    io_close(COM1, 8, io_saved);
    if (overrun)
        kprintf("KLOS: COM1 input overrun: bytes were lost (the sender ignores RTS/CTS)\n");
    if (got)
        wake_readers();
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
    uint32_t io_saved = io_open(COM1, 8);
    outb(COM1 + 1, IER_RDA);
    outb(COM1 + 4, MCR_DTR_OUT2 | MCR_RTS);
    io_close(COM1, 8, io_saved);
    event_hook(VEC_IRQ0 + 1, on_kbd);
    event_hook(VEC_IRQ0 + 4, on_com1);
    pic_unmask(1);
    pic_unmask(4);
}
