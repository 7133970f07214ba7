// The memory an instruction touches, and CR2 rebuilt from it (os/fault/insn.c).
// SOURCES: os/fault/insn.c
#include <stdint.h>
#include <string.h>
#include "check.h"
#include "fault/insn.h"

static struct insn_regs R;
static struct insn_access A[8];
static int K;

static int dec(const uint8_t *b, int n, int max)
{
    memset(A, 0, sizeof A);
    return K = insn_accesses(b, n, &R, A, max);
}
#define D(...) ({ static const uint8_t b_[] = { __VA_ARGS__ }; dec(b_, sizeof b_, 8); })
#define DMAX(max, ...) ({ static const uint8_t b_[] = { __VA_ARGS__ }; dec(b_, sizeof b_, max); })

/* access i is [addr, addr+len) with rw */
static int at(int i, uint32_t addr, uint32_t len, int rw)
{
    return K > i && A[i].addr == addr && A[i].len == len && A[i].rw == rw;
}
#define ONE(addr, len, rw) (K == 1 && at(0, addr, len, rw))

/* A fake address space: flags per page. */
static int page(uint32_t va)
{
    uint32_t p = va & ~0xFFFu;
    if (p >= 0x80000000u && p < 0x80005000u)
        return INSN_PG_P | INSN_PG_W | INSN_PG_U;
    if (p == 0x80005000u || p == 0x01000000u)
        return INSN_PG_P | INSN_PG_U;               /* read-only */
    if (p == 0x80007000u)
        return INSN_PG_P | INSN_PG_W;               /* supervisor */
    if (p == 0x80008000u || p == 0xFFFFF000u)
        return INSN_PG_P | INSN_PG_W | INSN_PG_U;
    return 0;
}

static uint32_t cr2;
static int fa(const uint8_t *b, int n, uint32_t err)
{
    cr2 = 0xDEADBEEF;
    return insn_fault_addr(b, n, &R, err, page, &cr2);
}
#define FA(err, ...) ({ static const uint8_t b_[] = { __VA_ARGS__ }; fa(b_, sizeof b_, err); })

static void regs(void)
{
    memset(&R, 0, sizeof R);
    R.eax = 0x11; R.ecx = 6; R.edx = 0; R.ebx = 0x80001000u; R.esp = 0x80004000u;
    R.ebp = 0x80003000u; R.esi = 0x80002000u; R.edi = 0x80002800u; R.eip = 0x01000100u;
}

int main(void)
{
    regs();
    /* ModRM / SIB forms */
    D(0x8B, 0x03);                          CHECK("modrm.base", ONE(0x80001000u, 4, INSN_READ));
    D(0x89, 0x04, 0x24);                    CHECK("modrm.esp-sib", ONE(0x80004000u, 4, INSN_WRITE));
    D(0x8B, 0x44, 0x8B, 0x08);              CHECK("sib.scale4-disp8", ONE(0x80001000u + 24 + 8, 4, INSN_READ));
    D(0x8B, 0x04, 0xCD, 0, 0, 0, 0xD0);     CHECK("sib.nobase-scale8", ONE(0xD0000000u + 48, 4, INSN_READ));
    D(0x8B, 0x44, 0x24, 0x10);              CHECK("sib.noindex", ONE(0x80004010u, 4, INSN_READ));
    D(0x8B, 0x05, 0x44, 0x33, 0x22, 0x11);  CHECK("modrm.disp32", ONE(0x11223344u, 4, INSN_READ));
    D(0x8B, 0x45, 0xFC);                    CHECK("modrm.ebp-disp8-neg", ONE(0x80002FFCu, 4, INSN_READ));
    D(0x8B, 0x44, 0x35, 0x00);              CHECK("sib.ebp-base-mod1-wrap", ONE(0x00005000u, 4, INSN_READ));
    D(0x8B, 0x84, 0x71, 0x00, 0x01, 0, 0);  CHECK("sib.disp32-scale2", ONE(0x80002000u * 2 + 6 + 0x100, 4, INSN_READ));
    R.ebx = 0xFFFFFFF0u; R.ecx = 0x30;
    D(0x8B, 0x84, 0x19, 0x20, 0, 0, 0);     CHECK("wrap-4g", ONE(0x40, 4, INSN_READ));
    regs();
    D(0x66, 0x8B, 0x03);                    CHECK("opsize16", ONE(0x80001000u, 2, INSN_READ));
    D(0x64, 0x3E, 0x88, 0x03);              CHECK("seg-prefixes", ONE(0x80001000u, 1, INSN_WRITE));
    D(0x0F, 0xB6, 0x03);                    CHECK("movzx8", ONE(0x80001000u, 1, INSN_READ));
    D(0x0F, 0xBF, 0x03);                    CHECK("movsx16", ONE(0x80001000u, 2, INSN_READ));
    D(0x8D, 0x04, 0x03);                    CHECK("lea", K == 0);
    D(0x8D, 0xC0);                          CHECK("lea-reg", K == INSN_UNKNOWN);
    D(0x01, 0x03);                          CHECK("alu.add-rmw", ONE(0x80001000u, 4, INSN_RMW));
    D(0x39, 0x03);                          CHECK("alu.cmp-read", ONE(0x80001000u, 4, INSN_READ));
    D(0x80, 0x3B, 5);                       CHECK("grp1.cmp8", ONE(0x80001000u, 1, INSN_READ));
    D(0x81, 0x03, 1, 2, 3, 4);              CHECK("grp1.imm32", ONE(0x80001000u, 4, INSN_RMW));
    D(0x81, 0x03, 1, 2, 3);                 CHECK("grp1.imm32-truncated", K == INSN_TRUNC);
    D(0xF7, 0x33);                          CHECK("grp3.div", ONE(0x80001000u, 4, INSN_READ));
    D(0xF7, 0x03, 1, 0, 0, 0);              CHECK("grp3.test-imm", ONE(0x80001000u, 4, INSN_READ));
    D(0xF6, 0x1B);                          CHECK("grp3.neg8", ONE(0x80001000u, 1, INSN_RMW));
    D(0xC1, 0x23, 3);                       CHECK("shift.imm", ONE(0x80001000u, 4, INSN_RMW));
    D(0x87, 0x03);                          CHECK("xchg", ONE(0x80001000u, 4, INSN_RMW));
    D(0xF0, 0x0F, 0xB1, 0x0B);              CHECK("lock-cmpxchg", ONE(0x80001000u, 4, INSN_RMW));
    D(0x0F, 0xC1, 0x03);                    CHECK("xadd", ONE(0x80001000u, 4, INSN_RMW));
    D(0x0F, 0x94, 0x03);                    CHECK("setcc", ONE(0x80001000u, 1, INSN_WRITE));
    D(0x0F, 0xC7, 0x0B);                    CHECK("cmpxchg8b", ONE(0x80001000u, 8, INSN_RMW));
    R.ecx = 0x805;
    D(0x0F, 0xAB, 0x0B);                    CHECK("bts-reg", ONE(0x80001100u, 4, INSN_RMW));
    R.ecx = (uint32_t)-3;
    D(0x0F, 0xA3, 0x0B);                    CHECK("bt-reg-neg", ONE(0x80000FFCu, 4, INSN_READ));
    R.ecx = 0xFFF0;
    D(0x66, 0x0F, 0xA3, 0x0B);              CHECK("bt-reg16-neg", ONE(0x80000FFEu, 2, INSN_READ));
    D(0x0F, 0xBA, 0x23, 40);                CHECK("bt-imm", ONE(0x80001000u, 4, INSN_READ));
    regs();
    /* stack */
    R.esp = 0x80008002u;
    D(0x50);                                CHECK("push-reg", ONE(0x80007FFEu, 4, INSN_WRITE));
    D(0x66, 0x50);                          CHECK("push-reg16", ONE(0x80008000u, 2, INSN_WRITE));
    D(0x6A, 1);                             CHECK("push-imm8", ONE(0x80007FFEu, 4, INSN_WRITE));
    D(0x1E);                                CHECK("push-ds", ONE(0x80007FFEu, 4, INSN_WRITE));
    D(0x60);                                CHECK("pushad", ONE(0x80007FE2u, 32, INSN_WRITE) && A[0].piece == 4);
    D(0x61);                                CHECK("popad", ONE(0x80008002u, 32, INSN_READ) && A[0].piece == 4);
    D(0x9C);                                CHECK("pushf", ONE(0x80007FFEu, 4, INSN_WRITE));
    D(0xC3);                                CHECK("ret", ONE(0x80008002u, 4, INSN_READ));
    D(0xC2, 8, 0);                          CHECK("ret-imm", ONE(0x80008002u, 4, INSN_READ));
    D(0xCB);                                CHECK("lret", ONE(0x80008002u, 8, INSN_READ));
    D(0xCF);                                CHECK("iret", ONE(0x80008002u, 12, INSN_READ));
    R.eflags = 0x4000;
    D(0xCF);                                CHECK("iret-nt-unknown", K == INSN_UNKNOWN);
    R.eflags = 0;
    D(0xC9);                                CHECK("leave", ONE(0x80003000u, 4, INSN_READ));
    D(0xC8, 0x10, 0, 0);                    CHECK("enter", ONE(0x80007FFEu, 4, INSN_WRITE));
    D(0xC8, 0x10, 0, 1);                    CHECK("enter-nested-unknown", K == INSN_UNKNOWN);
    D(0xE8, 0, 0, 0, 0);                    CHECK("call-rel", ONE(0x80007FFEu, 4, INSN_WRITE));
    D(0xFF, 0x13);                          CHECK("call-mem", K == 2 && at(0, 0x80001000u, 4, INSN_READ) && at(1, 0x80007FFEu, 4, INSN_WRITE));
    D(0xFF, 0xD0);                          CHECK("call-reg", ONE(0x80007FFEu, 4, INSN_WRITE));
    D(0xFF, 0x1B);                          CHECK("lcall-mem", K == 2 && at(0, 0x80001000u, 6, INSN_READ) && at(1, 0x80007FFAu, 8, INSN_WRITE));
    D(0xFF, 0x23);                          CHECK("jmp-mem", ONE(0x80001000u, 4, INSN_READ));
    D(0x8F, 0x44, 0x24, 0x04);              CHECK("pop-mem-esp-base", K == 2 && at(0, 0x80008002u, 4, INSN_READ) && at(1, 0x8000800Au, 4, INSN_WRITE));
    D(0xFF, 0x74, 0x24, 0x08);              CHECK("push-mem-esp-base", K == 2 && at(0, 0x8000800Au, 4, INSN_READ) && at(1, 0x80007FFEu, 4, INSN_WRITE));
    regs();
    /* strings: the element at ESI/EDI, whatever DF */
    R.eflags = 0x400;
    D(0xA5);                                CHECK("movsd-df1", K == 2 && at(0, 0x80002000u, 4, INSN_READ) && at(1, 0x80002800u, 4, INSN_WRITE));
    D(0x66, 0xA5);                          CHECK("movsw", K == 2 && at(0, 0x80002000u, 2, INSN_READ) && at(1, 0x80002800u, 2, INSN_WRITE));
    R.eflags = 0;
    D(0xF3, 0xAB);                          CHECK("rep-stosd", ONE(0x80002800u, 4, INSN_WRITE));
    D(0xA6);                                CHECK("cmpsb", K == 2 && at(0, 0x80002000u, 1, INSN_READ) && at(1, 0x80002800u, 1, INSN_READ));
    D(0xAC);                                CHECK("lodsb", ONE(0x80002000u, 1, INSN_READ));
    D(0xAF);                                CHECK("scasd", ONE(0x80002800u, 4, INSN_READ));
    R.ecx = 0;
    D(0xF3, 0xA4);                          CHECK("rep-ecx0-nothing", K == 0);
    D(0xF3, 0xA6);                          CHECK("repe-cmps-ecx0-nothing", K == 0);
    regs();
    D(0xA1, 0x40, 0, 0, 0xD0);              CHECK("moffs-load", ONE(0xD0000040u, 4, INSN_READ));
    D(0xA2, 0x41, 0, 0, 0xD0);              CHECK("moffs-store8", ONE(0xD0000041u, 1, INSN_WRITE));
    D(0xD7);                                CHECK("xlat", ONE(0x80001011u, 1, INSN_READ));
    /* x87 */
    D(0xDD, 0x1B);                          CHECK("fstp-m64", ONE(0x80001000u, 8, INSN_WRITE));
    D(0xD9, 0x03);                          CHECK("fld-m32", ONE(0x80001000u, 4, INSN_READ));
    D(0xDB, 0x2B);                          CHECK("fld-m80", ONE(0x80001000u, 10, INSN_READ));
    D(0xDB, 0x3B);                          CHECK("fstp-m80", ONE(0x80001000u, 10, INSN_WRITE));
    D(0xDF, 0x3B);                          CHECK("fistp-m64", ONE(0x80001000u, 8, INSN_WRITE));
    D(0xDB, 0x03);                          CHECK("fild-m32", ONE(0x80001000u, 4, INSN_READ));
    D(0xD9, 0x3B);                          CHECK("fnstcw", ONE(0x80001000u, 2, INSN_WRITE));
    D(0xDD, 0x33);                          CHECK("fnsave", ONE(0x80001000u, 108, INSN_WRITE) && A[0].piece == 2);
    D(0x66, 0xDD, 0x33);                    CHECK("fnsave16", ONE(0x80001000u, 94, INSN_WRITE));
    D(0xDD, 0x23);                          CHECK("frstor", ONE(0x80001000u, 108, INSN_READ));
    D(0xD9, 0x33);                          CHECK("fnstenv", ONE(0x80001000u, 28, INSN_WRITE));
    D(0xD9, 0x23);                          CHECK("fldenv", ONE(0x80001000u, 28, INSN_READ));
    D(0xD9, 0xC0);                          CHECK("fld-st0", K == 0);
    D(0xD9, 0x0B);                          CHECK("x87-invalid", K == INSN_UNKNOWN);
    /* undecodable */
    D(0x67, 0x8B, 0x07);                    CHECK("addr16-unknown", K == INSN_UNKNOWN);
    D(0x0F, 0xFF);                          CHECK("0fff-unknown", K == INSN_UNKNOWN);
    D(0xFF, 0xFF);                          CHECK("ff7-unknown", K == INSN_UNKNOWN);
    D(0x0F, 0x01, 0x13);                    CHECK("lgdt-unknown", K == INSN_UNKNOWN);
    D(0x0F, 0x01, 0x03);                    CHECK("sgdt", ONE(0x80001000u, 6, INSN_WRITE));
    DMAX(1, 0xA5);                          CHECK("too-many-unknown", K == INSN_UNKNOWN);
    D(0x8B);                                CHECK("truncated-modrm", K == INSN_TRUNC);
    D(0x0F, 0x0D);                          CHECK("unknown-0f-not-truncated", K == INSN_UNKNOWN);
    D(0x8B, 0x04);                          CHECK("truncated-sib", K == INSN_TRUNC);
    D(0x66, 0x66);                          CHECK("truncated-prefixes", K == INSN_TRUNC);

    /* CR2 from the fake page tables: err bit 0 P, bit 1 W, bit 2 U */
    regs();
    R.ebx = 0x80005FFEu;
    CHECK("fa.split-load-next-page", FA(4, 0x8B, 0x03) == 0 && cr2 == 0x80006000u);
    CHECK("fa.store-ro-first", FA(7, 0x89, 0x03) == 0 && cr2 == 0x80005FFEu);
    CHECK("fa.store-kind-mismatch", FA(6, 0x89, 0x03) < 0);
    R.ebx = 0x80005000u;
    CHECK("fa.rmw-ro-write", FA(7, 0x01, 0x03) == 0 && cr2 == 0x80005000u);
    CHECK("fa.rmw-ro-read-nofault", FA(5, 0x01, 0x03) < 0);
    R.ebx = 0x80004FFCu;
    CHECK("fa.ends-at-page-end", FA(4, 0x8B, 0x03) < 0);
    R.ebx = 0x80005FFCu;
    CHECK("fa.ends-at-unmapped-page", FA(4, 0x8B, 0x03) < 0);
    R.esp = 0x80008000u;
    CHECK("fa.push-supervisor-page", FA(7, 0x50) == 0 && cr2 == 0x80007FFCu);
    R.esp = 0x80008002u;
    CHECK("fa.push-split-low", FA(7, 0x50) == 0 && cr2 == 0x80007FFEu);
    R.esp = 0x80009002u;
    CHECK("fa.push-split-high", FA(6, 0x50) == 0 && cr2 == 0x80009000u);
    R.esp = 0x80009004u;
    CHECK("fa.pushad-one-piece", FA(6, 0x60) == 0 && cr2 == 0x80009000u);
    R.esp = 0x80009020u;
    CHECK("fa.pushad-order-unknown", FA(6, 0x60) < 0);
    R.esp = 0x80009000u;
    CHECK("fa.ret-bad-esp", FA(4, 0xC3) == 0 && cr2 == 0x80009000u);
    CHECK("fa.ret-write-err-unknown", FA(6, 0xC3) < 0);
    regs();
    R.esi = 0x80004FFCu; R.edi = 0x80006010u;
    CHECK("fa.movs-dst", FA(6, 0xA5) == 0 && cr2 == 0x80006010u);
    CHECK("fa.movs-src-fine-read-err", FA(4, 0xA5) < 0);
    R.esi = 0x80006000u;
    CHECK("fa.movs-src", FA(4, 0xA5) == 0 && cr2 == 0x80006000u);
    CHECK("fa.movs-src-faults-first", FA(6, 0xA5) < 0);
    R.ebx = 0xFFFFFFFEu;
    CHECK("fa.wrap-4g", FA(4, 0x8B, 0x03) == 0 && cr2 == 0);
    R.eip = 0x01000FFEu;
    CHECK("fa.fetch-split", FA(4, 0x8B, 0x83) == 0 && cr2 == 0x01001000u);
    CHECK("fa.fetch-no-write", FA(6, 0x8B, 0x83) < 0);
    R.eip = 0x0F000000u;
    CHECK("fa.fetch-first-byte", fa(0, 0, 4) == 0 && cr2 == 0x0F000000u);
    R.eip = 0x80007000u;
    CHECK("fa.fetch-supervisor", fa(0, 0, 5) == 0 && cr2 == 0x80007000u);
    regs();
    R.ebx = 0x80006000u;
    CHECK("fa.unknown-insn", FA(4, 0x67, 0x8B, 0x07) < 0);
    R.ebx = 0x80001000u;
    CHECK("fa.no-page-faults", FA(4, 0x8B, 0x03) < 0);
    return check_exit();
}
