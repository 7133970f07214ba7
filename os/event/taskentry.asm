; events=task: the handler tasks' common entry (os/event/taskev.c says how the
; mode works).  The CPU entered this task through a task gate at its
; vector's entry (build/gen/tev_vectors.asm), which pushed the vector below
; the error code on the task's entry stack.  The task runs at CPL 3 with
; what boot/ put in its TSS: CS=CSOS, DS=ES=SS=DSOS, IF=0, IOPL=3, DF=0, and
; NT=1, set by the CPU because the task is nested (SDM 7.4).
bits 32
%include "klos.inc"
%include "pic_eoi.inc"
extern tev_event, tev_too_deep, event_depth, ec_hstacks, tev_estacks, tev_entries
global tev_common, tev_resume

section .text
tev_common:
    cld                                         ; DF comes from the TSS: what the task last had
    pop ecx                                     ; vector
    pop edx                                     ; error code
    mov eax, [event_depth]
    cmp eax, HSTACK_DEPTH
    jae tev_deep
    imul eax, HSTACK_SLICE                      ; run below level d's frame, in slice d,
    lea esp, [ec_hstacks + eax + EC_FRAME_OFF]  ; as under the event core
    push edx
    push ecx
    call tev_event
; A handler that is done -- or abandoned by fault/fault.c, which points its
; saved EIP here -- sends the EOI of its IRQ and returns to the task it
; interrupted.  STR is unprivileged: the TSS selector says which vector.
tev_resume:
    str cx
    movzx ecx, cx
    sub ecx, SEL_TEV0
    shr ecx, 3                                  ; the vector
    mov edx, ecx
    pic_eoi edx
    imul esp, ecx, TEV_ESTACK                   ; the entry stack, empty again
    add esp, tev_estacks + TEV_ESTACK
    ; QEMU's TCG (7.2) saves this task's EFLAGS at a task-switching IRET from a
    ; stale lazy-flags state: with the ADD above it stored the ADD's operand
    ; ORed in (IF, AC, ID set in the TSS: the next event into this task found
    ; interrupts on).  POPF leaves the flags state exact and ends the
    ; translation block.  On a CPU it is two instructions for nothing.
    pushfd
    popfd
    iretd                                       ; NT=1: a task return (SDM 7.3)
    jmp [tev_entries + ecx*4]                   ; entered again: ECX, saved in this TSS, is the vector
tev_deep:
    mov esp, tev_deep_top
    push edx
    push ecx
    call tev_too_deep                           ; does not return

section .bss
alignb 16
    resb 2048
tev_deep_top:
