/* A fault inside the app's own fault handler: the OS must not deliver it to
 * the handler again (no loop) but end the app with the nested fault. */
#include "user.h"

static int on_fault(struct klos_fault *f)
{
    printf("hfault: handler got vector %u, now faulting inside it\n", (unsigned)f->vec);
    *(volatile unsigned *)0 = 1;        /* #PF, null */
    printf("hfault: NOT STOPPED in the handler\n");
    return 0;
}

int main(void)
{
    klos_on_fault(on_fault);
    asm volatile("ud2");
    printf("hfault: NOT STOPPED\n");
    return 1;
}
