/* x86 descriptor encoding (SDM 3.4.5, 5.8.3, 6.11, 7.2.2).  Pure logic:
 * used by boot/, by the ring-3 OS (DSOS relocation) and by host unit tests. */
#ifndef DESC_H
#define DESC_H
#include <stdint.h>

/* access byte: P | DPL | S | type */
#define ACC_P           0x80
#define ACC_DPL(d)      ((d) << 5)
#define ACC_S           0x10            /* code/data (not system) */
#define ACC_CODE_XO     0x08            /* code, execute-only */
#define ACC_CODE_XR     0x0A            /* code, readable */
#define ACC_DATA_RW     0x02
#define ACC_DATA_RWDOWN 0x06            /* data, read/write, expand-down (SDM 3.4.5.1) */
#define ACC_TSS32       0x09            /* available 32-bit TSS */
#define ACC_TSS32_BUSY  0x0B            /* the same, busy (SDM 7.2.2) */
#define ACC_TASKGATE    0x05
#define ACC_LDT         0x02
#define ACC_CALLGATE    0x0C
#define ACC_INTGATE     0x0E
#define ACC_TRAPGATE    0x0F

struct desc {
    uint32_t lo, hi;
};

/* Segment descriptor.  A limit above 1 MiB is stored in 4 KiB units (G=1),
 * so its low 12 bits must be all ones (0xFFF). */
static inline struct desc seg_desc(uint32_t base, uint32_t limit, uint8_t access)
{
    struct desc d;
    uint32_t flags = 0;
    if (access & ACC_S)
        flags |= 0x4;                   /* D/B: 32-bit */
    if (limit > 0xFFFFF) {
        limit >>= 12;
        flags |= 0x8;                   /* G */
    }
    d.lo = (limit & 0xFFFF) | (base << 16);
    d.hi = ((base >> 16) & 0xFF) | ((uint32_t)access << 8) | (limit & 0xF0000) |
           (flags << 20) | (base & 0xFF000000);
    return d;
}

/* Gate descriptor (call, interrupt or trap gate). */
static inline struct desc gate_desc(uint16_t sel, uint32_t off, uint8_t access)
{
    struct desc d;
    d.lo = (off & 0xFFFF) | ((uint32_t)sel << 16);
    d.hi = (off & 0xFFFF0000) | ((uint32_t)access << 8);
    return d;
}

static inline uint32_t desc_base(struct desc d)
{
    return (d.lo >> 16) | ((d.hi & 0xFF) << 16) | (d.hi & 0xFF000000);
}

static inline uint32_t desc_limit(struct desc d)
{
    uint32_t l = (d.lo & 0xFFFF) | (d.hi & 0xF0000);
    return (d.hi & (1u << 23)) ? (l << 12) | 0xFFF : l;
}

static inline uint8_t desc_access(struct desc d)
{
    return (d.hi >> 8) & 0xFF;
}

static inline int desc_present(struct desc d)
{
    return (d.hi >> 15) & 1;
}

#define SEL_INDEX(s)    ((s) >> 3)
#define SEL_IS_LDT(s)   (((s) >> 2) & 1)
#endif
