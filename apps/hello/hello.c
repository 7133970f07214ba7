/* The first app: greet through the libc (printf, Design B), then through
 * the Design B stub directly. */
#include "user.h"

int main(void)
{
    static const char msg[] = "hello: klos_write direct\n";

    printf("hello from pid %d via Design B\n", getpid());
    klos_write(1, msg, sizeof msg - 1);
    return 0;
}
