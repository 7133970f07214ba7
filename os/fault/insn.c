/* Which memory an instruction touches (insn.h).  Opcode map: SDM vol. 2
 * appendix A; ModRM/SIB: SDM 2.1.5.  Only the 32-bit address size: a 0x67
 * prefix (16-bit addressing) is INSN_UNKNOWN. */
#include "fault/insn.h"

struct dec {
    const uint8_t *b;
    int n, i, trunc, bad;
    int osz;                        /* operand size: 4, or 2 with 0x66 */
    uint32_t espadj;                /* POP r/m: ESP as a base is the popped ESP (SDM POP) */
    const struct insn_regs *r;
    struct insn_access *a;
    int na, max;
    int mod, reg, mem;              /* ModRM, once modrm() has run */
    uint32_t ea;
};

static uint32_t next(struct dec *d)
{
    if (d->i >= d->n) {
        d->trunc = 1;
        return 0;
    }
    return d->b[d->i++];
}

static uint32_t imm(struct dec *d, int len)
{
    uint32_t v = 0;
    for (int k = 0; k < len; k++)
        v |= next(d) << (8 * k);
    return v;
}

static uint32_t reg(const struct dec *d, int i)
{
    const struct insn_regs *r = d->r;
    switch (i) {
    case 0: return r->eax;
    case 1: return r->ecx;
    case 2: return r->edx;
    case 3: return r->ebx;
    case 4: return r->esp + d->espadj;
    case 5: return r->ebp;
    case 6: return r->esi;
    default: return r->edi;
    }
}

static void modrm(struct dec *d)
{
    uint32_t m = next(d), rm = m & 7, ea = 0;
    d->mod = m >> 6;
    d->reg = (m >> 3) & 7;
    d->mem = d->mod != 3;
    if (!d->mem)
        return;
    if (rm == 4) {
        uint32_t sib = next(d), base = sib & 7, idx = (sib >> 3) & 7;
        if (idx != 4)
            ea = reg(d, idx) << (sib >> 6);
        if (base == 5 && d->mod == 0)
            ea += imm(d, 4);
        else
            ea += reg(d, base);
    } else if (rm == 5 && d->mod == 0) {
        ea = imm(d, 4);
    } else {
        ea = reg(d, rm);
    }
    if (d->mod == 1)
        ea += (uint32_t)(int32_t)(int8_t)next(d);
    else if (d->mod == 2)
        ea += imm(d, 4);
    d->ea = ea;
}

static void add(struct dec *d, uint32_t addr, uint32_t len, int rw, int piece)
{
    if (d->na < d->max) {
        d->a[d->na].addr = addr;
        d->a[d->na].len = len;
        d->a[d->na].rw = rw;
        d->a[d->na].piece = piece;
    }
    d->na++;
}

static void rm(struct dec *d, uint32_t len, int rw)       /* the r/m operand, if memory */
{
    if (d->mem)
        add(d, d->ea, len, rw, 0);
}

static void memonly(struct dec *d)
{
    if (!d->mem)
        d->bad = 1;
}

static void push(struct dec *d, uint32_t len)
{
    add(d, d->r->esp - len, len, INSN_WRITE, 0);
}

static void pop(struct dec *d, uint32_t len)
{
    add(d, d->r->esp, len, INSN_READ, 0);
}

/* x87 memory forms, D8..DF by ModRM.reg: operand bytes (0: no such form;
 * E: FLDENV/FNSTENV, S: FRSTOR/FNSAVE, both smaller with 0x66) and which
 * are stores (SDM vol. 2 table A-7..A-22). */
#define E 28
#define S 108
static const uint8_t x87len[8][8] = {
    { 4, 4, 4, 4, 4, 4, 4, 4 }, { 4, 0, 4, 4, E, 2, E, 2 },
    { 4, 4, 4, 4, 4, 4, 4, 4 }, { 4, 4, 4, 4, 0, 10, 0, 10 },
    { 8, 8, 8, 8, 8, 8, 8, 8 }, { 8, 8, 8, 8, S, 0, S, 2 },
    { 2, 2, 2, 2, 2, 2, 2, 2 }, { 2, 2, 2, 2, 10, 8, 10, 8 },
};
static const uint8_t x87store[8] = { 0, 0xCC, 0, 0x8E, 0, 0xCE, 0, 0xCE };

static void x87(struct dec *d, int op)
{
    modrm(d);
    if (!d->mem)
        return;                     /* register forms touch no memory */
    uint32_t len = x87len[op & 7][d->reg];
    int rw = (x87store[op & 7] >> d->reg) & 1 ? INSN_WRITE : INSN_READ;
    if (!len) {
        d->bad = 1;
    } else if (len == E || len == S) {     /* a whole environment: many pieces */
        add(d, d->ea, d->osz == 2 ? len - 14 : len, rw, 2);
    } else {
        rm(d, len, rw);
    }
}
#undef E
#undef S

/* MOVS CMPS STOS LODS SCAS INS OUTS: the element at ESI/EDI now (DF only
 * moves them on afterwards); with a REP prefix and ECX = 0, none. */
static void string(struct dec *d, int op, int rep)
{
    uint32_t len = (op & 1) ? d->osz : 1, si = d->r->esi, di = d->r->edi;
    if (rep && d->r->ecx == 0)
        return;
    switch (op & ~1) {
    case 0xA4: add(d, si, len, INSN_READ, 0); add(d, di, len, INSN_WRITE, 0); break;
    case 0xA6: add(d, si, len, INSN_READ, 0); add(d, di, len, INSN_READ, 0); break;
    case 0xAA: case 0x6C: add(d, di, len, INSN_WRITE, 0); break;
    case 0xAC: case 0x6E: add(d, si, len, INSN_READ, 0); break;
    case 0xAE: add(d, di, len, INSN_READ, 0); break;
    }
}

/* BT BTS BTR BTC with a register bit offset: the offset is signed and picks
 * the word (SDM BT) that is read. */
static void bitreg(struct dec *d, int rw)
{
    modrm(d);
    if (!d->mem)
        return;
    int32_t off = d->osz == 4 ? (int32_t)reg(d, d->reg) >> 5 : (int16_t)reg(d, d->reg) >> 4;
    add(d, d->ea + (uint32_t)off * d->osz, d->osz, rw, 0);
}

static void twobyte(struct dec *d)
{
    uint32_t op = next(d), v = d->osz;
    if (op >= 0x80 && op <= 0x8F) {                 /* jcc rel */
        imm(d, v);
        return;
    }
    if (op >= 0xC8 && op <= 0xCF)                   /* bswap */
        return;
    switch (op) {
    case 0x0B: case 0x31: case 0xA2:                /* ud2 rdtsc cpuid */
        return;
    case 0xA0: case 0xA8: push(d, v); return;       /* push fs/gs */
    case 0xA1: case 0xA9: pop(d, v); return;        /* pop fs/gs */
    case 0xA3: bitreg(d, INSN_READ); return;
    case 0xAB: case 0xB3: case 0xBB: bitreg(d, INSN_RMW); return;
    }
    if (!(op <= 0x03 || op == 0x1F || (op >= 0x40 && op <= 0x4F) || (op >= 0x90 && op <= 0x9F) ||
          (op >= 0xA4 && op <= 0xBF && op != 0xA6 && op != 0xA7 && op != 0xA8 && op != 0xA9 &&
           op != 0xAA && op != 0xAB && op != 0xAE && op != 0xB8 && op != 0xB9 && op != 0xBB) ||
          op == 0xC0 || op == 0xC1 || op == 0xC7)) {
        d->bad = 1;                 /* not known: do not guess its length either */
        return;
    }
    modrm(d);
    if (op >= 0x40 && op <= 0x4F) {                 /* cmovcc: always reads */
        rm(d, v, INSN_READ);
        return;
    }
    if (op >= 0x90 && op <= 0x9F) {                 /* setcc */
        rm(d, 1, INSN_WRITE);
        return;
    }
    switch (op) {
    case 0x00:                                      /* sldt str verr verw */
        if (d->reg == 0 || d->reg == 1)
            rm(d, 2, INSN_WRITE);
        else if (d->reg == 4 || d->reg == 5)
            rm(d, 2, INSN_READ);
        else
            d->bad = 1;
        break;
    case 0x01:                                      /* sgdt sidt smsw */
        memonly(d);
        if (d->reg == 0 || d->reg == 1)
            add(d, d->ea, 6, INSN_WRITE, 2);
        else if (d->reg == 4)
            rm(d, 2, INSN_WRITE);
        else
            d->bad = 1;
        break;
    case 0x02: case 0x03: rm(d, 2, INSN_READ); break;       /* lar lsl */
    case 0x1F: break;                                       /* nop r/m */
    case 0xA4: case 0xAC: imm(d, 1); rm(d, v, INSN_RMW); break;   /* shld shrd */
    case 0xA5: case 0xAD: rm(d, v, INSN_RMW); break;
    case 0xAF: case 0xBC: case 0xBD: rm(d, v, INSN_READ); break;  /* imul bsf bsr */
    case 0xB0: case 0xC0: rm(d, 1, INSN_RMW); break;              /* cmpxchg xadd */
    case 0xB1: case 0xC1: rm(d, v, INSN_RMW); break;
    case 0xB2: case 0xB4: case 0xB5:                              /* lss lfs lgs */
        memonly(d);
        add(d, d->ea, v + 2, INSN_READ, v);
        break;
    case 0xB6: case 0xBE: rm(d, 1, INSN_READ); break;             /* movzx movsx */
    case 0xB7: case 0xBF: rm(d, 2, INSN_READ); break;
    case 0xBA:                                                    /* bt* r/m, imm8 */
        imm(d, 1);
        if (d->reg < 4)
            d->bad = 1;
        rm(d, v, d->reg == 4 ? INSN_READ : INSN_RMW);
        break;
    case 0xC7:                                                    /* cmpxchg8b */
        memonly(d);
        if (d->reg != 1)
            d->bad = 1;
        rm(d, 8, INSN_RMW);
        break;
    default:
        d->bad = 1;
    }
}

/* Group 3 (F6 F7): test imm, not, neg, mul, imul, div, idiv. */
static void group3(struct dec *d, uint32_t len)
{
    modrm(d);
    if (d->reg <= 1)
        imm(d, len);
    rm(d, len, d->reg == 2 || d->reg == 3 ? INSN_RMW : INSN_READ);
}

/* Group 5 (FF): inc dec call callf jmp jmpf push. */
static __attribute__((noinline)) void group5(struct dec *d)
{
    uint32_t v = d->osz;
    modrm(d);
    switch (d->reg) {
    case 0: case 1: rm(d, v, INSN_RMW); break;
    case 2: rm(d, v, INSN_READ); push(d, v); break;
    case 3:                                         /* lcall m16:32: CS, then EIP */
        memonly(d);
        add(d, d->ea, v + 2, INSN_READ, v);
        add(d, d->r->esp - 2 * v, 2 * v, INSN_WRITE, v);
        break;
    case 4: rm(d, v, INSN_READ); break;
    case 5: memonly(d); add(d, d->ea, v + 2, INSN_READ, v); break;
    case 6: rm(d, v, INSN_READ); push(d, v); break;
    default: d->bad = 1;
    }
}

static void onebyte(struct dec *d, uint32_t op, int rep)
{
    const struct insn_regs *r = d->r;
    uint32_t v = d->osz;

    if (op < 0x40 && (op & 7) < 6) {                /* ALU: add or adc sbb and sub xor cmp */
        int dst = (op >> 3) == 7 ? INSN_READ : INSN_RMW;
        switch (op & 7) {
        case 0: modrm(d); rm(d, 1, dst); break;
        case 1: modrm(d); rm(d, v, dst); break;
        case 2: modrm(d); rm(d, 1, INSN_READ); break;
        case 3: modrm(d); rm(d, v, INSN_READ); break;
        case 4: imm(d, 1); break;
        default: imm(d, v);
        }
        return;
    }
    if ((op >= 0x40 && op <= 0x4F) || (op >= 0x90 && op <= 0x99) || op == 0x9B ||
        op == 0x9E || op == 0x9F || op == 0x27 || op == 0x2F || op == 0x37 || op == 0x3F ||
        op == 0xCC || op == 0xCE || op == 0xD6 || (op >= 0xEC && op <= 0xEF) || op == 0xF1 ||
        op == 0xF4 || op == 0xF5 || (op >= 0xF8 && op <= 0xFD))
        return;                                     /* no memory operand */
    if ((op >= 0x70 && op <= 0x7F) || (op >= 0xB0 && op <= 0xB7) || (op >= 0xE0 && op <= 0xE7) ||
        op == 0xEB || op == 0xCD || op == 0xD4 || op == 0xD5 || op == 0xA8) {
        imm(d, 1);
        return;
    }
    if ((op >= 0xB8 && op <= 0xBF) || op == 0xE9 || op == 0xA9) {
        imm(d, v);
        return;
    }
    if (op >= 0x50 && op <= 0x57) {
        push(d, v);
        return;
    }
    if (op >= 0x58 && op <= 0x5F) {
        pop(d, v);
        return;
    }
    if (op >= 0xD8 && op <= 0xDF) {
        x87(d, op);
        return;
    }
    switch (op) {
    case 0x06: case 0x0E: case 0x16: case 0x1E: push(d, v); break;     /* push sreg */
    case 0x07: case 0x17: case 0x1F: pop(d, v); break;                 /* pop sreg */
    case 0x60: add(d, r->esp - 8 * v, 8 * v, INSN_WRITE, v); break;    /* pushad */
    case 0x61: add(d, r->esp, 8 * v, INSN_READ, v); break;             /* popad */
    case 0x62: modrm(d); memonly(d); add(d, d->ea, 2 * v, INSN_READ, v); break;   /* bound */
    case 0x63: modrm(d); rm(d, 2, INSN_RMW); break;                    /* arpl */
    case 0x68: imm(d, v); push(d, v); break;
    case 0x6A: imm(d, 1); push(d, v); break;
    case 0x69: modrm(d); imm(d, v); rm(d, v, INSN_READ); break;        /* imul r, r/m, imm */
    case 0x6B: modrm(d); imm(d, 1); rm(d, v, INSN_READ); break;
    case 0x6C: case 0x6D: case 0x6E: case 0x6F:
    case 0xA4: case 0xA5: case 0xA6: case 0xA7:
    case 0xAA: case 0xAB: case 0xAC: case 0xAD: case 0xAE: case 0xAF:
        string(d, op, rep);
        break;
    case 0x80: case 0x82: modrm(d); imm(d, 1); rm(d, 1, d->reg == 7 ? INSN_READ : INSN_RMW); break;
    case 0x81: modrm(d); imm(d, v); rm(d, v, d->reg == 7 ? INSN_READ : INSN_RMW); break;
    case 0x83: modrm(d); imm(d, 1); rm(d, v, d->reg == 7 ? INSN_READ : INSN_RMW); break;
    case 0x84: modrm(d); rm(d, 1, INSN_READ); break;                   /* test */
    case 0x85: modrm(d); rm(d, v, INSN_READ); break;
    case 0x86: modrm(d); rm(d, 1, INSN_RMW); break;                    /* xchg */
    case 0x87: modrm(d); rm(d, v, INSN_RMW); break;
    case 0x88: modrm(d); rm(d, 1, INSN_WRITE); break;                  /* mov */
    case 0x89: modrm(d); rm(d, v, INSN_WRITE); break;
    case 0x8A: modrm(d); rm(d, 1, INSN_READ); break;
    case 0x8B: modrm(d); rm(d, v, INSN_READ); break;
    case 0x8C: modrm(d); rm(d, 2, INSN_WRITE); break;                  /* mov r/m16, sreg */
    case 0x8D: modrm(d); memonly(d); break;                            /* lea: no access */
    case 0x8E: modrm(d); rm(d, 2, INSN_READ); break;                   /* mov sreg, r/m16 */
    case 0x8F:                                                         /* pop r/m */
        d->espadj = v;
        modrm(d);
        d->espadj = 0;
        if (d->reg)
            d->bad = 1;
        pop(d, v);
        rm(d, v, INSN_WRITE);
        break;
    case 0x9A: imm(d, v + 2); add(d, r->esp - 2 * v, 2 * v, INSN_WRITE, v); break;  /* lcall */
    case 0x9C: push(d, v); break;                                      /* pushf */
    case 0x9D: pop(d, v); break;                                       /* popf */
    case 0xA0: add(d, imm(d, 4), 1, INSN_READ, 0); break;              /* moffs */
    case 0xA1: add(d, imm(d, 4), v, INSN_READ, 0); break;
    case 0xA2: add(d, imm(d, 4), 1, INSN_WRITE, 0); break;
    case 0xA3: add(d, imm(d, 4), v, INSN_WRITE, 0); break;
    case 0xC0: modrm(d); imm(d, 1); rm(d, 1, INSN_RMW); break;         /* shifts */
    case 0xC1: modrm(d); imm(d, 1); rm(d, v, INSN_RMW); break;
    case 0xD0: case 0xD2: modrm(d); rm(d, 1, INSN_RMW); break;
    case 0xD1: case 0xD3: modrm(d); rm(d, v, INSN_RMW); break;
    case 0xC2: imm(d, 2); pop(d, v); break;                            /* ret imm16 */
    case 0xC3: pop(d, v); break;
    case 0xC4: case 0xC5: modrm(d); memonly(d); add(d, d->ea, v + 2, INSN_READ, v); break;
    case 0xC6: modrm(d); imm(d, 1); d->bad |= d->reg != 0; rm(d, 1, INSN_WRITE); break;
    case 0xC7: modrm(d); imm(d, v); d->bad |= d->reg != 0; rm(d, v, INSN_WRITE); break;
    case 0xC8:                                      /* enter: nesting levels not known */
        imm(d, 2);
        if (imm(d, 1) & 31)
            d->bad = 1;
        push(d, v);
        break;
    case 0xC9: add(d, r->ebp, v, INSN_READ, 0); break;                 /* leave */
    case 0xCA: imm(d, 2); add(d, r->esp, 2 * v, INSN_READ, v); break;  /* lret */
    case 0xCB: add(d, r->esp, 2 * v, INSN_READ, v); break;
    case 0xCF:                                      /* iret; with NT a task return */
        if (r->eflags & 0x4000)
            d->bad = 1;
        add(d, r->esp, 3 * v, INSN_READ, v);
        break;
    case 0xD7: add(d, r->ebx + (r->eax & 0xFF), 1, INSN_READ, 0); break;  /* xlat */
    case 0xE8: imm(d, v); push(d, v); break;                           /* call rel */
    case 0xEA: imm(d, v + 2); break;                                   /* ljmp ptr */
    case 0xF6: group3(d, 1); break;
    case 0xF7: group3(d, v); break;
    case 0xFE: modrm(d); d->bad |= d->reg > 1; rm(d, 1, INSN_RMW); break;
    case 0xFF: group5(d); break;
    default: d->bad = 1;
    }
}

/* The prefixes (SDM vol. 2, 2.1.1), then the first opcode byte. */
static uint32_t prefixes(struct dec *d, int *rep, int *a16, int *seg)
{
    uint32_t op;
    for (;;) {
        op = next(d);
        if (op == 0x66)
            d->osz = 2;
        else if (op == 0x67)
            *a16 = 1;
        else if (op == 0xF2 || op == 0xF3)
            *rep = 1;
        else if (op == 0x26 || op == 0x2E || op == 0x36 || op == 0x3E || op == 0x64 ||
                 op == 0x65)
            *seg = op;
        else if (op != 0xF0)
            return op;
        if (d->trunc)
            return op;
    }
}

int insn_opcode(const uint8_t *b, int n, int *seg)
{
    struct dec d = { .b = b, .n = n > 15 ? 15 : n, .osz = 4 };
    int rep = 0, a16 = 0;
    *seg = 0;
    uint32_t op = prefixes(&d, &rep, &a16, seg);
    if (op == 0x0F)
        op = 0x0F00 | next(&d);
    return d.trunc ? INSN_TRUNC : (int)op;
}

int insn_accesses(const uint8_t *b, int n, const struct insn_regs *r,
                  struct insn_access *a, int max)
{
    struct dec d = { .b = b, .n = n > 15 ? 15 : n, .osz = 4, .r = r, .a = a, .max = max };
    int rep = 0, a16 = 0, seg = 0;
    uint32_t op = prefixes(&d, &rep, &a16, &seg);
    if (!d.trunc && !a16) {
        if (op == 0x0F)
            twobyte(&d);
        else
            onebyte(&d, op, rep);
    }
    if (a16 || d.bad)
        return INSN_UNKNOWN;
    if (d.trunc)
        return INSN_TRUNC;
    if (d.na > max)
        return INSN_UNKNOWN;
    return d.na;
}

/* Why a page faults for an access: 0 no, 1 not present, 2 protection. */
static int why(int flags, int rw)
{
    if (!(flags & INSN_PG_P))
        return 1;
    if (!(flags & INSN_PG_U) || (rw == INSN_WRITE && !(flags & INSN_PG_W)))
        return 2;
    return 0;
}

/* The first page of a in which an rw access faults; sets *va, returns why(). */
static int first_fault(const struct insn_access *a, int rw, insn_page_fn page, uint32_t *va)
{
    uint32_t p = a->addr & ~0xFFFu, last = (a->addr + a->len - 1) & ~0xFFFu;
    for (;; p += 4096) {
        int w = why(page(p), rw);
        if (w) {
            *va = p == (a->addr & ~0xFFFu) ? a->addr : p;
            return w;
        }
        if (p == last)
            return 0;
    }
}

/* A piece-wise access: exact only if exactly one piece faults (then any
 * order of the pieces reports the same byte).  Returns why(), or -1. */
static int piece_fault(const struct insn_access *a, int rw, insn_page_fn page, uint32_t *va)
{
    int w = 0, nf = 0;
    for (uint32_t off = 0; off < a->len; off += a->piece) {
        struct insn_access p = { a->addr + off, a->len - off < (uint32_t)a->piece ?
                                 a->len - off : (uint32_t)a->piece, rw, 0 };
        uint32_t at;
        int pw = first_fault(&p, rw, page, &at);
        if (pw) {
            w = pw;
            *va = at;
            nf++;
        }
    }
    return nf > 1 ? -1 : w;
}

int insn_fault_addr(const uint8_t *b, int n, const struct insn_regs *r, uint32_t err,
                    insn_page_fn page, uint32_t *cr2)
{
    struct insn_access a[4];
    int kind = (err & 1) ? 2 : 1, rw = (err & 2) ? INSN_WRITE : INSN_READ;
    int k = n > 0 ? insn_accesses(b, n, r, a, 4) : INSN_TRUNC;
    uint32_t va;

    if (k == INSN_TRUNC) {          /* the fetch of byte n faulted */
        va = r->eip + n;
        if (n >= 15 || rw == INSN_WRITE || why(page(va), INSN_READ) != kind)
            return -1;
        *cr2 = va;
        return 0;
    }
    for (int i = 0; i < k; i++) {
        int arw = (a[i].rw & rw) ? rw : a[i].rw;
        int w = a[i].piece ? piece_fault(&a[i], arw, page, &va) : first_fault(&a[i], arw, page, &va);
        if (!w)
            continue;
        /* the first access that faults is the one reported, or the page
         * tables changed since (or the pieces' order matters): say nothing */
        if (w < 0 || !(a[i].rw & rw) || w != kind)
            return -1;
        *cr2 = va;
        return 0;
    }
    return -1;
}
