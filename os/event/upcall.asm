; Every ring-3 event handler returns here (the event core put this address
; under its argument).  The call gate is the only way back into ring 0.
bits 32
%include "klos.inc"
global upcall_ret
section .text
upcall_ret:
    call SEL_GATE:0
.never:
    jmp .never
