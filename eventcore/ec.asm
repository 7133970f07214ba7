; The event core: the only ring-0 code that runs after boot (docs/DESIGN.md §3).
; Every vector's stub (build/gen/vectors.asm) pushes a uniform frame and
; jumps here.  TSS.esp0 points at the top of this depth's handler-stack
; slice (OS memory), so the CPU and the stub build the frame right there;
; we IRET up to the ring-3 handler the OS registered, on the same slice just
; below the frame, with a pointer to it: the handler edits the live frame in
; place (no copy up, none back).  It comes back through the call gate; then:
; sanitise, optional CR3 load, EOI, IRET from the slice.
;
; Trust (in-place editing): the slices are OS memory, writable at CPL 3 only
; through DSOS; apps cannot reach them (DSAPP), and while a handler runs no
; app runs (IF=0, one CPU).  The ring-3 OS is trusted anyway -- it writes
; page tables and the GDT/LDT -- so letting it write the frame ring 0 will
; IRET from adds nothing it could not already do.  What ring 0 still keeps
; to itself, to stay correct whatever the handler wrote: where the frame is
; and the depth (ec_slot, ec_depth: never read from the slice), the vector
; that decides the EOI (ec_vec), TSS.esp0 (ec_esp0), and before IRET it
; forces RPL 3 on CS and SS, clears IOPL, NT and VM, and sets IF (clears it
; when returning into an outer handler).
bits 32
%include "klos.inc"
%include "entry.inc"
%include "pic_eoi.inc"

extern ecshared, ec_hstacks, ec_gatebench
global ec_common, ec_gate, ec_stack_top, ec_switch

TSS_ESP0 equ TSS_VA + 4

section .text

ec_common:
    ec_save
    cld
    mov eax, cr2                                ; ring 3 cannot read CR2 itself
    mov [esp + TF_CR2], eax
    test byte [esp + TF_CS], 3
    jz ring0_event                              ; an event raised in ring 0
from_ring3:
    mov eax, [ec_depth]
    cmp esp, [ec_slot + eax*4]                  ; did the frame land in this depth's slot?
    jne frame_elsewhere
upcall:
    mov ecx, [esp + TF_VEC]
    mov ebx, [ecshared + ES_HANDLER + ecx*4]
    test ebx, ebx
    jz panic_nohandler
    mov [ec_vec + eax*4], ecx                   ; the vector stays ring 0's: it decides the EOI
    inc eax
    mov [ec_depth], eax
    mov edx, [ec_esp0 + eax*4]                  ; a nested event, or the gate, lands in
    mov [TSS_ESP0], edx                         ; the next slot, below this frame
    mov edx, [ecshared + ES_UPCALL_RET]
    mov [esp - 4], esp                          ; the handler's argument: the live frame
    mov [esp - 8], edx                          ; its return address
    lea ecx, [esp - 8]                          ; the handler's ESP; the IRET frame goes
    mov eax, [ecshared + ES_DSOS]               ; below it (its stack reuses that space)
    mov [esp - 12], eax                         ; SS
    mov [esp - 16], ecx                         ; ESP
    mov dword [esp - 20], 0x002                 ; EFLAGS: IF=0, IOPL=0
    mov dword [esp - 24], SEL_CSOS              ; CS
    mov [esp - 28], ebx                         ; EIP
    lea esp, [esp - 28]
    mov ds, ax                                  ; FS and GS keep the interrupted values:
    mov es, ax                                  ; OS code never uses them
    iretd

; The slow path: the frame is not in this depth's slot -- the first event
; after boot (TSS.esp0 was the boot stack), or one nested too deep (the last
; level's esp0 is the ring-0 stack).  Copy it to the slot once and go on.
frame_elsewhere:
    cmp eax, HSTACK_DEPTH
    jae panic_depth
    mov edi, [ec_slot + eax*4]
    mov esi, esp
    mov ecx, TF_WORDS
    rep movsd
    mov esp, [ec_slot + eax*4]
    jmp upcall

; The ring-3 handler returns here with lcall SEL_GATE:0.  The gate switched
; to TSS.esp0 (the next slot) and pushed the caller's SS, ESP, CS, EIP.
ec_gate:
    cli                                         ; a stray call from an app arrives with IF=1
    mov ax, SEL_KDATA
    mov ds, ax
    mov es, ax
    mov eax, [ec_depth]
    test eax, eax
    jz .stray                                   ; no upcall under way: an app called the gate
    dec eax
    mov [ec_depth], eax
    mov esp, [ec_slot + eax*4]                  ; the live frame, where ring 0 says it is
    mov ecx, [ec_esp0 + eax*4]
    mov [TSS_ESP0], ecx
    mov ecx, [ec_vec + eax*4]
    jnz .nested                                 ; (flags from dec) back into an outer handler
    ; Nothing edited at ring 3 may return into ring 0 or raise IOPL (SDM 5.8.5, 16.5).
    or dword [esp + TF_CS], 3
    or dword [esp + TF_SS], 3
    and dword [esp + TF_EFLAGS], ~EFL_BAD
    or dword [esp + TF_EFLAGS], EFL_IF
    mov edx, [ecshared + ES_REQ_CR3]            ; step 5: process switch / TLB flush
    test edx, edx
    jnz .cr3
.eoi:
    pic_eoi ecx
.out:
    ec_restore
    add esp, 8
    iretd
.cr3:
    mov dword [ecshared + ES_REQ_CR3], 0
    and edx, ~0xFFF
    mov cr3, edx
    jmp .eoi
.nested:                                        ; the same, and IF stays 0
    or dword [esp + TF_CS], 3
    or dword [esp + TF_SS], 3
    and dword [esp + TF_EFLAGS], ~(EFL_BAD | EFL_IF)
    jmp .eoi
.stray:
    sti                         ; RETF does not restore IF; STI's shadow covers it
    retf                        ; back to the caller; DS/ES come back null (SDM 5.8.6)

; int VEC_SWITCH: the ring-3 scheduler's direct process switch (sched.c,
; swtch.asm) asks for CR3 = EAX -- the paper's step 5 without an upcall.
; Only the OS may: its DS holds the DSOS selector in use, which an app
; cannot name (an app that could already writes the page tables).  Anyone
; else gets nothing done and every register back (the OS: EAX is lost).  An interrupt gate: IF
; and TF are 0 here, IRET restores them.  The frame is on TSS.esp0 (the
; first slice's top: no event is under way in a service).
ec_switch:
    push edx
    xor edx, edx
    mov dx, ds
    cmp edx, [ss:ecshared + ES_DSOS]            ; SS is ring 0's flat data here
    jne .refuse
    and eax, ~0xFFF
    mov cr3, eax
.refuse:
    pop edx
    iretd

; An event in ring 0 is a bug -- except an IRQ taken on the first instruction
; of a call-gate entry (ec_gate, ec_gatebench): a call gate leaves IF=1, so an
; IRQ can arrive before its CLI.  Make it the same IRQ taken in ring 3 just
; after the app's lcall (the call itself is skipped): the gate's EIP, CS, ESP,
; SS and the IRQ's EFLAGS form the ring-3 frame, 8 bytes higher than this one.
ring0_event:
    cmp dword [esp + TF_VEC], 1
    je .single_step
    cmp dword [esp + TF_EIP], ec_gatebench
    je .gate
    cmp dword [esp + TF_EIP], ec_gate
    jne panic_ring0
.gate:
    mov eax, [esp + TF_VEC]
    sub eax, VEC_IRQ0
    cmp eax, VEC_NIRQ
    jae panic_ring0
    mov eax, [esp + TF_EFLAGS]
    mov ebx, [esp + TF_EFLAGS + 4]              ; the gate's EIP
    mov ecx, [esp + TF_EFLAGS + 8]              ; the gate's CS
    mov [esp + TF_EFLAGS + 8], eax              ; EFLAGS
    mov [esp + TF_EFLAGS + 4], ecx              ; CS
    mov [esp + TF_EFLAGS], ebx                  ; EIP
    lea esi, [esp + TF_EIP - 4]                 ; move the words below EIP up by 8
    lea edi, [esp + TF_EIP + 4]
    mov ecx, TF_EIP / 4
    std
    rep movsd
    cld
    add esp, 8
    jmp from_ring3
; Call gates and SYSENTER keep EFLAGS.TF, so an app that sets it gets a
; single-step #DB on the first ring-0 instruction: turn TF off and go on.
.single_step:
    and dword [esp + TF_EFLAGS], ~EFL_TF
    jmp ec_gate.out

; ---- panics: say why on COM1 and halt, never a triple fault ----
panic_ring0:
    mov esi, msg_ring0
    jmp panic
panic_nohandler:
    mov esi, msg_nohandler
    jmp panic
panic_depth:
    mov esi, msg_depth
%macro panic_field 2                            ; " name=" and the frame's word at %2
    mov esi, %1
    call ec_panic_puts
    mov eax, [esp + %2]
    call puthex
%endmacro
panic:
    call ec_panic_puts
    panic_field msg_vec, TF_VEC
    panic_field msg_err, TF_ERR
    panic_field msg_eip, TF_EIP
    panic_field msg_cs, TF_CS
    mov esi, msg_nl
    call ec_panic_puts
    cmp dword [ecshared + ES_PANIC_EXIT], 0
    je .halt
    mov dx, 0x3FD                               ; let the UART drain (LSR.TEMT)
.drain:
    in al, dx
    test al, 0x40
    jz .drain
    mov dx, QEMU_EXIT_PORT
    mov al, 3
    out dx, al
    mov esi, msg_shutdown
    mov dx, BOCHS_SHUTDOWN_PORT
.sd:
    lodsb
    test al, al
    jz .halt
    out dx, al
    jmp .sd
.halt:
    cli
    hlt
    jmp .halt

; ec_panic_puts: ESI = NUL-terminated string -> COM1 (polled; boot set 8N1)
ec_panic_puts:
    push eax
    push edx
.next:
    mov dx, 0x3FD
.wait:
    in al, dx
    test al, 0x20
    jz .wait
    lodsb
    test al, al
    jz .done
    mov dx, 0x3F8
    out dx, al
    jmp .next
.done:
    pop edx
    pop eax
    ret

puthex:                                         ; EAX -> 8 hex digits
    push esi
    mov ecx, 8
    mov esi, hexbuf
.d: rol eax, 4
    mov edx, eax
    and edx, 15
    mov dl, [hexdig + edx]
    mov [esi], dl
    inc esi
    loop .d
    mov esi, hexbuf
    call ec_panic_puts
    pop esi
    ret

section .rodata
msg_ring0:     db 10, "EVENTCORE PANIC: fault in ring 0", 0
msg_nohandler: db 10, "EVENTCORE PANIC: no ring-3 handler registered", 0
msg_depth:     db 10, "EVENTCORE PANIC: events nested too deep", 0
msg_vec:       db " vector=", 0
msg_err:       db " err=", 0
msg_eip:       db " eip=", 0
msg_cs:        db " cs=", 0
msg_nl:        db 10, 0
msg_shutdown:  db "Shutdown", 0
hexdig:        db "0123456789abcdef"

section .data
hexbuf:        db "00000000", 0
alignb 4
; Where depth d's frame lies (the top of slice d), and TSS.esp0 while d
; handlers run: the top of slice d, or the ring-0 stack when all are in use.
ec_slot:
%assign d 0
%rep HSTACK_DEPTH
               dd ec_hstacks + d * HSTACK_SLICE + EC_FRAME_OFF
%assign d d + 1
%endrep
               dd 0                             ; none at depth HSTACK_DEPTH: the slow path
ec_esp0:
%assign d 0
%rep HSTACK_DEPTH
               dd ec_hstacks + (d + 1) * HSTACK_SLICE
%assign d d + 1
%endrep
               dd ec_stack_top

section .bss
alignb 4
ec_depth:      resd 1
ec_vec:        resd HSTACK_DEPTH               ; each depth's vector, ring 0's own copy
alignb 16
ec_stack:      resb 16384                       ; the ring-0 stack (TSS.esp0)
ec_stack_top:

section .bss
global ec_idt, ec_tss_page
alignb 4096
ec_tss_page:   resb 4096                        ; mapped at TSS_PAGE (U=0)
ec_idt:        resb 4096                        ; at IDT_VA, for all but the bench (boot.c)
