/* Runs until something stops it (the shell's Ctrl-C: tests/extra/kbd.py). */
#include "user.h"

int main(void)
{
    printf("forever: running\n");
    for (;;)
        sleep(100);
}
