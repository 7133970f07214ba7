/* A file tree as a sorted list of (path, kind, contents), to compare what
 * KLOS reads with what e2fsprogs reads or a host directory holds. */
#ifndef FSTREE_H
#define FSTREE_H
#include <stddef.h>
#include <stdint.h>

struct tent {
    char *path;                 /* "/a/b", no trailing slash; "/" not listed */
    int dir;
    uint8_t *data;
    size_t len;
};
struct tree {
    struct tent *e;
    size_t n, cap;
};

void tree_add(struct tree *t, const char *path, int dir, const void *data, size_t len);
void tree_sort(struct tree *t);
void tree_free(struct tree *t);
/* 1 when equal; else 0 with the first difference in why */
int tree_equal(const struct tree *a, const struct tree *b, char *why, size_t whylen);
int tree_load_dir(struct tree *t, const char *dir);        /* a host directory, recursively */
const struct tent *tree_find(const struct tree *t, const char *path);

struct fs;
/* everything under / of a mounted file system, lost+found excluded when skip_lf */
int tree_load_fs(struct tree *t, struct fs *fs, int skip_lf);
#endif
