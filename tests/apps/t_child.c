/* A child for t_spawn100: takes memory (heap, stack) and exits with 42, or
 * with the number given as its argument. */
#include "user.h"

int main(int argc, char **argv)
{
    char *p = malloc(64 * 1024);
    if (!p)
        return 1;
    for (int i = 0; i < 64 * 1024; i += 4096)
        p[i] = (char)i;
    free(p);
    return argc > 1 ? atoi(argv[1]) : 42;
}
