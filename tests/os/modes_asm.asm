; Test code for the boot tests (tests/os/modes.c).  Each faulting
; instruction is preceded by "mov esi, resume": the test's fault fixup
; resumes there.
bits 32
%include "klos.inc"
global regloop, nested_faults, probe_run, probe_back, es_stosd, with_es
extern probe_saved_esp

section .text

; int regloop(volatile uint32_t *ticks, uint32_t until): spin with known
; values in every register until *ticks reaches until; return 0 when all of
; them (and DS/ES/FS/GS) come out unchanged.
regloop:
    push ebx
    push esi
    push edi
    push ebp
    mov edx, [esp + 20]
    mov eax, [esp + 24]
    push eax
    mov ebx, 0x11111111
    mov ecx, 0x22222222
    mov esi, 0x33333333
    mov edi, 0x44444444
    mov ebp, 0x55555555
.spin:
    mov eax, [edx]
    cmp eax, [esp]
    jb .spin
    pop eax
    xor eax, eax
    cmp ebx, 0x11111111
    setne al
    cmp ecx, 0x22222222
    setne ah
    or al, ah
    cmp esi, 0x33333333
    setne ah
    or al, ah
    cmp edi, 0x44444444
    setne ah
    or al, ah
    cmp ebp, 0x55555555
    setne ah
    or al, ah
    mov cx, ds
    mov bx, ss
    cmp cx, bx
    setne ah
    or al, ah
    movzx eax, al
    pop ebp
    pop edi
    pop esi
    pop ebx
    ret

; Called inside a ring-3 event handler: raise a #PF and a #GP there.
nested_faults:
    push esi
    mov esi, .r1
    mov eax, [0x0DEAD000]                   ; unmapped
.r1:
    mov esi, .r2
    hlt                                     ; privileged at CPL 3 (CLI is not, at IOPL 3: events=task)
.r2:
    pop esi
    ret

; void probe_run(void): run as an app would -- CS=CSOS, DS=ES=SS=DSAPP --
; and try what an app must not.  Ends with int VEC_UPCALL, whose test
; handler puts the OS context back and resumes at probe_back.
probe_run:
    pushad
    mov [probe_saved_esp], esp
    mov ax, SEL_DSAPP
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov esp, APP_STACK_TOP
    mov esi, .r1
    mov eax, [KERNEL_BASE]                  ; below DSAPP (expand-down)
.r1:
    mov esi, .r2
    mov eax, [cs:probe_run]                 ; CSOS is execute-only
.r2:
    mov esi, .r3
    in al, 0x60                             ; no port for apps
.r3:
    xor esi, esi
    int VEC_UPCALL
.never:
    jmp .never
probe_back:
    popad
    ret

; void es_stosd(uint32_t *target): what a service is, since the stubs swap DS
; only -- DS = DSOS, ES = DSAPP as the app left it -- and one string
; instruction at an OS address: DSAPP is expand-down (offsets below
; 0x80000000 are outside it), so a PC and Bochs raise #GP; QEMU's TCG checks
; no segment limit and writes.
es_stosd:
    push edi
    push esi
    push es
    mov edi, [esp + 16]
    mov ax, SEL_DSAPP
    mov es, ax
    mov eax, 0x5A5A5A5A
    mov esi, .r1
    stosd
.r1:
    pop es
    pop esi
    pop edi
    ret

; uint32_t with_es(uint32_t sel, void (*fn)(void)): fn() with ES = sel (as a
; service runs with the app's ES); returns ES as fn left it.
with_es:
    push es
    mov eax, [esp + 8]
    mov es, ax
    call [esp + 12]
    mov eax, es
    movzx eax, ax
    pop es
    ret
