/* App address spaces.  Every directory shares the OS's page tables (created
 * at boot, so the entries copied here never go stale): the OS part of the
 * code region below APP_TEXT_BASE and the OS data region, except the window
 * table at OS_WINDOW, which is per process: it maps the TSS page and this
 * process's own two I/O-bitmap pages, so loading CR3 switches I/O rights.
 * The app owns the rest: its text from APP_TEXT_BASE to the end of the code
 * region, its data region from APP_DATA_BASE up. */
#include "os.h"
#include "mm/vm.h"
#include "mm/frame.h"
#include "mm/uvm.h"

#define PTE_SHARED 0x200            /* an AVL bit: frame belongs to a shared region */

static int app_pde(uint32_t i)
{
    return (i >= PDX(APP_TEXT_BASE) && i < PDX(CODE_END)) || i >= PDX(APP_DATA_BASE);
}

/* [va, va+len) lies wholly in the app's part of one region. */
int uvm_app_range(uint32_t va, uint32_t len)
{
    uint64_t end = (uint64_t)va + len;
    return (va >= APP_TEXT_BASE && end <= CODE_END) ||
           (va >= APP_DATA_BASE && end <= 0x100000000ull);
}

pde_t *uvm_create(uint32_t *pd_pa, uint32_t iomap_pa[2])
{
    uint32_t pa = frame_alloc(), win = frame_alloc();
    iomap_pa[0] = frame_alloc();
    iomap_pa[1] = frame_alloc();
    if (!pa || !win || !iomap_pa[0] || !iomap_pa[1]) {
        uint32_t f[4] = { pa, win, iomap_pa[0], iomap_pa[1] };
        for (int i = 0; i < 4; i++)
            if (f[i])
                frame_free(f[i]);
        return 0;
    }
    pde_t *pd = P2V(pa), *kpd = vm_kernel();
    for (uint32_t i = 0; i < 1024; i++)
        if (!app_pde(i))
            pd[i] = kpd[i];
    uint32_t *w = P2V(win), *kw = P2V(PTE_ADDR(kpd[PDX(OS_WINDOW)]));
    w[PTX(TSS_PAGE)] = kw[PTX(TSS_PAGE)];
    w[PTX(IOBITMAP_END_VA)] = kw[PTX(IOBITMAP_END_VA)];
    w[PTX(IDT_VA)] = kw[PTX(IDT_VA)];
    w[PTX(IOBITMAP_VA)] = iomap_pa[0] | PTE_P | PTE_W | PTE_U;
    w[PTX(IOBITMAP_VA + 4096)] = iomap_pa[1] | PTE_P | PTE_W | PTE_U;
    memset(P2V(iomap_pa[0]), 0xFF, 4096);
    memset(P2V(iomap_pa[1]), 0xFF, 4096);
    pd[PDX(OS_WINDOW)] = win | PTE_P | PTE_W | PTE_U;
    *pd_pa = pa;
    return pd;
}

/* Point one page of a directory's window (OS_WINDOW) at another frame; the
 * directory must not be the loaded one (no CR3 reload here). */
void uvm_window_map(pde_t *pd, uint32_t va, uint32_t pte)
{
    ((uint32_t *)P2V(PTE_ADDR(pd[PDX(OS_WINDOW)])))[PTX(va)] = pte;
}

/* Map fresh zeroed pages over [va, va+len). */
int uvm_alloc(pde_t *pd, uint32_t va, uint32_t len)
{
    for (uint32_t p = va & ~0xFFFu; p < va + len; p += 4096) {
        if (vm_lookup(pd, p))
            continue;
        uint32_t f = frame_alloc();
        if (!f || vm_map(pd, p, f, PTE_W | PTE_U) < 0) {
            if (f)
                frame_free(f);
            return -1;
        }
    }
    return 0;
}

int uvm_map_shared(pde_t *pd, uint32_t va, uint32_t pa)
{
    return vm_map(pd, va, pa, PTE_W | PTE_U | PTE_SHARED);
}

/* Make [va, va+len) read-only for the app (the OS writes through the direct map). */
void uvm_protect(pde_t *pd, uint32_t va, uint32_t len)
{
    for (uint32_t p = va & ~0xFFFu; p < va + len; p += 4096) {
        pde_t e = pd[PDX(p)];
        if (e & PTE_P)
            ((uint32_t *)P2V(PTE_ADDR(e)))[PTX(p)] &= ~PTE_W;
    }
}

/* Unmap [va, va+len) and free the frames that are not shared.  Only ever
 * app addresses: the OS region's tables are shared by every process. */
void uvm_dealloc(pde_t *pd, uint32_t va, uint32_t len)
{
    if (!uvm_app_range(va, len))
        return;
    for (uint32_t p = va & ~0xFFFu; p < va + len; p += 4096) {
        pde_t e = pd[PDX(p)];
        if (!(e & PTE_P))
            continue;
        uint32_t *pte = &((uint32_t *)P2V(PTE_ADDR(e)))[PTX(p)];
        if ((*pte & PTE_P) && !(*pte & PTE_SHARED))
            frame_free(PTE_ADDR(*pte));
        *pte = 0;
    }
}

/* Free everything the directory owns; it must not be the loaded one. */
void uvm_free(pde_t *pd, uint32_t pd_pa, uint32_t iomap_pa[2])
{
    for (uint32_t i = 0; i < 1024; i++) {
        if (!app_pde(i) || !(pd[i] & PTE_P))
            continue;
        uint32_t *pt = P2V(PTE_ADDR(pd[i]));
        for (int j = 0; j < 1024; j++)
            if ((pt[j] & PTE_P) && !(pt[j] & PTE_SHARED))
                frame_free(PTE_ADDR(pt[j]));
        frame_free(PTE_ADDR(pd[i]));
    }
    frame_free(PTE_ADDR(pd[PDX(OS_WINDOW)]));
    frame_free(iomap_pa[0]);
    frame_free(iomap_pa[1]);
    frame_free(pd_pa);
}

/* Take plain Design B and Design A away from this address space: both run
 * the service on the app's stack, which another thread (or a process
 * sharing memory) could rewrite under it (docs/DESIGN.md §5.3).  Their pages
 * share one directory entry, so one write does it; the hardened stubs stay.
 * The caller makes the CPU drop stale TLB entries before another thread of
 * this directory runs. */
void uvm_restrict_stubs(pde_t *pd)
{
    pd[SVC_PLAIN_PDE] = 0;
}

/* Copy between OS memory and an app's address space, page by page through
 * the direct map.  Fails (-1) on any page the app itself could not access
 * the same way: not present, supervisor-only, or (to the app) read-only. */
int uvm_copy(pde_t *pd, uint32_t va, void *buf, uint32_t len, int to_app)
{
    uint8_t *b = buf;
    while (len) {
        uint32_t pte = vm_lookup(pd, va);
        if (!pte || !(pte & PTE_U) || (to_app && !(pte & PTE_W)))
            return -1;
        uint32_t off = va & 0xFFF, n = 4096 - off;
        if (n > len)
            n = len;
        uint8_t *p = (uint8_t *)P2V(PTE_ADDR(pte)) + off;
        if (to_app)
            memcpy(p, b, n);
        else
            memcpy(b, p, n);
        va += n;
        b += n;
        len -= n;
    }
    return 0;
}
