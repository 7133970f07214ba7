/* The name cache: (directory, name) -> inode number for names found by a
 * directory scan, so a repeated path lookup costs a hash and a compare
 * instead of a walk over the directory's entries.  Direct-mapped: a new
 * name replaces whatever shared its slot.  Names longer than DC_NAME are
 * not kept; "." and ".." never are (lookup handles them, and a rename moves
 * a directory's ".." without telling anyone).  Every removal or change of
 * an entry (unlink, rmdir, rename) forgets the name (namei.c); adding one
 * needs nothing, as misses are not cached. */
#include "fsint.h"

#define NDC 512
#define DC_NAME 47

struct dcent {
    struct fs *fs;
    uint32_t dir, ino;
    uint8_t len;
    char name[DC_NAME];
};

static struct dcent dc[NDC];

static uint32_t dc_hash(struct inode *dp, const char *name, uint32_t len)
{
    uint32_t h = 2166136261u ^ dp->ino ^ (uint32_t)(uintptr_t)dp->fs;
    for (uint32_t i = 0; i < len; i++)
        h = (h ^ (uint8_t)name[i]) * 16777619u;
    return (h ^ h >> 15) & (NDC - 1);
}

static struct dcent *find(struct inode *dp, const char *name, uint32_t len)
{
    if (len > DC_NAME)
        return 0;
    struct dcent *e = &dc[dc_hash(dp, name, len)];
    if (e->fs != dp->fs || e->dir != dp->ino || e->len != len)
        return 0;
    for (uint32_t i = 0; i < len; i++)
        if (e->name[i] != name[i])
            return 0;
    return e;
}

int dc_lookup(struct inode *dp, const char *name, uint32_t len, uint32_t *ino)
{
    struct dcent *e = find(dp, name, len);
    if (!e)
        return 0;
    *ino = e->ino;
    return 1;
}

void dc_add(struct inode *dp, const char *name, uint32_t len, uint32_t ino)
{
    if (len > DC_NAME)
        return;
    struct dcent *e = &dc[dc_hash(dp, name, len)];
    e->fs = dp->fs;
    e->dir = dp->ino;
    e->ino = ino;
    e->len = (uint8_t)len;
    memcpy(e->name, name, len);
}

void dc_forget(struct inode *dp, const char *name, uint32_t len)
{
    struct dcent *e = find(dp, name, len);
    if (e)
        e->fs = 0;
}

void dc_drop(struct fs *fs)
{
    for (int i = 0; i < NDC; i++)
        if (dc[i].fs == fs)
            dc[i].fs = 0;
}
