/* a_faultesp: fault with a handler registered and ESP pointing where the OS
 * must not write the fault frame (JOS's faultevilhandler / faultnostack).
 * The OS builds the 64-byte struct klos_fault and an 8-byte call frame just
 * below the app's ESP (os/fault/fault.c deliver), through the direct map: a
 * write that ignores DSAPP's limit.  Only its check of the stack range keeps
 * it out of the OS region; without it:
 *   stub       ESP inside the Design B write stub's page: the frame overwrites
 *              the stub every app calls (the next printf, and hello, die)
 *   iobitmap   ESP inside this process's I/O-bitmap page (U=1): the frame's
 *              zero words open ports
 *   limit      the frame straddles the bottom of DSAPP (APP_DATA_BASE)
 *   top        ESP near 4 GiB
 *   wrap       ESP = 16: the frame would wrap below 0 to the top of memory
 *   zero       ESP = 0
 *   below      the exact bottom edge: ESP one byte lower than the lowest ESP
 *              whose frame starts at APP_DATA_BASE, so it would start 4 bytes
 *              below (the frame is 4-byte aligned)
 *   wrap4      the exact top edge: ESP = 4, the frame would end 4 bytes past
 *              4 GiB (the first aligned end past it)
 * (test=faultedge, tests/os/guard.c, runs the edges with the next layer taken
 * away -- the pages beyond them made present, user, writable -- so that the
 * stack check alone decides: "a_faultesp xHEX" sets ESP = HEX.)
 * Each case runs in a child (spawn "a_faultesp CASE"), which sets ESP, zeroes
 * the other registers and executes UD2.  Contained: the OS refuses to deliver
 * and ends the child by #UD (status 128 + 6); the child's handler never runs
 * (it would exit 77).  Then the parent prints through the write stub.
 * Prints one ATTACK name=faultesp_CASE line per case and ATTACK name=faultesp
 * ... result=contained | BREACH. */
#include "attack.h"


static const char *const names[] = { "stub", "iobitmap", "limit", "top", "wrap", "zero",
                                      "below", "wrap4" };

/* The lowest ESP whose frame (struct klos_fault, 4-byte aligned, and the
 * handler's 8-byte call frame below it) starts at APP_DATA_BASE. */
#define FRAME_BOTTOM_ESP (APP_DATA_BASE + 8 + sizeof(struct klos_fault))
#define NCASE (int)(sizeof names / sizeof names[0])

static uint32_t case_esp(int i)
{
    switch (i) {
    case 0: return (uint32_t)svcB_write + 80;   /* the frame over bytes 8..80 of the stub */
    case 1: return IOBITMAP_VA + 80;
    case 2: return APP_DATA_BASE + 8;
    case 3: return 0xFFFFFFF0u;
    case 4: return 16;
    case 5: return 0;
    case 6: return FRAME_BOTTOM_ESP - 1;
    default: return 4;
    }
}

void fault_at_esp(uint32_t esp);
asm(".text\n"
    ".globl fault_at_esp\n"
    "fault_at_esp:\n"
    "  movl 4(%esp), %esp\n"
    "  xorl %eax, %eax\n"
    "  xorl %ebx, %ebx\n"
    "  xorl %ecx, %ecx\n"
    "  xorl %edx, %edx\n"
    "  xorl %esi, %esi\n"
    "  xorl %edi, %edi\n"
    "  xorl %ebp, %ebp\n"
    "  ud2\n");

/* The handler (registered with exc_register itself, not through the libc's
 * entry): delivered means the OS wrote the frame.  It leaves the stack it was
 * given before it touches it -- a frame delivered at the very bottom of the
 * app data region leaves it no room -- and exits with 77. */
static uint8_t handler_stack[1024] __attribute__((aligned(16), used));
void on_fault(void);
asm(".text\n"
    "on_fault:\n"
    "  movl $handler_stack + 1024, %esp\n"
    "  pushl $77\n"
    "  call exit\n");

int main(int argc, char **argv)
{
    if (argc > 1) {
        klos_exc_register(on_fault);
        fault_at_esp(argv[1][0] == 'x' ? strtoul(argv[1] + 1, 0, 16) : case_esp(atoi(argv[1])));
        return 1;
    }
    int breached = 0;
    for (int i = 0; i < NCASE; i++) {
        char arg[8];
        snprintf(arg, sizeof arg, "%d", i);
        int st = -1, pid = spawn("a_faultesp", arg);
        if (pid < 0 || wait(pid, &st) != pid) {
            printf("ATTACK name=faultesp result=ERROR why=spawn pid=%d\n", pid);
            return 2;
        }
        int ok = st == 128 + 6;
        breached += !ok;
        printf("ATTACK name=faultesp_%s esp=%x status=%d result=%s\n", names[i], case_esp(i), st,
               ok ? "contained" : "BREACH");
    }
    printf("ATTACK name=faultesp cases=%d breached=%d result=%s\n", NCASE, breached,
           breached ? "BREACH" : "contained");
    return breached != 0;
}
