/* Read the Design B stub of write through CS.  CSOS is execute-only, so the
 * CPU must raise #GP (checked by Bochs; QEMU TCG does not enforce it) and
 * the OS must end this app only. */
#include "user.h"

int main(void)
{
    unsigned v;

    printf("t_csread: reading %x through CS\n", (unsigned)SVC_B_ADDR(SVC_write));
    asm volatile("movl %%cs:%c1, %0" : "=r"(v) : "i"(SVC_B_ADDR(SVC_write)));
    printf("t_csread: NOT STOPPED: read %x\n", v);
    return 1;
}
