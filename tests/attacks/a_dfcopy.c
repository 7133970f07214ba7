/* a_dfcopy: services called with EFLAGS.DF=1, through
 * Design B, hardened Design B and Design A.  The OS's C code assumes the
 * ABI's DF=0: a stub that does not clear DF makes memcpy run downwards
 * through the direct map, writing below the destination -- for a
 * destination at the start of a page, into whatever physical frame lies
 * below it (another process's page, a page table).  Each call's output must
 * be exactly what the same call gives with DF=0 and the bytes around it
 * untouched; the last round aims at page starts, where a backwards copy
 * would hit the bystander or the OS.
 * Prints ATTACK name=dfcopy ... result=contained | BREACH. */
#include "user.h"
#include "klos_cpu.h"
#include "bystander.h"

/* df_call(fn, a1..a4): fn(a1..a4) with DF=1 (Design A: fn = svcA_entry, a1 = n). */
int df_call(void *fn, int a1, int a2, int a3, int a4, int a5);
asm(".text\n.globl df_call\ndf_call:\n"
    "  pushl %ebp\n  movl %esp, %ebp\n"
    "  pushl 28(%ebp)\n  pushl 24(%ebp)\n  pushl 20(%ebp)\n  pushl 16(%ebp)\n  pushl 12(%ebp)\n"
    "  std\n  call *8(%ebp)\n  cld\n"
    "  leave\n  ret\n");

#define CANARY 0xA5
static uint8_t area[3][4096] __attribute__((aligned(4096)));
static char ref[4096];

enum { D_B, D_H, D_A };
static const char *const dname[] = { "B", "H", "A" };

/* One service, one design: DF=1 into dst, compared with ref (the DF=0 output). */
static int try(const char *what, int design, int svc, void *fb, void *fh, uint8_t *dst,
               int a2, int len, int skip)
{
    memset(area, CANARY, sizeof area);
    int r;
    if (design == D_A)
        r = df_call(svcA_entry, svc, (int)dst, a2, 0, 0);
    else
        r = df_call(design == D_B ? fb : fh, (int)dst, a2, 0, 0, 0);
    int bad = r < 0 || memcmp(dst + skip, ref + skip, len - skip) != 0;
    for (uint8_t *p = &area[0][0]; p < &area[0][0] + sizeof area; p++)
        if ((p < dst || p >= dst + len) && *p != CANARY)
            bad = 1;
    if (bad)
        printf("dfcopy: %s via %s with DF=1: WRONG (r=%d)\n", what, dname[design], r);
    return bad;
}

int main(void)
{
    uint32_t before = byst_join();
    int calls = 0, bad = 0;
    static const char msg[] = "dfcopy: this line was written with DF=1 and came out whole\n";
    df_call(svcB_write, 1, (int)msg, sizeof msg - 1, 0, 0);
    calls++;
    /* destinations: mid-page (a backwards copy hits our own canaries), then
     * page starts (it would hit the frame below, someone else's) */
    uint8_t *dsts[] = { &area[1][2048], &area[1][0], &area[2][0] };
    for (unsigned i = 0; i < sizeof dsts / sizeof dsts[0]; i++) {
        for (int d = D_B; d <= D_A; d++) {
            uint32_t m[3];              /* compared: the frame size (the counts move) */
            klos_meminfo(m);
            memcpy(ref, m, sizeof m);
            bad += try("meminfo", d, SVC_meminfo, svcB_meminfo, svcH_meminfo, dsts[i], 0, 12, 4);
            calls++;
            struct klos_cpuinfo ci;
            klos_cpuinfo(&ci);
            memcpy(ref, &ci, sizeof ci);
            bad += try("cpuinfo", d, SVC_cpuinfo, svcB_cpuinfo, svcH_cpuinfo, dsts[i], 0,
                       sizeof ci, 0);
            calls++;
            int n = klos_modules(ref, 512);
            bad += try("modules", d, SVC_modules, svcB_modules, svcH_modules, dsts[i], 512,
                       n + 1, 0);
            calls++;
        }
    }
    uint32_t after = byst_free_frames();
    int ok = !bad && before == after;
    printf("ATTACK name=dfcopy calls=%d wrong=%d frames_before=%u frames_after=%u result=%s\n",
           calls, bad, before, after, ok ? "contained" : "BREACH");
    byst_leave();
    return !ok;
}
