; Where the SYSENTER benchmark entry's SYSEXIT lands (eventcore/bench.asm).
; CS and SS are SYSEXIT's flat cached descriptors here: reload SS as DSAPP
; and CS as CSOS (through a far return, which reads the GDT) before any app
; code runs.  EAX holds the app's return EIP; ECX and EDX are clobbered, as
; by SYSENTER itself.
bits 32
%include "klos.inc"
global sysexit_tramp
section .text
sysexit_tramp:
    cld                         ; SYSENTER kept the app's DF; the ABI wants 0 after a call
    mov cx, SEL_DSAPP
    mov ss, cx
    push dword SEL_CSOS
    push eax
    xor eax, eax
    retf
