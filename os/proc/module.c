/* The GRUB modules: the programs the OS can start (spawn by name). */
#include "os.h"
#include "multiboot.h"
#include "proc/module.h"
#include "machine.h"

struct module modules[NMOD];
int nmodules;

void module_init(struct mb_info *mbi)
{
    if (!(mbi->flags & MBI_MODS))
        return;
    struct mb_module *m = P2V(mbi->mods_addr);
    for (uint32_t i = 0; i < mbi->mods_count && nmodules < NMOD; i++) {
        struct module *d = &modules[nmodules++];
        const char *s = m[i].string ? (const char *)P2V(m[i].string) : "";
        const char *base = s;
        for (const char *q = s; *q && *q != ' '; q++)     /* basename of the first word */
            if (*q == '/')
                base = q + 1;
        int n = 0;
        while (base[n] && base[n] != ' ' && n < (int)sizeof d->name - 1) {
            d->name[n] = base[n];
            n++;
        }
        d->name[n] = 0;
        d->start = m[i].start;
        d->end = m[i].end;
    }
}

struct module *module_find(const char *name)
{
    for (int i = 0; i < nmodules; i++)
        if (!strcmp(modules[i].name, name))
            return &modules[i];
    return 0;
}
