// ELF validation (os/proc/elf.c) and app-pointer checks (os/proc/uptr.h).
// SOURCES: os/proc/elf.c
#include <string.h>
#include "check.h"
#include "proc/elf.h"
#include "proc/uptr.h"

static uint8_t img[8192];

static void good(void)
{
    memset(img, 0, sizeof img);
    struct elf_hdr *h = (void *)img;
    memcpy(h->ident, "\177ELF\1\1\1", 7);
    h->type = 2;
    h->machine = 3;
    h->version = 1;
    h->entry = 0x00401000;
    h->phoff = sizeof *h;
    h->phentsize = sizeof(struct elf_phdr);
    h->phnum = 2;
    struct elf_phdr *ph = (void *)(img + h->phoff);
    ph[0] = (struct elf_phdr){ PT_LOAD, 0x1000, 0x00401000, 0, 0x100, 0x100, 5, 0x1000 };
    ph[1] = (struct elf_phdr){ PT_LOAD, 0x1100, 0x00402100, 0, 0x10, 0x4000, 6, 0x1000 };
}

static struct elf_hdr *H(void) { return (void *)img; }
static struct elf_phdr *P(int i) { return (struct elf_phdr *)(img + H()->phoff) + i; }

int main(void)
{
    good();
    CHECK("elf.valid", elf_check(img, sizeof img) == 0);
    CHECK("elf.truncated-header", elf_check(img, 20) != 0);
    CHECK("elf.truncated-phdrs", elf_check(img, sizeof(struct elf_hdr) + 10) != 0);
    CHECK("elf.truncated-segment", elf_check(img, 0x1050) != 0);
    img[1] = 'X';
    CHECK("elf.bad-magic", elf_check(img, sizeof img) != 0);
    good(); img[4] = 2;
    CHECK("elf.64-bit", elf_check(img, sizeof img) != 0);
    good(); H()->machine = 62;
    CHECK("elf.wrong-machine", strstr(elf_check(img, sizeof img), "machine") != 0);
    good(); P(1)->vaddr = 0xC0000000;
    CHECK("elf.os-region", strstr(elf_check(img, sizeof img), "OS region") != 0);
    good(); P(1)->vaddr = 0xBFFFF000; P(1)->memsz = 0x2000;
    CHECK("elf.crosses-into-os", elf_check(img, sizeof img) != 0);
    good(); P(1)->vaddr = 0xFFFFF100; P(1)->memsz = 0x10000;
    CHECK("elf.wraps", elf_check(img, sizeof img) != 0);
    good(); P(0)->vaddr = 0;
    CHECK("elf.page-zero", elf_check(img, sizeof img) != 0);
    good(); P(1)->vaddr = 0x00401080;
    CHECK("elf.overlap", elf_check(img, sizeof img) != 0);
    good(); P(1)->filesz = 0x5000;
    CHECK("elf.filesz-gt-memsz", elf_check(img, sizeof img) != 0);
    good(); H()->entry = 0x00402100;
    CHECK("elf.entry-not-executable", elf_check(img, sizeof img) != 0);
    good(); H()->phnum = 200;
    CHECK("elf.too-many-phdrs", elf_check(img, sizeof img) != 0);

    CHECK("uptr.ok", uptr_ok(0x00400000, 100));
    CHECK("uptr.last-byte", uptr_ok(0xBFFFFFFF, 1) && !uptr_ok(0xBFFFFFFF, 2));
    CHECK("uptr.os-region", !uptr_ok(0xC0000000, 1) && !uptr_ok(0xC0100000, 4));
    CHECK("uptr.wrap", !uptr_ok(0xBFFFFFF0, 0x40000020) && !uptr_ok(0xFFFFFFF0, 0x20));
    CHECK("uptr.null-page", !uptr_ok(0, 4) && !uptr_ok(0xFFF, 1));
    return check_exit();
}
