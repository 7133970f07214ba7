/* The GRUB modules (module.c): the programs the OS can start by name. */
#ifndef MODULE_H
#define MODULE_H
#include <stdint.h>

#define NMOD 32

struct module {
    char name[32];
    uint32_t start, end;        /* physical */
};

extern struct module modules[NMOD];
extern int nmodules;

struct mb_info;
void module_init(struct mb_info *mbi);
struct module *module_find(const char *name);
#endif
