/* The app side of the fault protocol (include/klos_fault.h): one entry
 * registered with the OS, and a chain of up to KLOS_FAULT_MAX C handlers. */
#include "user.h"

static int (*chain[KLOS_FAULT_MAX])(struct klos_fault *);
static int nchain;

/* The OS jumps here with [ESP] = 0 (fake return address) and [ESP+4] = f,
 * exactly a cdecl call of fault_entry(f).  Never returns. */
static void KLOS_NORETURN __attribute__((used)) fault_entry(struct klos_fault *f)
{
    for (int i = nchain - 1; i >= 0; i--) {
        if (chain[i](f)) {
            KLOS_SVC(exc_return, &f->ctx);
            dprintf(2, "pid %d: exc_return refused the context\n", getpid());
            exit(128 + (int)f->vec);
        }
    }
    dprintf(2, "pid %d: unhandled fault vec %u err %x cr2 %x eip %x esp %x\n", getpid(),
            (unsigned)f->vec, (unsigned)f->err, (unsigned)f->cr2, (unsigned)f->ctx.eip,
            (unsigned)f->ctx.esp);
    exit(128 + (int)f->vec);
}

int klos_site(uint32_t eip)
{
    extern const uint32_t __klos_sites[], __klos_sites_end[];
    for (const uint32_t *s = __klos_sites; s < __klos_sites_end; s += 2)
        if (s[0] == eip)
            return (int)s[1];
    return -1;
}

int klos_on_fault(int (*fn)(struct klos_fault *f))
{
    if (!fn || nchain == KLOS_FAULT_MAX)
        return -1;
    if (nchain == 0 && KLOS_SVC(exc_register, (void *)fault_entry) < 0)
        return -1;
    chain[nchain++] = fn;
    return 0;
}
