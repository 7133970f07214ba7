/* An app's own fault handler (klos_on_fault, apps/lib/fault.c) catches #GP
 * and goes on:
 *   1. cli: the handler first asks for IOPL 3 in the saved EFLAGS and
 *      resumes at the same cli; the OS must drop that, so the cli faults
 *      again; then the handler skips it (EIP + 1).  Two faults, one cli.
 *   2. in al, 0x60: emulated by the handler (AL = 0x5A, EIP + 2).
 *   3. 100 more cli's, each skipped: the handler path does not wear out.
 *   4. EBX, ESI, EDI, EBP survive a fault and resume unchanged.
 * Then a #PF the handler declines: the libc reports it and the app exits
 * with 128 + 14 (only this app: the next module still runs). */
#include "user.h"

static volatile int faults, cli_seen;

static int on_fault(struct klos_fault *f)
{
    int site = klos_site(f->ctx.eip);   /* the app cannot read its own text */

    if (f->vec != 13)
        return 0;                       /* not ours: the libc ends the app */
    faults++;
    if (site == 0xFA) {                 /* cli */
        if (cli_seen++ == 0) {
            f->ctx.eflags |= 0x3000;    /* IOPL 3, please (must be ignored) */
            return 1;
        }
        f->ctx.eip += 1;
        return 1;
    }
    if (site == 0xE4) {                 /* in al, 0x60 */
        f->ctx.eax = (f->ctx.eax & ~0xFFu) | 0x5A;
        f->ctx.eip += 2;
        return 1;
    }
    return 0;
}

int main(void)
{
    unsigned al = 0, efl;
    unsigned b = 0x11111111, s = 0x22222222, d = 0x33333333;

    if (klos_on_fault(on_fault) < 0) {
        printf("handler: klos_on_fault failed\n");
        return 1;
    }
    asm volatile(KLOS_SITE(0xFA) "cli; pushfl; popl %0" : "=r"(efl) : : "memory");
    printf("handler: cli skipped after %d faults, IOPL now %u: %s\n", faults, (efl >> 12) & 3,
           faults == 2 && !(efl & 0x3000) ? "ok" : "WRONG");

    faults = 0;
    asm volatile("movb $0, %%al;" KLOS_SITE(0xE4) "inb $0x60, %%al; movzbl %%al, %0"
                 : "=a"(al) : : "memory");
    printf("handler: in al,0x60 emulated, al=%x: %s\n", al, faults == 1 && al == 0x5A ? "ok" : "WRONG");

    faults = 0;
    for (int i = 0; i < 100; i++)
        asm volatile(KLOS_SITE(0xFA) "cli" : : : "memory");
    printf("handler: 100 cli skipped, %d faults: %s\n", faults, faults == 100 ? "ok" : "WRONG");

    faults = 0;
    asm volatile(KLOS_SITE(0xFA) "cli" : "+b"(b), "+S"(s), "+D"(d) : : "memory");
    asm volatile("pushl %%ebp; movl $0x44444444, %%ebp;" KLOS_SITE(0xFA)
                 "cli; movl %%ebp, %%eax; popl %%ebp"
                 : "=a"(al) : : "memory");
    printf("handler: registers across a fault ebx=%x esi=%x edi=%x ebp=%x: %s\n", b, s, d, al,
           b == 0x11111111 && s == 0x22222222 && d == 0x33333333 && al == 0x44444444 && faults == 2
           ? "ok" : "WRONG");

    printf("handler: now a #PF the handler declines\n");
    *(volatile unsigned *)0xA0000000 = 1;
    printf("handler: NOT STOPPED\n");
    return 1;
}
