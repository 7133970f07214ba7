/* fstree.h: the parts that use the host's libc directories. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include "fstree.h"
#include "fshost.h"

void tree_add(struct tree *t, const char *path, int dir, const void *data, size_t len)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 64;
        t->e = realloc(t->e, t->cap * sizeof *t->e);
    }
    struct tent *e = &t->e[t->n++];
    e->path = strdup(path);
    e->dir = dir;
    e->len = len;
    e->data = malloc(len ? len : 1);
    if (len)
        memcpy(e->data, data, len);
}

static int cmp(const void *a, const void *b)
{
    return strcmp(((const struct tent *)a)->path, ((const struct tent *)b)->path);
}

void tree_sort(struct tree *t)
{
    if (t->n)
        qsort(t->e, t->n, sizeof *t->e, cmp);
}

void tree_free(struct tree *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->e[i].path);
        free(t->e[i].data);
    }
    free(t->e);
    memset(t, 0, sizeof *t);
}

const struct tent *tree_find(const struct tree *t, const char *path)
{
    for (size_t i = 0; i < t->n; i++)
        if (!strcmp(t->e[i].path, path))
            return &t->e[i];
    return 0;
}

int tree_equal(const struct tree *a, const struct tree *b, char *why, size_t wl)
{
    size_t i = 0, j = 0;
    while (i < a->n || j < b->n) {
        int c = i == a->n ? 1 : j == b->n ? -1 : strcmp(a->e[i].path, b->e[j].path);
        if (c < 0) {
            snprintf(why, wl, "%s only in the first", a->e[i].path);
            return 0;
        }
        if (c > 0) {
            snprintf(why, wl, "%s only in the second", b->e[j].path);
            return 0;
        }
        const struct tent *x = &a->e[i++], *y = &b->e[j++];
        if (x->dir != y->dir) {
            snprintf(why, wl, "%s: a directory in one only", x->path);
            return 0;
        }
        if (x->len != y->len || (x->len && memcmp(x->data, y->data, x->len))) {
            size_t k = 0;
            while (k < x->len && k < y->len && x->data[k] == y->data[k])
                k++;
            snprintf(why, wl, "%s: %zu vs %zu bytes, first difference at %zu", x->path, x->len, y->len, k);
            return 0;
        }
    }
    return 1;
}

static int load(struct tree *t, const char *root, const char *rel)
{
    char path[4096];
    snprintf(path, sizeof path, "%s%s", root, rel);
    DIR *d = opendir(path);
    if (!d)
        return -1;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        char r2[4096], full[4096];
        snprintf(r2, sizeof r2, "%s/%s", rel, de->d_name);
        snprintf(full, sizeof full, "%s%s", root, r2);
        struct stat st;
        if (lstat(full, &st) < 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            tree_add(t, r2, 1, 0, 0);
            load(t, root, r2);
        } else if (S_ISREG(st.st_mode)) {
            size_t len;
            char *p = read_file(full, &len);
            tree_add(t, r2, 0, p, len);
            free(p);
        }
    }
    closedir(d);
    return 0;
}

int tree_load_dir(struct tree *t, const char *dir)
{
    int r = load(t, dir, "");
    tree_sort(t);
    return r;
}
