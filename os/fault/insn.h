/* The memory an IA-32 instruction touches, from its bytes and the registers
 * it starts with; and from that, the #PF linear address (CR2) a fault on it
 * reported.  For a ring-3 handler, which cannot read CR2 (SDM 2.5: MOV from
 * CR2 is CPL 0 only) and gets no copy of it in any TSS.  32-bit code
 * (CS.D=1), every segment base 0 (KLOS), so linear = offset, mod 2^32. */
#ifndef INSN_H
#define INSN_H
#include <stdint.h>

struct insn_regs { uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi, eip, eflags; };

#define INSN_READ  1
#define INSN_WRITE 2
#define INSN_RMW   3                /* read-modify-write: CPUs report it as a read or a write */

struct insn_access {
    uint32_t addr, len;
    int rw;                         /* INSN_READ, INSN_WRITE or INSN_RMW */
    int piece;                      /* 0, or: touched as pieces of this many bytes in an
                                     * order CPUs differ on (PUSHAD: QEMU up, Bochs down) */
};

#define INSN_UNKNOWN (-1)           /* an instruction this decoder does not know */
#define INSN_TRUNC   (-2)           /* the instruction runs past b[n) */

/* The opcode of the instruction at b[0..n): its byte, or 0x0F00 | the second
 * byte of a two-byte opcode; *seg is its segment-override prefix (0x2E CS,
 * ...; 0 if none).  INSN_TRUNC if the bytes end first. */
int insn_opcode(const uint8_t *b, int n, int *seg);

/* The accesses of the instruction at b[0..n) (n <= 15), in the order the CPU
 * makes them; at most max.  Returns their count, INSN_UNKNOWN or INSN_TRUNC. */
int insn_accesses(const uint8_t *b, int n, const struct insn_regs *r,
                  struct insn_access *a, int max);

/* Page flags as the CPU sees them at CPL 3: PDE and PTE combined. */
#define INSN_PG_P 1
#define INSN_PG_W 2
#define INSN_PG_U 4
typedef int (*insn_page_fn)(uint32_t va);   /* flags of the page holding va */

/* CR2 of a #PF with error code err (bit 0 P, bit 1 W) on the instruction at
 * r->eip, whose first n bytes (n <= 15, all that could be read) are b.
 * 0 and *cr2 set, or -1 when it cannot be told exactly. */
int insn_fault_addr(const uint8_t *b, int n, const struct insn_regs *r, uint32_t err,
                    insn_page_fn page, uint32_t *cr2);
#endif
