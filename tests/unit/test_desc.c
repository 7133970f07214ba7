// Descriptor encoding (include/desc.h) against the SDM's bit layouts and
// the values boot/ installs.
// SOURCES:
#include <stdint.h>
#include "check.h"
#include "klos.h"
#include "desc.h"

int main(void)
{
    struct desc d = seg_desc(0, 0xFFFFFFFF, ACC_P | ACC_DPL(3) | ACC_S | ACC_CODE_XO);
    CHECK("desc.csos-raw", d.lo == 0x0000FFFF && d.hi == 0x00CFF800);
    CHECK("desc.csos-execute-only", (desc_access(d) & 0x0A) == 0x08);
    d = seg_desc(0, DSAPP_LIMIT, ACC_P | ACC_DPL(3) | ACC_S | ACC_DATA_RW);
    CHECK("desc.dsapp-limit", desc_limit(d) == 0xBFFFFFFF);
    CHECK("desc.dsapp-granular", (d.hi >> 23) & 1);
    CHECK("desc.dsapp-dpl3", ((desc_access(d) >> 5) & 3) == 3);
    d = seg_desc(0, 0xFFFFFFFF, ACC_P | ACC_DPL(3) | ACC_S | ACC_DATA_RW);
    CHECK("desc.dsos-4g", desc_limit(d) == 0xFFFFFFFF && desc_base(d) == 0);
    d = seg_desc(0, 0xFFFFFFFF, ACC_DPL(3) | ACC_S | ACC_DATA_RW);
    CHECK("desc.hidden-slot-not-present", !desc_present(d) && (desc_access(d) & ACC_S));
    d = seg_desc(TSS_VA, TSS_SIZE + IOBITMAP_SIZE, ACC_P | ACC_TSS32);
    CHECK("desc.tss-base", desc_base(d) == TSS_VA);
    CHECK("desc.tss-limit-covers-terminator", desc_limit(d) == TSS_SIZE + IOBITMAP_SIZE);
    CHECK("desc.tss-byte-granular", !((d.hi >> 23) & 1));
    CHECK("desc.tss-system", (desc_access(d) & 0x1F) == ACC_TSS32);
    d = gate_desc(SEL_KCODE, 0xC0123456, ACC_P | ACC_DPL(3) | ACC_CALLGATE);
    CHECK("desc.gate-raw", d.lo == ((SEL_KCODE << 16) | 0x3456) && d.hi == 0xC012EC00);
    CHECK("desc.gate-zero-params", (d.hi & 0x1F) == 0);
    d = gate_desc(SEL_KCODE, 0xC0100000, ACC_P | ACC_INTGATE);
    CHECK("desc.intgate-raw", d.hi == 0xC0108E00);
    CHECK("sel.csos", SEL_INDEX(SEL_CSOS) == 3 && (SEL_CSOS & 3) == 3);
    CHECK("sel.sysenter-order", SEL_CSOS - 3 == SEL_KCODE + 16 && SEL_DSAPP - 3 == SEL_KCODE + 24);
    CHECK("sel.ldt-bit", SEL_IS_LDT(0x000F) && !SEL_IS_LDT(0x000B));
    CHECK("layout.iobitmap-page-aligned", (IOBITMAP_VA & 0xFFF) == 0 && TSS_VA + TSS_SIZE == IOBITMAP_VA);
    return check_exit();
}
