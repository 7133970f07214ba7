/* A minimal check for host unit tests: one PASS/FAIL line per check, and
 * check_exit() makes the process fail if any check failed. */
#ifndef CHECK_H
#define CHECK_H
#include <stdio.h>

static int check_failed;

#define CHECK(name, cond) do {                                          \
        if (cond)                                                       \
            printf("PASS %s\n", name);                                  \
        else {                                                          \
            printf("FAIL %s: %s (%s:%d)\n", name, #cond, __FILE__, __LINE__); \
            check_failed = 1;                                           \
        }                                                               \
    } while (0)

static inline int check_exit(void)
{
    return check_failed;
}
#endif
