/* Read the first byte of the OS region through DSAPP.  Its limit ends at
 * 0xBFFFFFFF, so the CPU must raise #GP (checked by Bochs; QEMU TCG does
 * not enforce segment limits) and the OS must end this app only. */
#include "user.h"

int main(void)
{
    unsigned v;

    printf("t_osread: reading 0xC0000000 through DS\n");
    v = *(volatile unsigned *)0xC0000000;
    printf("t_osread: NOT STOPPED: read %x\n", v);
    return 1;
}
