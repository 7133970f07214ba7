/* Sealing (docs/DESIGN.md §2): no byte CSOS can reach may start an instruction
 * that probes a selector at CPL 3 without faulting.  Pure logic, shared by
 * the ELF loader, DSOS relocation and host unit tests. */
#ifndef SEAL_H
#define SEAL_H
#include <stdint.h>

/* What a forbidden sequence starting at b[i] is, or 0.  Bytes past n read
 * as 0, which is what follows a segment's last byte in its zeroed page. */
const char *seal_at(const uint8_t *b, uint32_t n, uint32_t i);

/* The first offset in b[0..n) where a forbidden sequence starts, or -1;
 * *what names it. */
int64_t seal_find(const uint8_t *b, uint32_t n, const char **what);
#endif
