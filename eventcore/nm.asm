; events=task: the only ring-0 code left (boot/boot.c, setup_tasks).  Every
; task switch sets CR0.TS (SDM 7.3, step 12 "sets the TS flag"), so the first
; x87 instruction after one raises #NM (SDM 13.4); only CPL 0 can clear TS
; (CLTS, SDM 4.1 "CLTS").  #NM is the one vector with an interrupt gate: to
; this stub, in a code segment of its own whose base is the stub and whose
; limit ends with it, so ring 0 can execute nothing else.  The gate cleared
; IF, TF and NT; IRET puts them back.  Each TSS's ESP0 is a slot of
; ec_nm_stacks (an NMI taken here may switch to a task that takes #NM too).
bits 32
%include "klos.inc"
global ec_nm, ec_nm_end, ec_nm_stacks
section .text
ec_nm:
    clts
    iretd
ec_nm_end:

section .bss
alignb 16
ec_nm_stacks:  resb NM_STACK * (NVEC + 1)       ; slot NVEC: the app task's
