// I/O bitmap arithmetic (os/io/iobitmap.c).
// SOURCES: os/io/iobitmap.c
#include <string.h>
#include "check.h"
#include "io/iobitmap.h"

int main(void)
{
    static uint8_t map[8192];
    memset(map, 0xFF, sizeof map);
    CHECK("iobitmap.all-denied", !iobitmap_allows(map, 0x3F8, 1) && !iobitmap_allows(map, 0, 1));
    iobitmap_set(map, 0x3F8, 8, 0);
    CHECK("iobitmap.open-range", iobitmap_allows(map, 0x3F8, 1) && iobitmap_allows(map, 0x3FF, 1));
    CHECK("iobitmap.open-byte", map[0x3F8 >> 3] == 0x00);
    CHECK("iobitmap.neighbours-closed", !iobitmap_allows(map, 0x3F7, 1) && !iobitmap_allows(map, 0x400, 1));
    CHECK("iobitmap.word-spans", iobitmap_allows(map, 0x3FE, 2) && !iobitmap_allows(map, 0x3FF, 2));
    iobitmap_set(map, 0x3F8, 8, 1);
    CHECK("iobitmap.closed-again", map[0x3F8 >> 3] == 0xFF);
    iobitmap_set(map, 0x61, 1, 0);
    CHECK("iobitmap.single-bit", map[0x61 >> 3] == (uint8_t)~(1 << 1));
    iobitmap_set(map, 0xFFFF, 4, 0);
    CHECK("iobitmap.top-port-no-overflow", iobitmap_allows(map, 0xFFFF, 1) && !iobitmap_allows(map, 0xFFFF, 2));
    return check_exit();
}
