/* malloc over sbrk: K&R's first-fit allocator (as in xv6's umalloc.c).  The
 * free list is circular and sorted by address, so free() coalesces a block
 * with both neighbours.  Blocks are 8-byte aligned, sizes in header units. */
#include "user.h"

typedef union header {
    struct {
        union header *next;     /* next free block (free list only) */
        size_t size;            /* in units, header included */
    } s;
    long long align;
} Header;

#define UNIT sizeof(Header)
#define MIN_GROW 512            /* units asked of sbrk at least (4 KiB) */

static Header base;
static Header *freep;

void free(void *ap)
{
    Header *bp, *p;

    if (!ap)
        return;
    bp = (Header *)ap - 1;
    for (p = freep; !(bp > p && bp < p->s.next); p = p->s.next)
        if (p >= p->s.next && (bp > p || bp < p->s.next))
            break;              /* at an end of the arena */
    if (bp + bp->s.size == p->s.next) {
        bp->s.size += p->s.next->s.size;
        bp->s.next = p->s.next->s.next;
    } else {
        bp->s.next = p->s.next;
    }
    if (p + p->s.size == bp) {
        p->s.size += bp->s.size;
        p->s.next = bp->s.next;
    } else {
        p->s.next = bp;
    }
    freep = p;
}

static int sbrk_failed(void *p)
{
    return p == (void *)-1 || p == 0;   /* both ways the OS may say no */
}

static Header *morecore(size_t nu)
{
    char *cur, *p, *end;
    size_t pad;
    Header *hp;

    if (nu < MIN_GROW)
        nu = MIN_GROW;
    if (nu > 0x7FFFFFFF / UNIT - 1)
        return 0;
    /* Keep the break UNIT-aligned (someone else may have moved it oddly) so
     * that successive chunks are adjacent and coalesce. */
    cur = sbrk(0);
    if (sbrk_failed(cur))
        return 0;
    pad = (UNIT - (uintptr_t)cur % UNIT) % UNIT;
    p = sbrk((int)(pad + nu * UNIT));
    if (sbrk_failed(p))
        return 0;
    end = p + pad + nu * UNIT;
    p += (UNIT - (uintptr_t)p % UNIT) % UNIT;
    hp = (Header *)p;
    hp->s.size = (size_t)(end - p) / UNIT;
    free(hp + 1);
    return freep;
}

void *malloc(size_t n)
{
    Header *p, *prevp;
    size_t nunits;

    if (n > 0x7FFFFFF0u)
        return 0;
    nunits = (n + UNIT - 1) / UNIT + 1;
    if ((prevp = freep) == 0) {
        base.s.next = freep = prevp = &base;
        base.s.size = 0;
    }
    for (p = prevp->s.next;; prevp = p, p = p->s.next) {
        if (p->s.size >= nunits) {
            if (p->s.size == nunits) {
                prevp->s.next = p->s.next;
            } else {            /* hand out the tail */
                p->s.size -= nunits;
                p += p->s.size;
                p->s.size = nunits;
            }
            freep = prevp;
            return p + 1;
        }
        if (p == freep && (p = morecore(nunits)) == 0)
            return 0;
    }
}

void *calloc(size_t n, size_t size)
{
    if (size && n > (size_t)-1 / size)
        return 0;
    void *p = malloc(n * size);
    if (p)
        memset(p, 0, n * size);
    return p;
}

void *realloc(void *ap, size_t n)
{
    if (!ap)
        return malloc(n);
    if (n == 0) {
        free(ap);
        return 0;
    }
    Header *bp = (Header *)ap - 1;
    size_t have = (bp->s.size - 1) * UNIT;
    if (n <= have)
        return ap;
    void *np = malloc(n);
    if (np) {
        memcpy(np, ap, have);
        free(ap);
    }
    return np;
}
