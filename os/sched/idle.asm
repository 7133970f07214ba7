; The idle context.  Ring 3 cannot HLT (it is privileged, SDM 4.1 "HLT") and
; no service may call down into ring 0 to do it, so idling is a spin at CPL 3
; with interrupts on.  Its DS is null, not DSOS, so the timer preempts it.
; ESI counts the loop's passes (3 instructions each): it lives in the idle
; context's saved frame while anyone else runs, and the idle_count service
; (os/bench/idle.c) reads it there, so a benchmark can take the time spent
; waiting for a disk out of a path length.
bits 32
global idle_loop, idle_loop_end
section .text
idle_loop:
    inc esi
    pause
    jmp idle_loop
idle_loop_end:
