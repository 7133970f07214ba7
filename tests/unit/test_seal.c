// The sealing rule (os/proc/seal.c): LAR, LSL, VERR, VERW at every byte offset.
// SOURCES: os/proc/seal.c
#include <string.h>
#include "check.h"
#include "proc/seal.h"

int main(void)
{
    const char *w = 0;
    static const uint8_t lar[] = { 0x90, 0x0F, 0x02, 0xC0 }, lsl[] = { 0x0F, 0x03, 0xC8 };
    CHECK("seal.lar", seal_find(lar, sizeof lar, &w) == 1 && !strcmp(w, "LAR (0F 02)"));
    CHECK("seal.lsl", seal_find(lsl, sizeof lsl, &w) == 0 && !strcmp(w, "LSL (0F 03)"));
    /* 0F 00 /r: only reg 4 (VERR) and 5 (VERW); 0-3 are SLDT STR LLDT LTR */
    int verr = 0, verw = 0, other = 0;
    for (int m = 0; m < 256; m++) {
        uint8_t b[3] = { 0x0F, 0x00, (uint8_t)m };
        const char *x = seal_at(b, 3, 0);
        verr += x && !strcmp(x, "VERR (0F 00 /4)");
        verw += x && !strcmp(x, "VERW (0F 00 /5)");
        other += x == 0;
    }
    CHECK("seal.verr-verw-modrm", verr == 32 && verw == 32 && other == 192);
    /* mid-instruction: inside "mov $0x8000020f, %edi" (BF 0F 02 00 80) */
    static const uint8_t mov[] = { 0xBF, 0x0F, 0x02, 0x00, 0x80 };
    CHECK("seal.mid-instruction", seal_find(mov, sizeof mov, 0) == 1);
    /* the end of the bytes reads as zero: 0F 00 00 is SLDT, 0F at the end too */
    static const uint8_t end1[] = { 0x90, 0x0F }, end2[] = { 0x0F, 0x00 };
    CHECK("seal.tail-zero", seal_find(end1, 2, 0) < 0 && seal_find(end2, 2, 0) < 0);
    /* a segment's last bytes: the pair (LAR, LSL) or the triple (VERR, VERW) that
     * ends exactly where the segment does is found; a byte past n never counts */
    static const uint8_t lar_end[] = { 0x90, 0x90, 0x0F, 0x02 }, lsl_end[] = { 0x90, 0x0F, 0x03 };
    static const uint8_t verr_end[] = { 0x90, 0x0F, 0x00, 0xE0 }, verw_end[] = { 0x0F, 0x00, 0x28 };
    CHECK("seal.lar-last-two-bytes", seal_find(lar_end, 4, &w) == 2 && !strcmp(w, "LAR (0F 02)"));
    CHECK("seal.lsl-last-two-bytes", seal_find(lsl_end, 3, &w) == 1 && !strcmp(w, "LSL (0F 03)"));
    CHECK("seal.only-two-bytes", seal_find(lar_end + 2, 2, 0) == 0 && seal_find(lsl_end + 1, 2, 0) == 0);
    CHECK("seal.verr-last-three-bytes",
          seal_find(verr_end, 4, &w) == 1 && !strcmp(w, "VERR (0F 00 /4)"));
    CHECK("seal.verw-last-three-bytes",
          seal_find(verw_end, 3, &w) == 0 && !strcmp(w, "VERW (0F 00 /5)"));
    CHECK("seal.past-the-end-not-read", seal_find(lar_end, 3, 0) < 0 && seal_find(verr_end, 3, 0) < 0);
    static const uint8_t clean[] = { 0x0F, 0xB6, 0x0F, 0x01, 0x0F, 0x0F, 0x04, 0x02, 0x03 };
    CHECK("seal.clean", seal_find(clean, sizeof clean, 0) < 0);
    /* the DSOS immediate of a stub: 66 B8 lo hi 8E D8 -- lo=0F hi=02/03 unseal it */
    int bad = 0;
    for (int s = 0; s < 0x10000; s++) {
        uint8_t b[6] = { 0x66, 0xB8, (uint8_t)s, (uint8_t)(s >> 8), 0x8E, 0xD8 };
        bad += seal_find(b, 6, 0) >= 0;
    }
    CHECK("seal.stub-selectors", bad == 2);
    return check_exit();
}
