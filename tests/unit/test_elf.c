// ELF validation (os/proc/elf.c) and app-pointer checks (os/proc/uptr.h), on
// the sealed layout: text in the code region, data in the app data region.
// SOURCES: os/proc/elf.c os/proc/seal.c
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
    h->entry = 0x01000000;
    h->phoff = sizeof *h;
    h->phentsize = sizeof(struct elf_phdr);
    h->phnum = 2;
    struct elf_phdr *ph = (void *)(img + h->phoff);
    ph[0] = (struct elf_phdr){ PT_LOAD, 0x1000, 0x01000000, 0, 0x100, 0x100, 5, 0x1000 };
    ph[1] = (struct elf_phdr){ PT_LOAD, 0x1100, 0x80000100, 0, 0x10, 0x4000, 6, 0x1000 };
}

static struct elf_hdr *H(void) { return (void *)img; }

/* elf_check refused the image, saying this */
static int says(const char *what)
{
    const char *why = elf_check(img, sizeof img);
    return why && strstr(why, what);
}
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
    CHECK("elf.wrong-machine", says("machine"));
    good(); P(1)->vaddr = 0x10000100;
    CHECK("elf.os-data-region", says("OS data region"));
    good(); P(1)->vaddr = 0x7FFFF100; P(1)->memsz = 0x2000;
    CHECK("elf.crosses-into-app-data", says("OS data region"));
    good(); P(1)->vaddr = 0xFFFFF100; P(1)->memsz = 0x10000;
    CHECK("elf.wraps", elf_check(img, sizeof img) != 0);
    good(); P(0)->vaddr = 0; H()->entry = 0;
    CHECK("elf.page-zero", says("below the app text"));
    good(); P(0)->vaddr = 0x00800000; H()->entry = 0x00800000;
    CHECK("elf.over-the-stubs", says("below the app text"));
    good(); P(0)->vaddr = 0x0FFFFF80; H()->entry = 0x0FFFFF80;
    CHECK("elf.text-past-code-region", says("end of the code"));
    good(); P(0)->flags = 7;
    CHECK("elf.writable-code", says("writable segment in the code"));
    good(); P(1)->flags = 7;
    CHECK("elf.executable-data",
          says("executable segment in the data"));
    good(); P(1)->vaddr = 0x01100100; P(1)->flags = 4;
    CHECK("elf.data-in-code", says("data segment in the code"));
    good(); P(1)->vaddr = 0x01001100; P(1)->flags = 5;
    CHECK("elf.x-segments-touch", says("touch a page"));
    good(); P(1)->vaddr = 0x01003100; P(1)->flags = 5;
    CHECK("elf.x-segments-apart", elf_check(img, sizeof img) == 0);
    good(); P(1)->vaddr = 0x01000100; P(1)->memsz = 0x10; P(0)->memsz = 0x200; P(1)->flags = 5;
    CHECK("elf.overlap", says("overlapping"));
    good(); P(1)->filesz = 0x5000;
    CHECK("elf.filesz-gt-memsz", elf_check(img, sizeof img) != 0);
    good(); H()->entry = 0x80000100;
    CHECK("elf.entry-not-executable", elf_check(img, sizeof img) != 0);
    good(); H()->phnum = 200;
    CHECK("elf.too-many-phdrs", elf_check(img, sizeof img) != 0);

    /* sealing: a forbidden sequence anywhere in the text, at any offset */
    uint32_t va = 0;
    good();
    CHECK("seal.clean", elf_seal_check(img, &va) == 0);
    good(); img[0x1000 + 0x41] = 0x0F; img[0x1000 + 0x42] = 0x02;
    CHECK("seal.lar", !strcmp(elf_seal_check(img, &va) ?: "", "LAR (0F 02)") && va == 0x01000041);
    good(); img[0x1000 + 0xFF] = 0x0F;          /* last file byte: 0F 00 00 follows (SLDT) */
    CHECK("seal.last-byte-0f", elf_seal_check(img, &va) == 0);
    good(); img[0x1000 + 0xFE] = 0x0F; img[0x1000 + 0xFF] = 0x03;
    CHECK("seal.lsl-at-end", elf_seal_check(img, &va) != 0 && va == 0x010000FE);
    good(); img[0x1100] = 0x0F; img[0x1101] = 0x02;     /* in the data segment: not CSOS's */
    CHECK("seal.data-not-scanned", elf_seal_check(img, &va) == 0);

    CHECK("uptr.ok", uptr_ok(0x80000000, 100) && uptr_ok(0xFFFFF000, 0x1000));
    CHECK("uptr.last-byte", uptr_ok(0xFFFFFFFF, 1) && !uptr_ok(0xFFFFFFFF, 2));
    CHECK("uptr.below-dsapp", !uptr_ok(0x7FFFFFFF, 1) && !uptr_ok(0x7FFFFFFF, 2));
    CHECK("uptr.os-data", !uptr_ok(0x10000000, 1) && !uptr_ok(0x7F800000, 4));
    CHECK("uptr.code-region", !uptr_ok(0x00100000, 4) && !uptr_ok(0x00800000, 4) &&
                              !uptr_ok(0x01000000, 4));
    CHECK("uptr.wrap", !uptr_ok(0xFFFFFFF0, 0x20) && !uptr_ok(0x80000000, 0x80000001));
    CHECK("uptr.null-page", !uptr_ok(0, 4) && !uptr_ok(0xFFF, 1));
    return check_exit();
}
