; Ring-0 entries used only by the benchmarks, to compare with KLOS's ring-3
; service calls.  Each does what a real kernel entry does -- save the
; registers, load kernel data segments, call a (null) service, restore --
; so the comparison is fair.  They are part of the trusted code and counted.
; Only the bench module may reach them (os/bench/rights.c says how: its own
; IDT page, a call gate armed while it lives); SYSENTER is the exception.
bits 32
%include "klos.inc"
%include "entry.inc"

global ec_trapbench, ec_gatebench, ec_sysenterbench, ec_flushbench
global ec_sysenter_stack_top, ec_idt_bench
extern sysexit_tramp

section .text

%macro kernel_entry 0
    ec_save                     ; eventcore/entry.inc: the event core's own save
    call null_service
    ec_restore
%endmacro

null_service:
    xor eax, eax
    ret

ec_trapbench:                   ; int VEC_TRAPBENCH (DPL 3 in the bench's IDT only)
    kernel_entry
    iretd

ec_gatebench:                   ; lcall SEL_GATE_BENCH:0
    cli                         ; a call gate keeps IF=1 (an IRQ here: ec_common)
    kernel_entry
    sti                         ; RETF does not restore EFLAGS; STI's shadow covers it
    retf

; SYSENTER: the caller put its return EIP in EDX and its ESP in ECX.
; SYSEXIT loads a flat, readable CS and a flat 4 GiB SS from SYSENTER_CS+16
; and +24 without reading the GDT (SDM 4.3 "SYSEXIT"): an app left running
; on them could read the whole OS through SS.  So SYSEXIT never returns to
; the app: it returns to sysexit_tramp (os/bench/sysexit.asm), which reloads SS
; and CS from the GDT and then jumps to the app's EIP, passed in EAX.
; SYSENTER cleared IF and SYSEXIT does not restore it: STI first (its
; one-instruction shadow covers SYSEXIT).
ec_sysenterbench:
    kernel_entry
    mov eax, edx
    mov edx, sysexit_tramp
    sti
    sysexit

; int VEC_FLUSHBENCH: write back and invalidate the caches and flush the
; TLB, for the worst-case benchmark (both are privileged).
ec_flushbench:
    push eax
    wbinvd
    mov eax, cr3
    mov cr3, eax
    pop eax
    iretd

section .bss
alignb 16
resb 4096
ec_sysenter_stack_top:
alignb 4096
ec_idt_bench:  resb 4096        ; the bench process's IDT, at IDT_VA (boot.c, os/bench/rights.c)
