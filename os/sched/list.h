/* Intrusive doubly-linked circular lists (a list head is a sentinel).  An
 * element on no list links to itself, so list_del on it is harmless: every
 * queue operation the scheduler and IPC do is O(1). */
#ifndef LIST_H
#define LIST_H
#include <stddef.h>

struct list {
    struct list *next, *prev;
};

static inline void list_init(struct list *e)
{
    e->next = e->prev = e;
}

static inline int list_empty(const struct list *h)
{
    return h->next == h;
}

static inline void list_del(struct list *e)
{
    e->prev->next = e->next;
    e->next->prev = e->prev;
    e->next = e->prev = e;
}

/* Insert e before pos (before the head = at the tail). */
static inline void list_add_before(struct list *e, struct list *pos)
{
    e->next = pos;
    e->prev = pos->prev;
    pos->prev->next = e;
    pos->prev = e;
}

#define list_entry(e, type, member) ((type *)((char *)(e) - offsetof(type, member)))
#endif
