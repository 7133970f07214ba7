/* t_nap: sleep the number of ticks given (default 100), saying when it starts
 * and ends -- a program that runs a while without reading input
 * (tests/extra/shell_paste.py types ahead while it runs). */
#include "user.h"

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 100;
    printf("nap: sleeping %d ticks\n", n);
    sleep(n);
    printf("nap: awake\n");
    return 0;
}
