/* a_sealjump: write LAR, LSL, VERR and VERW into memory the app can write --
 * its heap, its stack, its static data and a shared-memory region -- and
 * jump there.  With the sealed layout (docs/DESIGN.md §2) all of that lies in the
 * app data region, above CSOS's limit (0x0FFFFFFF): the CALL itself must
 * raise #GP(0) (SDM vol. 2, CALL: "target beyond the code segment limit"),
 * with EIP still at the call site in the app's text, and the bytes never run.
 * On the old layout (4 GiB CSOS, no NX) every one of them ran and told the
 * app DSOS's type and limit (a_lar).  Each attempt runs under the app's own
 * fault handler (probe_call), so the app goes on after each #GP.
 * Needs Bochs: QEMU TCG does not check the CS limit of a near jump.
 * Prints ATTACK name=sealjump ... result=contained | EXECUTED. */
#include "attack.h"

/* Each: the instruction on EAX/AX, then RET (executed, it returns 0 to probe_call). */
static const uint8_t code[4][4] = {
    { 0x0F, 0x02, 0xC0, 0xC3 },         /* lar eax, eax */
    { 0x0F, 0x03, 0xC0, 0xC3 },         /* lsl eax, eax */
    { 0x0F, 0x00, 0xE0, 0xC3 },         /* verr ax */
    { 0x0F, 0x00, 0xE8, 0xC3 },         /* verw ax */
};
static const char *const insn[4] = { "lar", "lsl", "verr", "verw" };

void sj_call(uint32_t target);
asm(".text\n"
    ".globl sj_call, sj_site\n"
    "sj_call:\n"
    "  movl 4(%esp), %eax\n"
    "sj_site:\n"
    "  call *%eax\n"
    "  ret\n");
extern char sj_site[];

static uint8_t data_buf[64];

int main(void)
{
    uint8_t stack_buf[64];
    uint8_t *heap = malloc(64);
    uint8_t *shm = shm_get(0x53454A4D, 4096);       /* "SEJM" */
    struct { const char *name; uint8_t *p; } where[4] = {
        { "heap", heap }, { "stack", stack_buf }, { "data", data_buf }, { "shm", shm },
    };
    if (!heap || !shm) {
        printf("ATTACK name=sealjump result=ERROR why=%s\n", heap ? "shm" : "malloc");
        return 2;
    }
    probe_init();
    int gp = 0, ran = 0, other = 0, n = 0;
    char out[400];
    int len = 0;
    for (int w = 0; w < 4; w++)
        for (int i = 0; i < 4; i++) {
            uint8_t *p = where[w].p + 8 * i;
            memcpy(p, code[i], 4);
            int r = probe_call(sj_call, (uint32_t)p);
            const char *what;
            n++;
            if (!r) {
                ran++;
                what = "RAN";
            } else if ((r & 0xFF) == 13 && probe_last.err == 0 &&
                       probe_last.ctx.eip == (uint32_t)sj_site) {
                gp++;
                what = "gp";
            } else {
                other++;
                what = "other";
            }
            len += snprintf(out + len, sizeof out - len, " %s_%s=%s", where[w].name, insn[i], what);
            if (w == 0 && i == 0)
                printf("ATTACK name=sealjump_first at=%p vec=%u err=%u eip=%x call_site=%x\n", p,
                       r & 0xFF, probe_last.err, probe_last.ctx.eip, (uint32_t)sj_site);
        }
    printf("ATTACK name=sealjump tries=%d gp_at_call=%d ran=%d other=%d%s result=%s\n", n, gp,
           ran, other, out, gp == n ? "contained" : ran ? "EXECUTED" : "FAIL");
    return 0;
}
