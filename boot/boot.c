/* Ring-0 boot, run once: build the GDT/LDT/IDT/TSS and the page tables,
 * then IRET to the ring-3 OS.  Nothing here is reachable afterwards. */
#include "machine.h"
#include "ecshared.h"
#include "multiboot.h"
#include "trapframe.h"
#include "portio.h"
#include "cpucheck.h"
#include "tss.h"
#include "memmap.h"

extern uint32_t ec_vectors[NVEC];
extern struct desc ec_idt[NVEC], ec_idt_bench[NVEC];
extern char ec_switch[];
extern uint8_t ec_tss_page[4096];
extern char ec_gate[], ec_gatebench[], ec_sysenterbench[], ec_trapbench[], ec_flushbench[];
extern char ec_stack_top[], ec_sysenter_stack_top[];
extern void os_main(struct mb_info *mbi);
extern char ec_nm[], ec_nm_end[];
extern uint8_t ec_nm_stacks[];
extern int events_task;                 /* os/event/taskev.c: events=task */
extern uint32_t apic_phys;              /* os/drivers/apic.c: the local APIC's registers */


static void bputs(const char *s)
{
    outb(0x3F9, 0);                     /* COM1 115200 8N1, polled */
    outb(0x3FB, 0x80);
    outb(0x3F8, 1);
    outb(0x3F9, 0);
    outb(0x3FB, 0x03);
    outb(0x3FA, 0xC7);
    for (; *s; s++) {
        while (!(inb(0x3FD) & 0x20))
            ;
        outb(0x3F8, *s);
    }
}

/* The low 16 MiB are mapped at KERNEL_BASE by entry.asm: the text screen too. */
static void vga_puts(int row, const char *s)
{
    volatile uint16_t *v = (volatile uint16_t *)P2V(0xB8000) + 80 * row;
    for (int i = 0; i < 80; i++)
        v[i] = 0x4F00 | (uint8_t)(*s ? *s++ : ' ');
}

/* Say why on COM1 and on the screen, end an emulator (QEMU's isa-debug-exit,
 * Bochs's shutdown port; a real PC ignores both), and halt. */
static void halt(const char *why)
{
    bputs("KLOS boot: ");
    bputs(why);
    bputs("\nKLOS-EXIT 1\n");
    vga_puts(0, "KLOS cannot start:");
    vga_puts(1, why);
    while (!(inb(0x3FD) & 0x40))        /* let the UART drain (LSR.TEMT) */
        ;
    outb(QEMU_EXIT_PORT, 1);
    for (const char *s = "Shutdown"; *s; s++)
        outb(BOCHS_SHUTDOWN_PORT, *s);
    for (;;)
        asm volatile("cli; hlt");
}

static void check_cpu(void)
{
    static char msg[128] = "KLOS needs a Pentium-class CPU: ";
    uint32_t before, after, max = 0, edx = 0, a, b, c;
    asm volatile("pushfl\n\tpopl %0\n\tmovl %0, %1\n\txorl $0x200000, %1\n\tpushl %1\n\t"
                 "popfl\n\tpushfl\n\tpopl %1\n\tpushl %0\n\tpopfl"
                 : "=&r"(before), "=&r"(after) : : "cc");
    int id = ((before ^ after) >> 21) & 1;
    if (id)
        asm volatile("cpuid" : "=a"(max), "=b"(b), "=c"(c), "=d"(edx) : "a"(0));
    if (id && max >= 1)
        asm volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(edx) : "a"(1));
    const char *why = cpu_lacks(id, max, edx);
    if (why) {
        int n = 0;
        while (msg[n])
            n++;
        for (; *why && n < (int)sizeof msg - 1; n++)
            msg[n] = *why++;
        halt(msg);
    }
}

/* Alignment checks (#AC) happen at CPL 3 only when CR0.AM and EFLAGS.AC are
 * both set (SDM 6.15, interrupt 17).  Ring-3 OS code runs with whatever AC
 * an app left in EFLAGS, so AM stays clear: AC means nothing, anywhere. */
static void clear_am(void)
{
    uint32_t cr0;
    asm volatile("mov %%cr0, %0" : "=r"(cr0));
    asm volatile("mov %0, %%cr0" : : "r"(cr0 & ~(1u << 18)));
}

static void setup_gdt(void)
{
    gdt[SEL_KCODE >> 3] = seg_desc(0, 0xFFFFFFFF, ACC_P | ACC_S | ACC_CODE_XR);
    gdt[SEL_KDATA >> 3] = seg_desc(0, 0xFFFFFFFF, ACC_P | ACC_S | ACC_DATA_RW);
    /* CSOS ends with the code region; DSAPP is expand-down with B=1 (seg_desc
     * sets D/B), so it covers only DSAPP_LIMIT+1 .. 4 GiB-1 (SDM 3.4.5.1):
     * nothing an app can write is executable, nothing executable readable. */
    gdt[SEL_CSOS >> 3] = seg_desc(0, CSOS_LIMIT, ACC_P | ACC_DPL(3) | ACC_S | ACC_CODE_XO);
    gdt[SEL_DSAPP >> 3] = seg_desc(0, DSAPP_LIMIT, ACC_P | ACC_DPL(3) | ACC_S | ACC_DATA_RWDOWN);
    /* the limit covers the byte after the bitmap: the CPU reads two (SDM 18.5.2) */
    gdt[SEL_TSS >> 3] = seg_desc(TSS_VA, TSS_SIZE + IOBITMAP_SIZE, ACC_P | ACC_TSS32);
    gdt[SEL_GATE >> 3] = gate_desc(SEL_KCODE, (uint32_t)ec_gate, ACC_P | ACC_DPL(3) | ACC_CALLGATE);
    gdt[SEL_LDT >> 3] = seg_desc((uint32_t)ldt, sizeof ldt - 1, ACC_P | ACC_LDT);
    gdt[SEL_DSOS_INIT >> 3] = seg_desc(0, 0xFFFFFFFF, ACC_P | ACC_DPL(3) | ACC_S | ACC_DATA_RW);
    /* DPL 0 until a bench process runs (os/bench/rights.c) */
    gdt[SEL_GATE_BENCH >> 3] = gate_desc(SEL_KCODE, (uint32_t)ec_gatebench, ACC_P | ACC_CALLGATE);

    struct { uint16_t limit; uint32_t base; } __attribute__((packed))
        gdtr = { sizeof gdt - 1, (uint32_t)gdt };
    asm volatile("lgdt %0\n\t"
                 "ljmp %1, $1f\n1:\n\t"
                 "mov %2, %%ax\n\tmov %%ax, %%ds\n\tmov %%ax, %%es\n\t"
                 "mov %%ax, %%ss\n\txor %%eax, %%eax\n\tmov %%ax, %%fs\n\tmov %%ax, %%gs"
                 : : "m"(gdtr), "i"(SEL_KCODE), "i"(SEL_KDATA) : "eax", "memory");
    uint16_t ldtsel = SEL_LDT;
    asm volatile("lldt %0" : : "r"(ldtsel));
}

/* All interrupt gates (IF=0 on entry).  The DPL says who may raise a vector
 * with INT n (SDM 6.12.1.1): an app's INT n to a DPL-0 vector raises #GP.
 * Two IDTs, each on a supervisor page of its own, seen at IDT_VA through the
 * per-process window: ec_idt_bench, and ec_idt, the one every other process
 * gets, where the ring-0 benchmark entries (eventcore/bench.asm) have DPL 0.
 * The OS maps ec_idt_bench for the bench module only (os/bench/rights.c): the
 * CR3 load that switches processes switches the right, as it does the I/O
 * bitmap -- no ring-0 check, no cost per call. */
static void set_gate(int v, uint32_t entry, int dpl, int bench_dpl)
{
    if (events_task) {                  /* the same DPLs, no ring-0 bench entries (setup_tasks) */
        ec_idt[v] = v == 7 ? gate_desc(SEL_KCODE, 0, ACC_P | ACC_INTGATE)   /* the clts stub */
                           : gate_desc(TEV_SEL(v), 0, ACC_P | ACC_DPL(dpl) | ACC_TASKGATE);
        ec_idt_bench[v] = ec_idt[v];
        return;
    }
    ec_idt[v] = gate_desc(SEL_KCODE, entry, ACC_P | ACC_DPL(dpl) | ACC_INTGATE);
    ec_idt_bench[v] = gate_desc(SEL_KCODE, entry, ACC_P | ACC_DPL(bench_dpl) | ACC_INTGATE);
}

static void setup_idt(void)
{
    for (int v = 0; v < NVEC; v++)
        set_gate(v, ec_vectors[v], 0, 0);
    set_gate(3, ec_vectors[3], 3, 3);                   /* int3 */
    set_gate(4, ec_vectors[4], 3, 3);                   /* into */
    set_gate(VEC_YIELD, ec_vectors[VEC_YIELD], 3, 3);
    set_gate(VEC_UPCALL, ec_vectors[VEC_UPCALL], 3, 3);
    set_gate(VEC_SWITCH, (uint32_t)ec_switch, 3, 3);    /* refuses all but the OS */
    /* the benchmark's own ring-0 entries (eventcore/bench.asm): bench only */
    set_gate(VEC_TRAPBENCH, (uint32_t)ec_trapbench, 0, 3);
    set_gate(VEC_FLUSHBENCH, (uint32_t)ec_flushbench, 0, 3);
    struct { uint16_t limit; uint32_t base; } __attribute__((packed))
        idtr = { sizeof(struct desc) * NVEC - 1, IDT_VA };
    asm volatile("lidt %0" : : "m"(idtr));
}

/* Map [va, va_end) to the frames from pa on, in the page table pt. */
static void map_range(uint32_t *pd, uint32_t *pt, uint32_t va, uint32_t va_end, uint32_t pa,
                      uint32_t flags)
{
    pd[PDX(va)] = V2P(pt) | PTE_P | PTE_W | PTE_U;
    for (; va < va_end; va += 4096, pa += 4096)
        pt[PTX(va)] = pa | PTE_P | flags;
}

/* The direct map of RAM at KERNEL_BASE, from the memory map (boot/memmap.c):
 * only frames the map calls RAM, below DIRECTMAP_MAX; holes stay unmapped.
 * A loader that gives no map (flag bit 6) gives mem_lower and mem_upper.
 * Returns the number of RAM frames mapped.  Written through the early map
 * (entry.asm): ptpool lies in the first 16 MiB. */
static uint32_t fill_direct_map(struct mb_info *mbi)
{
    uint32_t flags = PTE_P | PTE_W | PTE_U;
    if (mbi->flags & MBI_MMAP)
        return memmap_ptes(P2V(mbi->mmap_addr), mbi->mmap_length, DIRECT_PTE, NFRAMES, flags);
    static struct mb_mmap m[2];
    uint64_t upper = (uint64_t)mbi->mem_upper * 1024;
    m[0] = (struct mb_mmap){ 20, 0, 0, mbi->mem_lower * 1024, 0, MB_MMAP_RAM };
    m[1] = (struct mb_mmap){ 20, 0x100000, 0, (uint32_t)upper, (uint32_t)(upper >> 32), MB_MMAP_RAM };
    return memmap_ptes(m, sizeof m, DIRECT_PTE, NFRAMES, flags);
}

/* The code region: boot and event core supervisor-only, OS text and the
 * stubs U=1 and read-only (the OS patches stubs through the direct map).
 * The direct map (fill_direct_map): all U=1 except the frames of the event
 * core's code and data.  The window table maps the TSS page (U=0) and this
 * process's I/O bitmap. */
static void setup_paging(void)
{
    uint32_t *pd = ptpool[0], *win = ptpool[1];
    uint32_t ec0 = (uint32_t)_kernel_start, ec1 = (uint32_t)_ec_end;
    uint32_t ecd0 = V2P(_ecdata_start), ecd1 = V2P(_ecdata_end);
    for (uint32_t pa = ec0; pa < ec1; pa += 4096)
        DIRECT_PTE[pa >> 12] &= ~PTE_U;
    for (uint32_t pa = ecd0; pa < ecd1; pa += 4096)
        DIRECT_PTE[pa >> 12] &= ~PTE_U;
    for (uint32_t t = 0; t < NFRAMES / 1024; t++)
        for (int i = 0; i < 1024; i++)
            if (ptpool[PT_DIRECT + t][i]) {
                pd[PDX(KERNEL_BASE) + t] = V2P(ptpool[PT_DIRECT + t]) | PTE_P | PTE_W | PTE_U;
                break;
            }
    uint32_t *ct = ptpool[PT_CODE];
    map_range(pd, ct, ec0, ec1, ec0, PTE_W);        /* boot (runs on), event core */
    map_range(pd, ct, ec1, (uint32_t)_text_end, ec1, PTE_U);
    map_range(pd, ptpool[PT_CODE + 1], SVC_H_BASE, (uint32_t)_svc_h_end, (uint32_t)_svc_h_lma,
              PTE_U);
    map_range(pd, ptpool[PT_CODE + 2], SVC_B_BASE, (uint32_t)_svc_b_end, (uint32_t)_svc_b_lma,
              PTE_U);
    map_range(pd, ptpool[PT_CODE + 2], SVC_A_BASE, (uint32_t)_svc_a_end, (uint32_t)_svc_a_lma,
              PTE_U);
    map_range(pd, ptpool[PT_CODE + 2], SVC_P_BASE, (uint32_t)_svc_p_end, (uint32_t)_svc_p_lma,
              PTE_U);                           /* the paper's Design B: the bench's row */
    pd[PDX(OS_WINDOW)] = V2P(win) | PTE_P | PTE_W | PTE_U;
    win[PTX(TSS_PAGE)] = V2P(ec_tss_page) | PTE_P | PTE_W;
    win[PTX(IOBITMAP_VA)] = V2P(iobitmap_boot) | PTE_P | PTE_W | PTE_U;
    win[PTX(IOBITMAP_VA + 4096)] = V2P(iobitmap_boot + 4096) | PTE_P | PTE_W | PTE_U;
    win[PTX(IOBITMAP_END_VA)] = V2P(iomap_end_page) | PTE_P | PTE_U;
    win[PTX(IDT_VA)] = V2P(ec_idt) | PTE_P | PTE_W;
    asm volatile("mov %0, %%cr3" : : "r"(V2P(pd)) : "memory");
}

static void setup_tss(void)
{
    struct tss *tss = (struct tss *)TSS_VA;
    for (int i = 0; i < TSS_SIZE / 4; i++)
        ((uint32_t *)tss)[i] = 0;
    tss->esp0 = (uint32_t)ec_stack_top;
    tss->ss0 = SEL_KDATA;
    tss->iomap = TSS_SIZE;
    for (int i = 0; i < IOBITMAP_SIZE; i++)
        iobitmap_boot[i] = 0xFF;                        /* no port for anyone */
    iomap_end_page[0] = 0xFF;
    uint16_t sel = SEL_TSS;
    asm volatile("ltr %0" : : "r"(sel));
}

/* events=task (os/event/taskev.c): one handler task per vector, entered through
 * the IDT's task gates (SDM 6.11 and 7.3): CS=CSOS at CPL 3, DS=ES=SS=DSOS,
 * IF=0, IOPL=3 (it sends the EOI itself), the kernel's page directory, its
 * own entry stack.  CR3, LDT and ESP0 are static TSS fields (SDM 7.2.1): the
 * CPU loads them on a switch and never saves them, so the app task's CR3
 * field must hold the running process's directory -- the ring-3 scheduler
 * writes it.  Ring 0 keeps only the #NM stub: KCODE shrinks to it, the call
 * gates go, SYSENTER is disarmed (it would enter a flat ring 0 whatever the
 * GDT says, SDM 5.8.7).  The TSS page becomes U=1: the ring-3 OS edits the
 * app task's saved state there, and only DSOS reaches it. */
static void setup_tasks(void)
{
    for (int v = 0; v < NVEC; v++) {
        struct tss *t = &tev_tss[v];
        *t = (struct tss){ 0 };
        t->cr3 = V2P(ptpool[0]);
        t->eip = tev_entries[v];
        t->eflags = 0x3002;                             /* IOPL 3, IF 0 */
        t->esp = (uint32_t)tev_estacks[v] + TEV_ESTACK;
        t->cs = SEL_CSOS;
        t->ss = t->ds = t->es = SEL_DSOS_INIT;
        t->ldt = SEL_LDT;
        t->esp0 = (uint32_t)ec_nm_stacks + NM_STACK * (v + 1);
        t->ss0 = SEL_KDATA;
        t->iomap = TSS_SIZE;                            /* none: IOPL 3 needs no bitmap */
        gdt[TEV_SEL(v) >> 3] = seg_desc((uint32_t)t, TSS_SIZE - 1, ACC_P | ACC_TSS32);
    }
    struct tss *app = (struct tss *)TSS_VA;
    app->cr3 = V2P(ptpool[0]);                          /* the OS (process 0) runs first */
    app->ldt = SEL_LDT;
    app->esp0 = (uint32_t)ec_nm_stacks + NM_STACK * (NVEC + 1);
    ptpool[1][PTX(TSS_PAGE)] |= PTE_U;
    gdt[SEL_KCODE >> 3] = seg_desc((uint32_t)ec_nm, ec_nm_end - ec_nm - 1,
                                   ACC_P | ACC_S | ACC_CODE_XO);
    gdt[SEL_GATE >> 3] = (struct desc){ 0, 0 };
    gdt[SEL_GATE_BENCH >> 3] = (struct desc){ 0, 0 };
    asm volatile("mov %%cr3, %%eax\n\tmov %%eax, %%cr3" : : : "eax", "memory");
}

/* The whole word events=task on the multiboot command line. */
static int want_tasks(struct mb_info *mbi)
{
    static const char w[] = "events=task";
    if (!(mbi->flags & MBI_CMDLINE))
        return 0;
    for (const char *s = P2V(mbi->cmdline); *s; s++) {
        if (s != (const char *)P2V(mbi->cmdline) && s[-1] != ' ')
            continue;
        int i = 0;
        while (w[i] && s[i] == w[i])
            i++;
        if (!w[i] && (s[i] == 0 || s[i] == ' '))
            return 1;
    }
    return 0;
}

/* SYSENTER only for the benchmark; a P5 has no SEP, and the Pentium Pro
 * before model 3 stepping 3 reports SEP without having it (SDM 4.3). */
static void setup_sysenter(void)
{
    uint32_t a, b, c, d;
    asm volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1));
    uint32_t family = (a >> 8) & 15, model = (a >> 4) & 15, stepping = a & 15;
    if (!(d & (1 << 11)) || (family == 6 && model < 3 && stepping < 3))
        return;
    if (events_task) {                  /* SYSENTER_CS_MSR = 0: SYSENTER raises #GP */
        asm volatile("wrmsr" : : "c"(0x174), "a"(0), "d"(0));
        return;
    }
    uint32_t msr[3][2] = { { 0x174, SEL_KCODE }, { 0x175, (uint32_t)ec_sysenter_stack_top },
                           { 0x176, (uint32_t)ec_sysenterbench } };
    for (int i = 0; i < 3; i++)
        asm volatile("wrmsr" : : "c"(msr[i][0]), "a"(msr[i][1]), "d"(0));
}

/* Remap the PICs to VEC_IRQ0.. (the BIOS's 8-15 collide with exceptions)
 * and mask every line: the ring-3 PIC driver unmasks what it handles. */
static void setup_pic(void)
{
    static const uint8_t init[2][4] = { { 0x11, VEC_IRQ0, 0x04, 0x01 },
                                        { 0x11, VEC_IRQ0 + 8, 0x02, 0x01 } };
    for (int i = 0; i < 4; i++) {
        outb(0x20 + (i ? 1 : 0), init[0][i]);
        outb(0xA0 + (i ? 1 : 0), init[1][i]);
    }
    outb(0x21, 0xFF);
    outb(0xA1, 0xFF);
}

/* n in decimal, then s, at the end of buf (size bytes with the NUL). */
static void append(char *buf, int size, uint32_t n, const char *s)
{
    char d[12];
    int k = 0, len = 0;
    do
        d[k++] = '0' + n % 10;
    while ((n /= 10));
    while (buf[len])
        len++;
    while (k && len < size - 1)
        buf[len++] = d[--k];
    while (*s && len < size - 1)
        buf[len++] = *s++;
    buf[len] = 0;
}

/* KLOS needs the RAM of an 8 MiB PC: 8 MiB less the 384 KiB hole below
 * 1 MiB and what the BIOS keeps (128 KiB at the top on SeaBIOS) -- so 7 MiB
 * of frames the map calls RAM, counted, not mem_upper (RAM below the first
 * hole only).  And the image must lie in RAM, or the direct map would not
 * map the OS's own data. */
#define MIN_RAM_FRAMES (7 * 1024 * 1024 / 4096)
static void check_ram(uint32_t frames)
{
    static char msg[112] = "too little RAM: KLOS needs an 8 MiB PC (7 MiB usable); the memory map lists ";
    if (frames < MIN_RAM_FRAMES) {
        append(msg, sizeof msg, frames * 4, " KiB");
        halt(msg);
    }
    for (uint32_t pa = (uint32_t)_kernel_start; pa < V2P(_kernel_end); pa += 4096)
        if (!(DIRECT_PTE[pa >> 12] & PTE_P))
            halt("the memory map does not list the RAM the KLOS image was loaded into");
}

/* The local APIC (CPUID.1:EDX bit 9).  Its base MSR (0x1B, SDM 10.4.4) is
 * readable at ring 0 only, and only from the P6 on (a P54C's APIC is fixed
 * at 0xFEE00000): read it here and pass the base on.  0 = none the OS can use:
 * globally disabled by the firmware (bit 11 clear), or in x2APIC mode (bit 10:
 * its registers are MSRs then, not MMIO). */
static void find_apic(void)
{
    uint32_t a, b, c, d;
    asm volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1));
    if (!(d & (1 << 9)))
        return;
    if (((a >> 8) & 15) < 6) {
        apic_phys = 0xFEE00000;
        return;
    }
    uint32_t lo, hi;
    asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(0x1B));
    if ((lo & (1 << 11)) && !(lo & (1 << 10)) && !hi)
        apic_phys = lo & ~0xFFFu;
}

void boot_main(uint32_t magic, uint32_t mbi_pa)
{
    check_cpu();
    clear_am();
    if (magic != MB_MAGIC)
        halt("not started by a multiboot loader; boot klos.iso with GRUB");
    struct mb_info *mbi = P2V(mbi_pa);
    if (!(mbi->flags & (MBI_MEM | MBI_MMAP)))
        halt("the boot loader says nothing about memory; boot klos.iso with GRUB");
    check_ram(fill_direct_map(mbi));
    find_apic();
    setup_paging();
    events_task = want_tasks(mbi);
    setup_gdt();
    setup_idt();
    setup_tss();
    setup_pic();
    setup_sysenter();
    if (events_task)
        setup_tasks();
    ecshared.dsos = SEL_DSOS_INIT;

    /* Drop to ring 3: the OS runs with CS=CSOS, DS=ES=SS=DSOS, IF=1. */
    uint32_t *sp = (uint32_t *)(os_stack + sizeof os_stack);
    *--sp = (uint32_t)mbi;
    *--sp = 0;                                          /* os_main never returns */
    asm volatile("mov %0, %%ds\n\tmov %0, %%es\n\t"
                 "push %0\n\tpush %1\n\tpush $0x202\n\tpush %2\n\tpush %3\n\tiret"
                 : : "r"(SEL_DSOS_INIT), "r"(sp), "i"(SEL_CSOS), "r"(os_main) : "memory");
    for (;;)
        ;
}
