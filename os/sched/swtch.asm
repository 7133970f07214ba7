; The direct switch between two threads that both wait inside a service
; (sched.c: sched_block_to), at ring 3 like xv6's swtch: the callee-saved
; registers and FS/GS go on the old thread's stack, its ESP, SS and ES into
; from[0..2]; CR3 is loaded by the event core (int VEC_SWITCH) when the
; directory changes; then the new thread's stack is taken up where its own
; swtch left it.  No trap frame is copied, no upcall is made.
; ES is the thread's own: inside a service it is what its app called with
; (the stubs swap DS only, os/svc/stubs.inc), and each thread must return
; its own to its app -- never another's, which could be DSOS.  It is kept
; in from[2], not on the stack, so that a DSOS move can fix it (sec/dsos.c).
;   void swtch(uint32_t *from, uint32_t *to, uint32_t cr3)   cr3 0: same directory
;   void swtch_yield(uint32_t *from)   the same context, then the yield event
; A thread switched out here and resumed by the event path instead IRETs to
; swtch_resume with ESP, SS and ES from its context (sched.c: switch_to).
bits 32
%include "klos.inc"
global swtch, swtch_yield, swtch_resume
section .text
%macro save_ctx 0               ; EDX = from
    push ebp
    push ebx
    push esi
    push edi
    push gs
    push fs
    mov [edx], esp
    mov [edx + 4], ss
    mov [edx + 8], es
%endmacro

swtch_yield:
    mov edx, [esp + 4]
    save_ctx
    int VEC_YIELD               ; back here only if no switch was made
    mov dword [edx], 0
    jmp swtch_resume

swtch:
    mov eax, [esp + 12]
    mov ecx, [esp + 8]
    mov edx, [esp + 4]
    save_ctx
    test eax, eax
    jz .same
    int VEC_SWITCH
.same:
    mov ss, [ecx + 4]           ; blocks interrupts until after the next insn (SDM 6.8.3)
    mov esp, [ecx]
    mov es, [ecx + 8]
    mov dword [ecx], 0          ; the context is used up
swtch_resume:
    pop fs
    pop gs
    pop edi
    pop esi
    pop ebx
    pop ebp
    ret
