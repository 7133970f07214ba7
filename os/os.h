/* The ring-3 OS's internal interfaces. */
#ifndef OS_H
#define OS_H
#include <stdint.h>
#include <stddef.h>
#include "klos.h"
#include "klos_errno.h"
#include "trapframe.h"
#include "string.h"             /* lib/: shared with the apps' libc */
#include "fmt.h"

/* console.c */
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void console_write(const char *s, int n);

/* drivers */
void serial_init(void);
void serial_putc(char c);
void serial_drain(void);
void pic_unmask(int irq);
void pic_mask(int irq);
void pit_init(int hz);
void isadma_init(void);

/* cmdline.c */
void cmdline_init(const char *s);
const char *cmdline_get(const char *key);       /* value, "" for a bare flag, 0 if absent */
int cmdline_is(const char *key, const char *val);
void cmdline_check(void);
int cmdline_listed(const char *key, const char *name);

/* halt.c: print KLOS-EXIT and end the run (an emulator exits; a PC halts) */
void os_halt(int code) __attribute__((noreturn));

/* The test=NAME modes (tests/os/): linked only into build/klos-test.elf.
 * In the product kernel the weak reference is 0 and test= is unknown. */
int run_boot_test(const char *name) __attribute__((weak));

/* A test-kernel-only option (listed in cmdline.c's test_known): never true
 * in the product kernel, whatever its command line says. */
static inline int test_option(const char *key, const char *val)
{
    return run_boot_test && cmdline_is(key, val);
}

static inline int test_listed(const char *key, const char *name)
{
    return run_boot_test && cmdline_listed(key, name);
}

static inline void cpuid(uint32_t leaf, uint32_t r[4])
{
    asm volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(0));
}

static inline uint16_t read_cs(void)
{
    uint16_t cs;
    asm volatile("mov %%cs, %0" : "=r"(cs));
    return cs;
}
#endif
