// Descriptor encoding (include/desc.h) against the SDM's bit layouts and
// the values boot/ installs.
// SOURCES:
#include <stdint.h>
#include "check.h"
#include "klos.h"
#include "desc.h"

int main(void)
{
    /* the sealed layout (docs/DESIGN.md §2): CSOS ends with the code region, DSAPP is
     * expand-down (type bit 2, SDM 3.4.5.1) with B=1, valid above its limit */
    struct desc d = seg_desc(0, CSOS_LIMIT, ACC_P | ACC_DPL(3) | ACC_S | ACC_CODE_XO);
    CHECK("desc.csos-raw", d.lo == 0x0000FFFF && d.hi == 0x00C0F800);
    CHECK("desc.csos-limit", desc_limit(d) == 0x0FFFFFFF && CSOS_LIMIT + 1 == CODE_END);
    CHECK("desc.csos-execute-only", (desc_access(d) & 0x0A) == 0x08);
    d = seg_desc(0, DSAPP_LIMIT, ACC_P | ACC_DPL(3) | ACC_S | ACC_DATA_RWDOWN);
    CHECK("desc.dsapp-raw", d.lo == 0x0000FFFF && d.hi == 0x00C7F600);
    CHECK("desc.dsapp-limit", desc_limit(d) == 0x7FFFFFFF && DSAPP_LIMIT + 1u == APP_DATA_BASE);
    CHECK("desc.dsapp-expand-down-big", (desc_access(d) & 0x0E) == 0x06 && ((d.hi >> 22) & 1));
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
    CHECK("layout.regions", OS_TEXT_BASE < SVC_START && SVC_END <= APP_TEXT_BASE &&
          APP_TEXT_BASE < CODE_END && CODE_END <= KERNEL_BASE &&
          KERNEL_BASE + DIRECTMAP_MAX <= OS_WINDOW && OS_WINDOW + 0x400000 <= APP_DATA_BASE &&
          APP_DATA_BASE < APP_LOAD_END && SHM_BASE + 16 * 16 * 4096 <= APP_STACK_TOP - 0x10000);
    CHECK("layout.plain-stubs-own-pde", (SVC_B_BASE >> 22) == ((SVC_A_BASE + 4095) >> 22) &&
          ((SVC_P_BASE + 4095) >> 22) == SVC_PLAIN_PDE && SVC_P_BASE == SVC_A_BASE + 4096 &&
          SVC_END == SVC_P_BASE + 4096 &&
          (SVC_H_BASE >> 22) != SVC_PLAIN_PDE && ((OS_TEXT_BASE >> 22) != SVC_PLAIN_PDE));
    CHECK("layout.iobitmap-page-aligned", (IOBITMAP_VA & 0xFFF) == 0 && TSS_VA + TSS_SIZE == IOBITMAP_VA);
    return check_exit();
}
