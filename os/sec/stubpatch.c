/* The service stubs carry the DSOS selector as an immediate inside
 * execute-only code, where an app cannot read it.  The generator recorded
 * where each immediate lies; the OS rewrites them through the direct map
 * (the stubs' own pages are read-only) whenever DSOS moves.  Every patched
 * immediate must keep the stubs sealed: a selector whose bytes would form
 * LAR, LSL, VERR or VERW with their neighbours is refused (os/proc/seal.c). */
#include "os.h"
#include "ecshared.h"
#include "mm/vm.h"
#include "proc/seal.h"

extern uint32_t svc_patch_dsos[], svc_patch_dsos_count;
/* each immediate in the direct map: B and H per service, the Design A
 * trampoline and the paper's Design B (tools/gensvc.py) */
static uint8_t *alias[2 * SVC_MAX + 2];

/* A forbidden sequence that uses a patched byte starts at most two bytes
 * before it and ends at most two after the immediate. */
static int clean(const uint8_t *imm)
{
    return seal_find(imm - 2, 6, 0) < 0;
}

/* 0, or -1 if dsos would unseal a stub (then nothing was written). */
int svc_patch(uint16_t dsos)
{
    uint8_t lo = dsos & 0xFF, hi = dsos >> 8;
    for (uint32_t i = 0; i < svc_patch_dsos_count; i++) {
        uint8_t w[6] = { alias[i][-2], alias[i][-1], lo, hi, alias[i][2], alias[i][3] };
        if (!clean(w + 2))                      /* the new bytes, before any is written */
            return -1;
    }
    for (uint32_t i = 0; i < svc_patch_dsos_count; i++) {
        alias[i][0] = lo;
        alias[i][1] = hi;
        if (!clean(alias[i])) {
            kprintf("KLOS PANIC: stub at %08x unsealed by a patch\n", svc_patch_dsos[i]);
            os_halt(2);
        }
    }
    return 0;
}

void svc_init(void)
{
    if (svc_patch_dsos_count > sizeof alias / sizeof alias[0]) {
        kprintf("KLOS PANIC: %u DSOS immediates in the stubs, room for %u\n",
                svc_patch_dsos_count, (uint32_t)(sizeof alias / sizeof alias[0]));
        os_halt(2);
    }
    for (uint32_t i = 0; i < svc_patch_dsos_count; i++) {
        uint32_t va = svc_patch_dsos[i];
        alias[i] = (uint8_t *)P2V(PTE_ADDR(vm_lookup(vm_kernel(), va))) + (va & 0xFFF);
    }
    if (svc_patch(ecshared.dsos) < 0) {
        kprintf("KLOS PANIC: the boot DSOS selector would unseal the stubs\n");
        os_halt(2);
    }
}
