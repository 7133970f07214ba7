/* LAR (0F 02), LSL (0F 03), VERR (0F 00 /4), VERW (0F 00 /5): they run at
 * CPL 3, never fault, and tell a DPL-3 selector's type and limit (SDM vol. 2),
 * which would find DSOS without a single #NP.  A jump may land anywhere, so
 * every offset is checked, not a disassembly; prefixes before 0F do not
 * matter (the sequence is found wherever it starts). */
#include "seal.h"

const char *seal_at(const uint8_t *b, uint32_t n, uint32_t i)
{
    if (i >= n || b[i] != 0x0F)
        return 0;
    uint8_t op = i + 1 < n ? b[i + 1] : 0, modrm = i + 2 < n ? b[i + 2] : 0;
    if (op == 0x02)
        return "LAR (0F 02)";
    if (op == 0x03)
        return "LSL (0F 03)";
    if (op == 0x00 && ((modrm >> 3) & 7) == 4)
        return "VERR (0F 00 /4)";
    if (op == 0x00 && ((modrm >> 3) & 7) == 5)
        return "VERW (0F 00 /5)";
    return 0;
}

int64_t seal_find(const uint8_t *b, uint32_t n, const char **what)
{
    for (uint32_t i = 0; i < n; i++) {
        const char *w = seal_at(b, n, i);
        if (w) {
            if (what)
                *what = w;
            return i;
        }
    }
    return -1;
}
