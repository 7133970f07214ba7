/* a_aliasexec: run its own heap through the OS's direct map, and OS data.
 *
 * The OS maps all RAM at KERNEL_BASE + physical (docs/DESIGN.md §2), in user
 * pages, and a Pentium has no NX bit: every page an app writes has an alias
 * in the OS data region (0x10000000-0x7FFFFFFF) that only CSOS's limit
 * (CSOS_LIMIT, the end of the code region) keeps it from running.  So the
 * app writes code into a heap page -- a NOP sled, then "mov eax, MAGIC; ret"
 * -- asks the test kernel's oracle (test=oracle, tests/os/guard.c) for the
 * page's physical address (the strongest attacker: the containment must not
 * rest on its not knowing) and calls KERNEL_BASE + that.  Then it calls
 * into OS data: the first byte past CSOS's limit, the alias of the OS image,
 * the GDT and IDT (SGDT, SIDT), the per-process window (TSS, I/O bitmap),
 * and the last byte below DSAPP.
 *
 * Contained: every call raises #GP(0) with EIP at the call site (SDM vol. 2,
 * CALL: "the target offset is beyond the code segment limit") and the bytes
 * never run; a call to the last byte inside CSOS (0x0FFFFFFF, not mapped)
 * passes the limit and takes a #PF there: the limit ends exactly with the
 * code region.  If the alias runs (CSOS's limit raised: the csos-os-data
 * mutant), the app prints result=EXECUTED and stops.  Needs Bochs: QEMU's
 * TCG checks no CS limit.  Prints ATTACK name=aliasexec ... result=... */
#include "attack.h"
#include "../os/guard_oracle.h"

#define MAGIC 0x600DC0DEu

void aj_call(uint32_t target);
asm(".text\n"
    ".globl aj_call, aj_site\n"
    "aj_call:\n"
    "  movl 4(%esp), %eax\n"
    "aj_site:\n"
    "  call *%eax\n"
    "  ret\n");
extern char aj_site[];

static uint32_t oracle(uint32_t req, uint32_t arg)
{
    uint32_t r;
    asm volatile("int %2" : "=a"(r) : "a"(req), "i"(VEC_UPCALL), "b"(arg) : "memory");
    return r;
}

/* "gp": #GP(0) at the call site; "pf": #PF at the target itself; "RAN";
 * else "other". */
static const char *call(uint32_t target)
{
    int r = probe_call(aj_call, target);
    if (!r)
        return probe_out.eax == MAGIC ? "RAN" : "ran-other";
    if ((r & 0xFF) == 13 && probe_last.err == 0 && probe_last.ctx.eip == (uint32_t)aj_site)
        return "gp";
    if ((r & 0xFF) == 14 && probe_last.ctx.eip == target)
        return "pf";
    return "other";
}

/* Out of line: inline, main's branch around it held LAR (0F 02) in its displacement. */
static __attribute__((noinline)) int no_oracle(uint32_t pa)
{
    printf("ATTACK name=aliasexec result=ERROR why=no-oracle (boot the test kernel with "
           "test=oracle) pa=%x\n", pa);
    return 2;
}

int main(void)
{
    uint8_t *buf = malloc(2 * 4096);
    if (!buf) {
        printf("ATTACK name=aliasexec result=ERROR why=malloc\n");
        return 2;
    }
    uint8_t *page = (uint8_t *)(((uint32_t)buf + 4095) & ~4095u);
    memset(page, 0x90, 4096);                   /* nop ... */
    page[4090] = 0xB8;                          /* mov eax, MAGIC */
    uint32_t m = MAGIC;
    memcpy(page + 4091, &m, 4);
    page[4095] = 0xC3;                          /* ret */

    uint32_t pa = oracle(ORACLE_V2P, (uint32_t)page);
    if (pa == ORACLE_V2P || !pa || pa & 0xFFF || pa >= DIRECTMAP_MAX)
        return no_oracle(pa);
    uint32_t alias = KERNEL_BASE + pa;
    probe_init();
    const char *heap = call((uint32_t)page);
    const char *al = call(alias);
    printf("ATTACK name=aliasexec_heap page=%p pa=%x alias=%x heap_call=%s alias_call=%s\n",
           page, pa, alias, heap, al);
    if (!strcmp(al, "RAN")) {
        printf("ATTACK name=aliasexec alias=%x ran=MAGIC result=EXECUTED\n", alias);
        return 1;
    }

    struct dtr g, i;
    asm volatile("sgdt %0" : "=m"(g));
    asm volatile("sidt %0" : "=m"(i));
    const struct { const char *name; uint32_t at; } os[] = {
        { "past_csos", CODE_END },
        { "os_image_alias", KERNEL_BASE + OS_TEXT_BASE },
        { "gdt", g.base },
        { "idt", i.base },
        { "tss", TSS_VA },
        { "iobitmap", IOBITMAP_VA },
        { "below_dsapp", APP_DATA_BASE - 1 },
    };
    int n = sizeof os / sizeof os[0], gp = 0;
    char out[400];
    int len = 0;
    for (int k = 0; k < n; k++) {
        const char *r = call(os[k].at);
        gp += !strcmp(r, "gp");
        len += snprintf(out + len, sizeof out - len, " %s=%s", os[k].name, r);
    }
    const char *last = call(CODE_END - 1);
    int ok = !strcmp(heap, "gp") && !strcmp(al, "gp") && gp == n && !strcmp(last, "pf");
    printf("ATTACK name=aliasexec alias_call=%s os_calls=%d gp_at_call=%d%s last_code_byte=%s "
           "result=%s\n", al, n, gp, out, last, ok ? "contained" : "FAIL");
    return ok ? 0 : 1;
}
