; The idle context.  Ring 3 cannot HLT (it is privileged, SDM 4.1 "HLT") and
; no service may call down into ring 0 to do it, so idling is a spin at CPL 3
; with interrupts on.  Its DS is null, not DSOS, so the timer preempts it.
bits 32
global idle_loop
section .text
idle_loop:
    pause
    jmp idle_loop
