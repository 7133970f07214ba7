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

/* The deny bits of ports first..first+n-1 (n <= 32), bit i for port first+i. */
uint32_t iobitmap_get(const uint8_t *map, uint16_t first, int n)
{
    uint32_t bits = 0;
    for (int i = 0; i < n && first + i < 65536; i++)
        bits |= (uint32_t)((map[(first + i) >> 3] >> ((first + i) & 7)) & 1) << i;
    return bits;
}

void iobitmap_put(uint8_t *map, uint16_t first, int n, uint32_t bits)
{
    for (int i = 0; i < n && first + i < 65536; i++)
        iobitmap_set(map, first + i, 1, (bits >> i) & 1);
}
