/* Read the first byte of the OS data region (0x10000000) through DSAPP.  DSAPP
 * is expand-down from 0x80000000, so the CPU must raise #GP (checked by Bochs; QEMU TCG does
 * not enforce segment limits) and the OS must end this app only. */
#include "user.h"

int main(void)
{
    unsigned v;

    printf("t_osread: reading 0x10000000 through DS\n");
    v = *(volatile unsigned *)0x10000000;
    printf("t_osread: NOT STOPPED: read %x\n", v);
    return 1;
}
