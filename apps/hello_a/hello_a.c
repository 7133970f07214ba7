/* Greet through the Design A trampoline only (the libc's snprintf formats;
 * it makes no service call). */
#include "user.h"

int main(void)
{
    char buf[64];
    int n = snprintf(buf, sizeof buf, "hello from pid %d via Design A\n", klosA_getpid());

    if (n > (int)sizeof buf - 1)
        n = sizeof buf - 1;
    klosA_write(1, buf, n);
    return 0;
}
