/* Raises the software event VEC_UPCALL, whose OS handler the boot test
 * "oshandler" (tests/os/modes.c) replaces with one that nests argv[1]
 * levels deep and then faults: an OS bug on this app's behalf.  The OS must
 * end this app (128 + 14) and carry on; this app must never run again. */
#include "user.h"

int main(int argc, char **argv)
{
    int levels = argc > 1 ? atoi(argv[1]) : 1;
    printf("oshfault: pid %d raises the event, the OS handler faults %d level(s) deep\n",
           getpid(), levels);
    asm volatile("int %0" : : "i"(VEC_UPCALL), "a"(levels) : "memory");
    printf("oshfault: NOT STOPPED\n");
    return 1;
}
