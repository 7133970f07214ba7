; KLOS app entry.  The loader enters here at ring 3 with
;   [ESP]            argc
;   [ESP+4 ...]      argv[0] .. argv[argc-1], NULL   (strings lie above)
; and calls exit(main(argc, argv)).

bits 32
section .text.start progbits alloc exec nowrite align=16

global _start
extern main
extern exit
extern __bss_start
extern _end

_start:
        ; The loader maps .bss as zeroed pages; clear it anyway.
        cld
        mov     edi, __bss_start
        mov     ecx, _end
        sub     ecx, edi
        xor     eax, eax
        rep stosb

        mov     eax, [esp]              ; argc
        lea     edx, [esp + 4]          ; argv
        xor     ebp, ebp                ; end of the frame chain for debuggers
        and     esp, -16                ; 16-byte aligned at the call
        sub     esp, 8
        push    edx
        push    eax
        call    main
        add     esp, 16
        push    eax
        call    exit                    ; never returns
.hang:
        jmp     .hang
