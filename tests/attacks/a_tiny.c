/* a_tiny: the soak test's launchee.  Odd pid: exits with code 3.  Even pid:
 * a null-pointer write with no handler, so the OS ends it (#PF). */
#include "user.h"

int main(void)
{
    if (getpid() & 1)
        return 3;
    *(volatile int *)0 = 1;
    return 0;
}
