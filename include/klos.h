/* KLOS constants shared by C and NASM.  Only #define NAME VALUE lines:
 * tools/gen/h2inc.sh turns this file into build/gen/klos.inc for NASM. */
#ifndef KLOS_H
#define KLOS_H

/* --- Segment selectors (GDT index << 3 | RPL) ---------------------------
 * SYSENTER fixes the order KCODE, KDATA, user CS, user SS (SDM 5.8.7):
 * SYSENTER_CS_MSR = KCODE, so CSOS and DSAPP must follow KDATA. */
#define SEL_KCODE       0x08
#define SEL_KDATA       0x10
#define SEL_CSOS        0x1B    /* execute-only, limit CSOS_LIMIT, DPL 3 */
#define SEL_DSAPP       0x23    /* data, expand-down above DSAPP_LIMIT, DPL 3 */
#define SEL_TSS         0x28
#define SEL_GATE        0x33    /* call gate -> upcall return, DPL 3 */
#define SEL_LDT         0x38
#define SEL_GATE_BENCH  0x4B    /* call gate -> ring-0 benchmark entry */
#define SEL_DSOS_INIT   0x43    /* where DSOS lies in the image; moved at boot */
#define GDT_ENTRIES     8192
#define LDT_ENTRIES     8192
#define GDT_FIXED       10      /* slots 0..9 never hold DSOS */
/* events=task: the handler tasks' TSS descriptors, one per vector, in GDT
 * slots 10 .. 10+NVEC-1 (a TSS descriptor must be in the GDT, SDM 7.2.2) */
#define SEL_TEV0        0x50
#define GDT_FIXED_TASK  (10 + NVEC)
#define TEV_ESTACK      64      /* a handler task's entry stack: the CPU pushes the error code there */
#define NM_STACK        32      /* each TSS's ring-0 stack for the #NM stub (eventcore/nm.asm) */

/* --- Address space (docs/DESIGN.md §2): three regions, all bases 0 -------
 * 0x00000000-0x0FFFFFFF  code region: CSOS, expand-up execute-only, ends
 *                        here.  Page 0 unmapped; boot, event core (U=0),
 *                        OS text, the stubs, app text from APP_TEXT_BASE.
 * 0x10000000-0x7FFFFFFF  OS data region: only DSOS (flat) reaches it.
 * 0x80000000-0xFFFFFFFF  app data region: DSAPP is expand-down (SDM
 *                        3.4.5.1) with limit DSAPP_LIMIT, so its valid
 *                        offsets are DSAPP_LIMIT+1 .. 0xFFFFFFFF. */
#define CSOS_LIMIT      0x0FFFFFFF
#define CODE_END        0x10000000
#define DSAPP_LIMIT     0x7FFFFFFF      /* expand-down: offsets above it */
#define APP_DATA_BASE   0x80000000
#define OS_TEXT_BASE    0x00100000      /* = phys 1 MiB (identity) */
#define SVC_H_BASE      0x00400000      /* hardened Design B stubs (page table 1) */
#define SVC_B_BASE      0x00800000      /* Design B stub n at SVC_B_BASE + n*4096 */
#define SVC_A_BASE      0x00880000      /* Design A trampoline page */
#define SVC_P_BASE      0x00881000      /* the paper's four-load B (null only): bench row */
#define SVC_PLAIN_PDE   (SVC_B_BASE >> 22)      /* B, A and P: one directory entry */
#define SVC_START       SVC_H_BASE              /* every stub lies in */
#define SVC_END         (SVC_P_BASE + 4096)     /* [SVC_START, SVC_END) */
#define SVC_MAX         128
#define APP_TEXT_BASE   0x01000000      /* app text: APP_TEXT_BASE .. CODE_END */
#define APP_BASE        APP_TEXT_BASE
#define KERNEL_BASE     0x10000000      /* phys 0 is mapped here (direct map) */
#define DIRECTMAP_MAX   0x30000000      /* 768 MiB of RAM reachable by the OS */
/* Device memory (MMIO) the OS maps for itself: in the OS data region, so
 * only DSOS reaches it (os/mm/mmio.c), each device at a fixed place. */
#define MMIO_BASE       0x70000000
#define MMIO_APIC_VA    MMIO_BASE               /* the local APIC's registers, 4 KiB */
#define MMIO_SCREEN_VA  (MMIO_BASE + 0x400000)  /* VGA text or the linear framebuffer */
#define MMIO_END        0x7F800000              /* = OS_WINDOW */
#define OS_WINDOW       0x7F800000      /* per-process page table (4 MiB) */
#define TSS_PAGE        0x7F800000
#define TSS_SIZE        104
#define TSS_VA          (TSS_PAGE + 4096 - TSS_SIZE)
#define IOBITMAP_VA     (TSS_PAGE + 4096)      /* 8 KiB, page aligned */
#define IOBITMAP_SIZE   8192
#define IOBITMAP_END_VA (TSS_PAGE + 3 * 4096)  /* the 0xFF terminator page */
#define SCRATCH_VA      (TSS_PAGE + 4 * 4096)  /* OS scratch mapping slots */
#define IDT_VA          (OS_WINDOW + 0x3FF000) /* per process: the bench's IDT differs */
#define APP_IMAGE_BASE  APP_DATA_BASE   /* app rodata/data/bss from here */
#define APP_LOAD_END    0xE0000000      /* app images and heap end below here */
#define SHM_BASE        0xE0000000      /* shared regions (os/svc/sys_ipc.c) */
#define APP_STACK_TOP   0xFFFFF000

/* --- Exception vectors (SDM vol. 3, table 6-1) ------------------------ */
#define VEC_DE          0       /* divide error */
#define VEC_DB          1       /* debug */
#define VEC_NMI         2
#define VEC_BP          3       /* int3 */
#define VEC_OF          4       /* into */
#define VEC_BR          5       /* bound */
#define VEC_UD          6       /* invalid opcode */
#define VEC_NM          7       /* device not available (x87 with CR0.TS) */
#define VEC_DF          8       /* double fault */
#define VEC_TS          10      /* invalid TSS */
#define VEC_NP          11      /* segment not present */
#define VEC_SS          12      /* stack-segment fault */
#define VEC_GP          13      /* general protection */
#define VEC_PF          14      /* page fault */
#define VEC_MF          16      /* x87 error */
#define VEC_AC          17      /* alignment check */
#define NEXC            32      /* vectors 0..31 are exceptions */

/* --- EFLAGS (SDM vol. 1, 3.4.3) --------------------------------------- */
#define EFL_CF          0x001
#define EFL_RSVD1       0x002   /* always 1 */
#define EFL_TF          0x100
#define EFL_IF          0x200
#define EFL_DF          0x400
#define EFL_IOPL        0x3000
#define EFL_NT          0x4000
#define EFL_VM          0x20000
#define EFL_AC          0x40000
#define EFL_USER        0x0CD5  /* what an app may set: the arithmetic flags and DF */
/* Never returned to an interrupted context: privilege (IOPL), a task
 * return on the next IRET (NT), virtual-8086 mode (VM).  Both event
 * deliveries clear them before they resume anything (docs/DESIGN.md §3). */
#define EFL_BAD         (EFL_IOPL | EFL_NT | EFL_VM)

/* --- Event vectors --------------------------------------------------- */
#define VEC_IRQ0        32
#define VEC_NIRQ        16
#define VEC_YIELD       48      /* software event: a service that must wait */
#define VEC_UPCALL      49      /* software event with a ring-3 handler (tests, bench) */
#define VEC_TRAPBENCH   50      /* ring-0 null entry, like a kernel's int 0x80 */
#define VEC_FLUSHBENCH  51      /* ring-0: WBINVD + CR3 reload, for worst-case bench */
#define VEC_SWITCH      52      /* ring-0: CR3 = EAX, for the OS only (DS = DSOS) */
#define VEC_APIC_TIMER  53      /* the local APIC timer, where the PIT does not tick */
/* The APIC's spurious vector: bits 0-3 are fixed at 1 on P6 and Pentium
 * CPUs (SDM 10.9), so it is the last one; 54..62 are unused. */
#define VEC_APIC_SPURIOUS 63
#define NVEC            64

/* --- Upcalls ---------------------------------------------------------- */
#define HSTACK_SLICE    8192
#define HSTACK_DEPTH    6

/* --- Exit codes ---------------------------------------------------- */
#define KLOS_KILLED     137     /* ended by the kill service (128 + 9, as SIGKILL) */

/* --- Emulator exits --------------------------------------------------- */
#define QEMU_EXIT_PORT  0xF4
#define BOCHS_SHUTDOWN_PORT 0x8900

#endif
