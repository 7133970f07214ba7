/* A register-heavy hash shared by the bystanders (tests/apps/t_bystander.c,
 * tests/attacks/a_byst.c): four words kept in registers through n rounds, so
 * a register the OS failed to save across a switch or a neighbour's fault
 * changes the result. */
#ifndef REGHASH_H
#define REGHASH_H

static unsigned reg_hash(unsigned n)
{
    unsigned a = 0x12345678, b = 0x9abcdef0, c = 0x0f1e2d3c, d = 0x4b5a6978;
    for (unsigned i = 0; i < n; i++) {
        a ^= a << 13;
        a ^= a >> 17;
        a ^= a << 5;
        b += a ^ (c >> 3);
        c = (c << 7 | c >> 25) + d;
        d ^= b + i;
    }
    return a ^ b ^ c ^ d;
}
#endif
