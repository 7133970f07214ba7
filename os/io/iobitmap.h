#ifndef IOBITMAP_H
#define IOBITMAP_H
#include <stdint.h>
void iobitmap_set(uint8_t *map, uint16_t first, int n, int deny);
int iobitmap_allows(const uint8_t *map, uint16_t port, int width);
uint32_t iobitmap_get(const uint8_t *map, uint16_t first, int n);
void iobitmap_put(uint8_t *map, uint16_t first, int n, uint32_t bits);
#endif
