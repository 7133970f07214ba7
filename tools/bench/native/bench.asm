; Timed loops of the native harness (tools/bench/native/klos_native.c).
; After a KLOS stub returns, DS = DSAPP (limit 0xBFFFFFFF) -- ES is Linux's
; still (the stubs swap DS only), but DSAPP after the paper's Design B --
; and after a hardened stub SS is DSAPP too, while Linux put our stack and
; libc's mappings above 0xC0000000.  So the loops run on bench_stack (in
; .bss, below the limit), touch only .data/.bss, and bench_run puts back
; Linux's DS, ES, SS, ESP and CS before any C code runs again.
bits 32
%include "klos.inc"
%include "svc_nums.inc"

; A fixed pseudo-random order of null0..null49 (Python random.Random(2004)).
%define PERM 17,31,7,16,32,35,40,46,24,21,15,26,4,48,36,30,29,44,34,22, \
             12,11,3,18,14,20,43,1,37,19,5,27,45,25,2,41,8,10,28,9, \
             47,49,39,42,6,23,13,38,0,33

%assign i 0
%rep 50
extern sys_null%[i], svcB_null%[i], svcH_null%[i]
%assign i i+1
%endrep
extern sys_null, svcB_null, svcH_null, svcA_entry, svcBp_null

global bench_run, bench_csos_sel, bench_vsyscall, bench_code_start, bench_code_end
global probe_ds_read, probe_cs_read, add_chain
global body_empty, body_near, body_designB, body_designBp, body_designBh, body_designA
global body_trap, body_sysenter
global body_avg_near, body_avg_designB, body_avg_designBh, body_avg_designA
global body_avg_trap, body_avg_sysenter

SYS_getppid equ 64

section .bss
align 16
            resb 65536
bench_stack:
b_esp:      resd 1
b_lo:       resd 1
b_hi:       resd 1
b_ds:       resw 1
b_es:       resw 1
b_ss:       resw 1

section .data
bench_vsyscall: dd 0            ; __kernel_vsyscall, from AT_SYSINFO
csos_far:   dd bench_go
bench_csos_sel: dw 0            ; CSOS's LDT selector, set by the harness
flat_far:   dd bench_back
flat_cs:    dw 0

section .text
bench_code_start:

; uint64_t bench_run(void (*body)(void), uint32_t iters, int csos)
; TSC ticks for body with EBX = iters.  The timed window is
; lfence; rdtsc; lfence ... lfence; rdtsc.
bench_run:
        push ebp
        push ebx
        push esi
        push edi
        mov ebp, [esp+20]
        mov ebx, [esp+24]
        mov ecx, [esp+28]
        mov dword [csos_far], bench_go
        mov dword [flat_far], bench_back
        mov [b_esp], esp
        mov [b_ds], ds
        mov [b_es], es
        mov [b_ss], ss
        mov [flat_cs], cs
        mov esp, bench_stack
        test ecx, ecx
        jz bench_go
        jmp far [csos_far]
bench_go:
        lfence
        rdtsc
        lfence
        mov esi, eax
        mov edi, edx
        call ebp
        lfence
        rdtsc
        sub eax, esi
        sbb edx, edi
        mov [b_lo], eax         ; DS may be DSAPP: .bss is below its limit
        mov [b_hi], edx
        mov ds, [b_ds]
        mov es, [b_es]
        mov ss, [b_ss]
        mov esp, [b_esp]        ; MOV SS holds off interrupts until after this
        jmp far [flat_far]
bench_back:
        mov eax, [b_lo]
        mov edx, [b_hi]
        pop edi
        pop esi
        pop ebx
        pop ebp
        ret

; uint64_t add_chain(uint32_t iters): TSC ticks for iters x 100 dependent
; ADDs (one per core cycle), to calibrate core cycles per TSC tick.
align 64
add_chain:
        push ebx
        push esi
        push edi
        mov ebx, [esp+16]
        xor ecx, ecx
        lfence
        rdtsc
        lfence
        mov esi, eax
        mov edi, edx
.l:
%rep 100
        add ecx, 1
%endrep
        dec ebx
        jnz .l
        lfence
        rdtsc
        sub eax, esi
        sbb edx, edi
        pop edi
        pop esi
        pop ebx
        ret

; int probe_ds_read(int sel, const int *p): read *p through DS = sel
probe_ds_read:
        mov ecx, [esp+8]
        mov edx, [esp+4]
        push ds
        mov ds, dx
        mov eax, [ecx]
        pop ds
        ret

; int probe_cs_read(const int *p): read *p through CS while CS = CSOS
probe_cs_read:
        mov ecx, [esp+4]
        mov [flat_cs], cs
        mov dword [csos_far], .in
        mov dword [flat_far], .out
        jmp far [csos_far]
.in:    mov eax, [cs:ecx]
        jmp far [flat_far]
.out:   ret

; Bodies: EBX = iterations; EBX, ESI, EDI, EBP are left alone by all.
align 64
body_empty:
.l:     dec ebx
        jnz .l
        ret

%macro BODY 2           ; name, one call
align 64
body_%1:
.l:     %2
        dec ebx
        jnz .l
        ret
%endmacro

%macro CALLA 1
        push 0
        push 0
        push 0
        push 0
        push %1
        call svcA_entry
        add esp, 20
%endmacro

%macro GETPPID_INT 0
        mov eax, SYS_getppid
        int 0x80
%endmacro

%macro GETPPID_VDSO 0
        mov eax, SYS_getppid
        call [bench_vsyscall]
%endmacro

BODY near, {call sys_null}
BODY designB, {call svcB_null}
BODY designBp, {call svcBp_null}        ; the paper's four loads, the null service only
BODY designBh, {call svcH_null}
BODY designA, {CALLA SVC_null}
BODY trap, GETPPID_INT
BODY sysenter, GETPPID_VDSO

; Average case: one round is 50 calls in PERM order, each from its own site.
%macro AVG 2-*          ; name, then the numbers
align 64
body_avg_%1:
.l:
%xdefine WHAT %1
%rotate 1
%rep %0 - 1
%ifidn WHAT, near
        call sys_null%1
%elifidn WHAT, designB
        call svcB_null%1
%elifidn WHAT, designBh
        call svcH_null%1
%elifidn WHAT, designA
        CALLA SVC_null%1
%elifidn WHAT, trap
        GETPPID_INT
%else
        GETPPID_VDSO
%endif
%rotate 1
%endrep
        dec ebx
        jnz .l
        ret
%endmacro

AVG near, PERM
AVG designB, PERM
AVG designBh, PERM
AVG designA, PERM
AVG trap, PERM
AVG sysenter, PERM

bench_code_end:

section .note.GNU-stack noalloc noexec nowrite progbits
