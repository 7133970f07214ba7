/* One fault per run: `t_fault KIND` (spawned by t_faults / t_segfaults, which
 * check the exit code 128 + vector).  Prints a line, then faults; if the
 * CPU lets the instruction through it says NOT STOPPED and exits 1.
 *
 *   de     divide by zero                  #DE  0
 *   bp     int3                            #BP  3
 *   of     into with OF set                #OF  4
 *   br     bound out of range              #BR  5
 *   ud     ud2                             #UD  6
 *   np     load DS with the boot-time DSOS slot (cleared after relocation)  #NP 11
 *   cli hlt lgdt cr3 rdmsr sti             privileged at CPL 3   #GP 13
 *   in out                                 port not in the I/O bitmap  #GP 13
 *   int80  int 0x80 (past the IDT)         #GP 13
 *   iopl   popf with IOPL=3 (ignored at CPL 3), then cli  #GP 13
 *   pf     read an unmapped app page       #PF 14
 *   stack  unbounded recursion off the stack's end  #PF 14
 * Bochs only (QEMU TCG checks no segment limits / execute-only):
 *   ss     push with ESP below DSAPP's range   #SS 12
 *   osread read 0x10000000 through DS          #GP 13
 *   csread read a Design B stub through CS     #GP 13
 *   null   write through NULL              #GP 13 (QEMU: #PF 14)
 *   stubread textread  read a stub / main through DS  #GP 13 */
#include "user.h"

static volatile int zero;
static volatile int depth_limit = 1 << 30;     /* never reached: the stack ends first */

static int recurse(int n)
{
    volatile char pad[512];
    pad[0] = (char)n;
    if (n >= depth_limit)
        return 0;
    return recurse(n + 1) + pad[0];
}

int main(int argc, char **argv)
{
    const char *k = argc > 1 ? argv[1] : "";
    static const int bounds[2] = { 0, 1 };
    unsigned v = 0;

    printf("t_fault %s: faulting now\n", k);
    if (!strcmp(k, "de"))
        asm volatile("xorl %%edx, %%edx; movl $1, %%eax; divl %1" : "=a"(v) : "c"(zero) : "edx");
    else if (!strcmp(k, "bp"))
        asm volatile("int3");
    else if (!strcmp(k, "of"))
        asm volatile("movb $0x7f, %%al; addb $1, %%al; into" : : : "eax", "cc");
    else if (!strcmp(k, "br"))
        asm volatile("movl $5, %%eax; boundl %%eax, %0" : : "m"(bounds) : "eax");
    else if (!strcmp(k, "ud"))
        asm volatile("ud2");
    else if (!strcmp(k, "np"))
        asm volatile("push %%ds; movw %0, %%ax; movw %%ax, %%ds; pop %%ds"
                     : : "i"(SEL_DSOS_INIT) : "eax");
    else if (!strcmp(k, "cli"))
        asm volatile("cli");
    else if (!strcmp(k, "sti"))
        asm volatile("sti");
    else if (!strcmp(k, "hlt"))
        asm volatile("hlt");
    else if (!strcmp(k, "lgdt"))
        asm volatile("lgdt %0" : : "m"(bounds));
    else if (!strcmp(k, "cr3"))
        asm volatile("xorl %%eax, %%eax; movl %%eax, %%cr3" : : : "eax");
    else if (!strcmp(k, "rdmsr"))
        asm volatile("movl $0x10, %%ecx; rdmsr" : : : "eax", "ecx", "edx");
    else if (!strcmp(k, "in"))
        asm volatile("inb $0x60, %%al" : : : "eax");
    else if (!strcmp(k, "out"))
        asm volatile("movb $0xfe, %%al; outb %%al, $0x64" : : : "eax");   /* would reset the PC */
    else if (!strcmp(k, "int80"))
        asm volatile("int $0x80");
    else if (!strcmp(k, "iopl"))
        asm volatile("pushfl; orl $0x3000, (%%esp); popfl; cli; pushfl; popl %0; sti"
                     : "=r"(v) : : "cc");
    else if (!strcmp(k, "pf"))
        v = *(volatile unsigned *)0xA0000000;
    else if (!strcmp(k, "null"))
        *(volatile unsigned *)0 = 1;
    else if (!strcmp(k, "stack"))
        v = recurse(0);
    else if (!strcmp(k, "ss"))
        asm volatile("movl %%esp, %%edx; movl $0x10000010, %%esp; pushl %%eax; movl %%edx, %%esp"
                     : : : "edx", "memory");
    else if (!strcmp(k, "osread"))
        v = *(volatile unsigned *)0x10000000;
    else if (!strcmp(k, "stubread"))
        v = *(volatile unsigned *)SVC_B_ADDR(SVC_write);
    else if (!strcmp(k, "textread"))
        v = *(volatile unsigned *)(uintptr_t)main;
    else if (!strcmp(k, "csread"))
        asm volatile("movl %%cs:%c1, %0" : "=r"(v) : "i"(SVC_B_ADDR(SVC_write)));
    else {
        printf("t_fault: unknown kind '%s'\n", k);
        return 2;
    }
    printf("t_fault %s: NOT STOPPED (%x)\n", k, v);
    return 1;
}
