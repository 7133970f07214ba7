/* a_readstub: try to read the service stubs -- where the DSOS selector is an
 * immediate -- through CS (mov eax, cs:[addr]).  CSOS is execute-only, so
 * every CS-relative read must #GP, even of the app's own code; reading the
 * stubs through DS must #GP too (above DSAPP's limit).  Covers every Design B
 * and hardened Design B stub page and the Design A trampoline, at the
 * immediate (byte 2) and at byte 0.  Needs Bochs (QEMU TCG ignores
 * execute-only and limits).
 * Prints ATTACK name=readstub ... result=contained | BREACH. */
#include "attack.h"

void rd_cs(uint32_t addr);
asm(".text\n"
    ".globl rd_cs\n"
    "rd_cs:\n"
    "  movl 4(%esp), %edx\n"
    "  movl %cs:(%edx), %eax\n"
    "  movl %eax, rd_val\n"
    "  ret\n");

static int tries, gp, other, ok;
static uint32_t leak;

static void one(void (*fn)(uint32_t), uint32_t addr)
{
    int r = probe_call(fn, addr);
    tries++;
    if (!r) {
        ok++;
        if (!leak)
            leak = rd_val;
    } else if ((r & 0xFF) == 13) {
        gp++;
    } else {
        other++;
    }
}

int main(void)
{
    probe_init();
    int cs_b = 0, cs_h = 0, cs_a = 0, ds_all = 0;
    int g0;
    for (int n = 0; n < SVC_COUNT; n++) {
        g0 = gp;
        one(rd_cs, SVC_B_ADDR(n) + 2);
        one(rd_cs, SVC_B_ADDR(n));
        cs_b += gp - g0;
        g0 = gp;
        one(rd_cs, SVC_H_ADDR(n) + 2);
        one(rd_cs, SVC_H_ADDR(n));
        cs_h += gp - g0;
        g0 = gp;
        one(rd_ds, SVC_B_ADDR(n) + 2);
        one(rd_ds, SVC_H_ADDR(n) + 2);
        ds_all += gp - g0;
    }
    g0 = gp;
    one(rd_cs, SVC_A_BASE + 2);
    one(rd_cs, SVC_A_BASE);
    cs_a += gp - g0;
    g0 = gp;
    one(rd_ds, SVC_A_BASE + 2);
    ds_all += gp - g0;
    g0 = gp;
    one(rd_cs, (uint32_t)main);                 /* even the app's own code */
    int own = gp - g0;
    printf("ATTACK name=readstub services=%d tries=%d gp=%d other=%d read_ok=%d "
           "cs_designB_gp=%d/%d cs_hardened_gp=%d/%d cs_designA_gp=%d/2 ds_gp=%d/%d "
           "own_code_cs_gp=%d/1 first_leak=%08x result=%s\n",
           SVC_COUNT, tries, gp, other, ok, cs_b, 2 * SVC_COUNT, cs_h, 2 * SVC_COUNT, cs_a,
           ds_all, 2 * SVC_COUNT + 1, own, leak, ok || other ? "BREACH" : "contained");
    return 0;
}
