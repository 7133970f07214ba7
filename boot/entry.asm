; Multiboot entry.  GRUB leaves us in 32-bit protected mode, paging off, at
; the image's physical address, which is where boot code is linked (the code
; region is VMA = phys).  Map the first 16 MiB both at 0 and at KERNEL_BASE
; (where the OS's data is linked) with a throw-away page directory, then
; call boot_main.
bits 32
%include "klos.inc"

; Flags: page-align modules, give memory info, and (bit 2) video: a UEFI PC
; has no VGA text mode, so the loader may set up a linear framebuffer and
; describe it (info flag bit 12).  The preferred mode follows the five
; address fields, which only an a.out kernel uses (flag bit 16): mode_type 0
; (linear graphics), 1024x768, 32 bits per pixel.  grub.cfg's gfxpayload
; decides what GRUB does with it (tools/mkiso.sh): text where the firmware
; has text mode, the firmware's own mode on UEFI.
MB_FLAGS equ 1 | 2 | 4
section .multiboot
align 4
    dd 0x1BADB002, MB_FLAGS, -(0x1BADB002 + MB_FLAGS)
    dd 0, 0, 0, 0, 0                        ; header, load, load_end, bss_end, entry
    dd 0, 1024, 768, 32                     ; mode_type, width, height, depth

section .text
global _start
extern boot_main

_start:
    cld                                     ; multiboot leaves DF undefined; C assumes 0
    mov esi, eax                            ; multiboot magic; EBX = mbi
    mov esp, early_stack_top
    mov edi, early_pt         ; 4 tables: 16 MiB, present+writable
    mov eax, 0x003
    mov ecx, 4096
.pte:
    mov [edi], eax
    add eax, 4096
    add edi, 4
    loop .pte
    mov edi, early_pd
    mov eax, early_pt + 3
    mov ecx, 4
    xor edx, edx
.pde:
    mov [edi + edx*4], eax
    mov [edi + edx*4 + (KERNEL_BASE >> 20)], eax
    add eax, 4096
    inc edx
    loop .pde
    mov eax, early_pd
    mov cr3, eax
    mov eax, cr0
    or eax, 0x80000000
    mov cr0, eax
    push ebx
    push esi
    call boot_main                          ; does not return
.halt:
    cli
    hlt
    jmp .halt

section .bss
align 4096
early_pd:   resb 4096
early_pt:   resb 4 * 4096
            resb 8192
early_stack_top:
