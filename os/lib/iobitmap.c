/* I/O permission bitmap arithmetic (SDM 18.5.2): bit p set = port p denied. */
#include "iobitmap.h"

void iobitmap_set(uint8_t *map, uint16_t first, int n, int deny)
{
    for (uint32_t p = first; p < (uint32_t)first + n && p < 65536; p++) {
        if (deny)
            map[p >> 3] |= 1 << (p & 7);
        else
            map[p >> 3] &= ~(1 << (p & 7));
    }
}

int iobitmap_allows(const uint8_t *map, uint16_t port, int width)
{
    for (uint32_t p = port; p < (uint32_t)port + width; p++)
        if (p >= 65536 || (map[p >> 3] >> (p & 7)) & 1)
            return 0;
    return 1;
}
