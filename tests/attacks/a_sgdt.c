/* a_sgdt: what SGDT/SIDT/SLDT/STR (and SMSW) tell an app at CPL 3 (paper
 * §2.3.3: they are not privileged), and that knowing where the tables lie
 * does not let it read or write them: every table lies in the OS data region,
 * below DSAPP's expand-down range, so each access through DS must #GP.  The
 * LDT and TSS selectors cannot be loaded into DS either (system descriptors:
 * #GP).  A write is attempted only with the byte just read, so even a broken
 * OS is left unharmed.  Needs Bochs (QEMU TCG skips limit checks).
 * Prints ATTACK name=sgdt ... result=contained | BREACH. */
#include "attack.h"

static int tries, faulted, breach;
static char detail[256];
static int dl;

static void attempt(const char *what, void (*fn)(uint32_t), uint32_t arg)
{
    int r = probe_call(fn, arg);
    tries++;
    if (r && (r & 0xFF) == 13)
        faulted++;
    else
        breach++;
    dl += snprintf(detail + dl, sizeof detail - dl, " %s=%s", what,
                   !r ? "OK!" : (r & 0xFF) == 13 ? "gp" : (r & 0xFF) == 11 ? "np" : "other");
}

static void load_ds(uint32_t sel)
{
    asm volatile("movl %0, %%ds" : : "r"(sel));
}

int main(void)
{
    probe_init();
    struct dtr g, i;
    uint16_t ldtr, tr;
    uint32_t msw;
    asm volatile("sgdt %0" : "=m"(g));
    asm volatile("sidt %0" : "=m"(i));
    asm volatile("sldt %0" : "=r"(ldtr));
    asm volatile("str %0" : "=r"(tr));
    asm volatile("smsw %0" : "=r"(msw));
    printf("ATTACK name=sgdt_reveal gdt=%08x/%u idt=%08x/%u ldtr=0x%x tr=0x%x msw=0x%x\n",
           g.base, g.limit, i.base, i.limit, ldtr, tr, msw & 0xFFFF);

    attempt("gdt_read", rd_ds, g.base);
    attempt("gdt_read_last", rd_ds, g.base + g.limit - 3);
    attempt("idt_read", rd_ds, i.base);
    attempt("idt_read_last", rd_ds, i.base + i.limit - 3);
    /* the TSS's address is in the GDT (unreadable); klos.h says where it is */
    attempt("tss_read", rd_ds, TSS_VA);
    attempt("iobitmap_read", rd_ds, IOBITMAP_VA);
    attempt("ldt_sel_to_ds", load_ds, ldtr);
    attempt("tss_sel_to_ds", load_ds, tr);
    /* writes: the byte we read, if we could read it; else any byte (it faults) */
    wr_byte = probe_call(rd_ds, g.base + 0x20) ? 0 : (uint8_t)rd_val;
    attempt("gdt_write", wr_ds, g.base + 0x20);
    wr_byte = probe_call(rd_ds, i.base + 0x20) ? 0 : (uint8_t)rd_val;
    attempt("idt_write", wr_ds, i.base + 0x20);
    int os = g.base >= KERNEL_BASE && i.base >= KERNEL_BASE;
    printf("ATTACK name=sgdt tables_in_os_region=%s tries=%d gp=%d succeeded=%d%s result=%s\n",
           os ? "yes" : "no", tries, faulted, breach, detail,
           !breach && os ? "contained" : "BREACH");
    return 0;
}
