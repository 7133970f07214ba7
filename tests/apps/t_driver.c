/* A ring-3 driver (named in drivers= on the command line) asks for its
 * ports and uses them: write two values to a scratch byte and read them
 * back, with no #GP.  A port it was not given still raises #GP (caught and
 * counted here).  With t_nodriver beside it (apps=par) the ports stay
 * closed to t_nodriver and open to this app across the switches between
 * them (per-process I/O bitmaps).  (The ports the OS's own drivers use are
 * refused to every driver app: tests/attacks/a_ioperm.c.) */
#include "user.h"
#include "t_driver.h"

static volatile int gp;

/* Skip a faulting in/out (EC, EE: in al,dx / out dx,al); in gives 0xEE.
 * The sites come from KLOS_SITE: the app cannot read its own text. */
static int on_fault(struct klos_fault *f)
{
    int op = klos_site(f->ctx.eip);
    if (f->vec != 13 || (op != 0xEC && op != 0xEE))
        return 0;
    if (op == 0xEC)
        f->ctx.eax = (f->ctx.eax & ~0xFFu) | 0xEE;
    gp++;
    f->ctx.eip += 1;
    return 1;
}

static int scratch(const char *when)
{
    gp = 0;
    scratch_put(0x5A);
    uint8_t a = scratch_get();
    scratch_put(0xA5);
    uint8_t b = scratch_get();
    int ok = a == 0x5A && b == 0xA5 && gp == 0;
    printf("driver: %s: wrote 5a a5, read %x %x, %d #GP: %s\n", when, a, b, gp,
           ok ? "ok" : "WRONG");
    return ok;
}

int main(void)
{
    struct drv_shm *sh = drv_shm();
    klos_on_fault(on_fault);

    int r = KLOS_SVC(ioperm, DRV_PORT, DRV_NPORTS);
    int bad_range = KLOS_SVC(ioperm, 0xFFFF, 2);
    printf("driver: ioperm(%x, %d) = %d, ioperm(ffff, 2) = %d: %s\n", DRV_PORT, DRV_NPORTS, r,
           bad_range, r == 0 && bad_range < 0 ? "ok" : "WRONG");
    int ok = r == 0 && scratch("scratch byte");
    gp = 0;
    port_in(DRV_NOT_GRANTED);
    printf("driver: port %x (not granted) raised #GP %d time(s): %s\n", DRV_NOT_GRANTED, gp,
           gp == 1 ? "ok" : "WRONG");
    ok = ok && gp == 1;

    if (sh) {
        sh->granted = 1;
        for (int i = 0; i < 200 && !sh->trying; i++)
            sleep(1);                   /* t_nodriver (if present) runs meanwhile */
        sleep(5);
        ok = scratch(sh->trying ? "after t_nodriver tried" : "after sleeping") && ok;
    }
    return !ok;
}
