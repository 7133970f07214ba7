#ifndef IOBITMAP_H
#define IOBITMAP_H
#include <stdint.h>
void iobitmap_set(uint8_t *map, uint16_t first, int n, int deny);
int iobitmap_allows(const uint8_t *map, uint16_t port, int width);
#endif
