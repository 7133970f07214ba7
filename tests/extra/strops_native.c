/* lib/string.c, built for i686 and run natively (tests/extra/strops.py builds it
 * with the symbols renamed k_*, beside glibc's own).  Inside a KLOS service ES is
 * the app's (the stubs swap DS only), so memcpy and memset load ES from DS
 * themselves and put it back.  Here a null ES stands in for an app's: any string
 * instruction through it faults (SIGSEGV), so the routines must load ES.
 *   strops-native-copy    memcpy/memset/memmove/memcmp/strlen right for sizes
 *                         0..70 and 4095..4097 at every alignment, guards intact
 *   strops-native-es      with ES = null on entry they work and ES is null after
 *   strops-native-control a bare rep movsb with ES = null faults (the test bites)
 * Prints PASS/FAIL lines. */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

void *k_memcpy(void *d, const void *s, size_t n);
void *k_memset(void *d, int c, size_t n);
void *k_memmove(void *d, const void *s, size_t n);
int k_memcmp(const void *a, const void *b, size_t n);
size_t k_strlen(const char *s);

static uint8_t src[8200], dst[8200], want[8200];
static sigjmp_buf jb;

static void on_segv(int sig)
{
    (void)sig;
    siglongjmp(jb, 1);
}

static int copy_ok(void)
{
    static const size_t sizes[] = { 4095, 4096, 4097 };
    for (size_t k = 0; k < 71 + 3; k++) {
        size_t n = k < 71 ? k : sizes[k - 71];
        for (int da = 0; da < 4; da++)
            for (int sa = 0; sa < 4; sa++) {
                for (size_t i = 0; i < sizeof src; i++) {
                    src[i] = (uint8_t)(i * 31 + 7);
                    dst[i] = want[i] = 0xEE;
                }
                memcpy(want + 8 + da, src + 8 + sa, n);
                if (k_memcpy(dst + 8 + da, src + 8 + sa, n) != dst + 8 + da ||
                    memcmp(dst, want, sizeof dst))
                    return printf("FAIL strops-native-copy: memcpy n=%zu da=%d sa=%d\n", n,
                                  da, sa), 0;
                memset(want + 8 + da, 0x3C + sa, n);
                if (k_memset(dst + 8 + da, 0x3C + sa, n) != dst + 8 + da ||
                    memcmp(dst, want, sizeof dst))
                    return printf("FAIL strops-native-copy: memset n=%zu da=%d\n", n, da), 0;
                memmove(want + 8 + da, want + 8 + sa + 2, n);      /* overlapping, both ways */
                k_memmove(dst + 8 + da, dst + 8 + sa + 2, n);
                memmove(want + 10 + sa, want + 8 + da, n);
                k_memmove(dst + 10 + sa, dst + 8 + da, n);
                if (memcmp(dst, want, sizeof dst))
                    return printf("FAIL strops-native-copy: memmove n=%zu da=%d sa=%d\n", n,
                                  da, sa), 0;
                if ((k_memcmp(dst, want, n) != 0) ||
                    (n && (want[n - 1] ^= 1, k_memcmp(dst, want, n) == 0)))
                    return printf("FAIL strops-native-copy: memcmp n=%zu\n", n), 0;
            }
    }
    src[100] = 0;
    if (k_strlen((char *)src + 1) != strlen((char *)src + 1))
        return printf("FAIL strops-native-copy: strlen\n"), 0;
    printf("PASS strops-native-copy\n");
    return 1;
}

static uint32_t get_es(void)
{
    uint32_t v;
    __asm__ volatile("movl %%es, %0" : "=r"(v));
    return v & 0xFFFF;
}

static void set_es(uint32_t v)
{
    __asm__ volatile("movl %0, %%es" : : "r"(v));
}

static int es_ok(void)
{
    uint32_t es0 = get_es();
    volatile uint32_t es1 = 0xFFFF, es2 = 0xFFFF;
    volatile int faulted = 0;
    memset(dst, 0, sizeof dst);
    if (sigsetjmp(jb, 1)) {
        faulted = 1;
    } else {
        set_es(0);
        k_memset(dst, 0x77, 4096);
        es1 = get_es();
        k_memcpy(dst + 4096, dst, 4096);
        es2 = get_es();
    }
    set_es(es0);
    int bad = 0;
    for (int i = 0; i < 8192; i++)
        bad += dst[i] != 0x77;
    if (faulted || bad || es1 != 0 || es2 != 0)
        return printf("FAIL strops-native-es: %s, %d bytes wrong, ES after memset %x, after"
                      " memcpy %x (want 0)\n", faulted ? "faulted" : "no fault", bad,
                      (unsigned)es1, (unsigned)es2), 0;
    printf("PASS strops-native-es\n");
    return 1;
}

static int control(void)
{
    volatile int faulted = 0;
    uint32_t es0 = get_es();
    if (sigsetjmp(jb, 1)) {
        faulted = 1;
    } else {
        void *d = dst;
        const void *s = src;
        size_t n = 16;
        set_es(0);
        __asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
    }
    set_es(es0);
    printf("%s strops-native-control%s\n", faulted ? "PASS" : "FAIL",
           faulted ? "" : ": a rep movsb through a null ES did not fault");
    return faulted;
}

int main(void)
{
    signal(SIGSEGV, on_segv);
    signal(SIGBUS, on_segv);
    int ok = copy_ok();
    ok &= es_ok();
    ok &= control();
    return !ok;
}
