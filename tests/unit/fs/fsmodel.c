/* The op-log model (fsmodel.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fsmodel.h"

static int add_obj(struct model *m)
{
    if (m->nobjs == m->capobjs) {
        m->capobjs = m->capobjs ? 2 * m->capobjs : 64;
        m->objs = realloc(m->objs, (size_t)m->capobjs * sizeof *m->objs);
    }
    m->objs[m->nobjs].data = 0;
    m->objs[m->nobjs].len = 0;
    return m->nobjs++;
}

static void add_name(struct model *m, const char *path, int dir, int obj)
{
    if (m->nnames == m->capnames) {
        m->capnames = m->capnames ? 2 * m->capnames : 64;
        m->names = realloc(m->names, (size_t)m->capnames * sizeof *m->names);
    }
    m->names[m->nnames].path = strdup(path);
    m->names[m->nnames].dir = dir;
    m->names[m->nnames].obj = obj;
    m->nnames++;
}

static void del_name(struct model *m, int i)
{
    free(m->names[i].path);
    m->names[i] = m->names[--m->nnames];
}

int model_find(const struct model *m, const char *path)
{
    for (int i = 0; i < m->nnames; i++)
        if (!strcmp(m->names[i].path, path))
            return i;
    return -1;
}

size_t model_size(const struct model *m, const char *path)
{
    int i = model_find(m, path);
    return i < 0 || m->names[i].dir ? 0 : m->objs[m->names[i].obj].len;
}

void model_init(struct model *m, const struct tree *t)
{
    memset(m, 0, sizeof *m);
    for (int i = 0; i < MODEL_HANDLES; i++)
        m->handle[i] = -1;
    for (size_t i = 0; i < t->n; i++) {
        int o = -1;
        if (!t->e[i].dir) {
            o = add_obj(m);
            m->objs[o].data = malloc(t->e[i].len ? t->e[i].len : 1);
            memcpy(m->objs[o].data, t->e[i].data, t->e[i].len);
            m->objs[o].len = t->e[i].len;
        }
        add_name(m, t->e[i].path, t->e[i].dir, o);
    }
}

void model_free(struct model *m)
{
    for (int i = 0; i < m->nnames; i++)
        free(m->names[i].path);
    for (int i = 0; i < m->nobjs; i++)
        free(m->objs[i].data);
    free(m->names);
    free(m->objs);
    memset(m, 0, sizeof *m);
}

static void obj_resize(struct mobj *o, size_t len)
{
    o->data = realloc(o->data, len ? len : 1);
    if (len > o->len)
        memset(o->data + o->len, 0, len - o->len);
    o->len = len;
}

static void obj_write(struct mobj *o, uint64_t off, uint64_t len, uint32_t seed)
{
    if (off + len > o->len)
        obj_resize(o, (size_t)(off + len));
    for (uint64_t i = 0; i < len; i++)
        o->data[off + i] = model_byte(seed, i);
}

static int file_obj(const struct model *m, const char *p)
{
    int i = model_find(m, p);
    return i < 0 || m->names[i].dir ? -1 : m->names[i].obj;
}

int model_apply(struct model *m, const char *op)
{
    char kind[16], a[512], b[512];
    unsigned long long x = 0, y = 0;
    unsigned s = 0;
    int n = sscanf(op, "%15s", kind);
    if (n != 1)
        return -1;
    const char *args = op + strlen(kind);
    if (!strcmp(kind, "fsync"))
        return 0;
    if (!strcmp(kind, "create")) {
        if (sscanf(args, "%511s", a) != 1)
            return -1;
        int o = file_obj(m, a);
        if (o >= 0)
            obj_resize(&m->objs[o], 0);
        else
            add_name(m, a, 0, add_obj(m));
        return 0;
    }
    if (!strcmp(kind, "write")) {
        if (sscanf(args, "%511s %llu %llu %u", a, &x, &y, &s) != 4 || file_obj(m, a) < 0)
            return -1;
        obj_write(&m->objs[file_obj(m, a)], x, y, s);
        return 0;
    }
    if (!strcmp(kind, "hwrite")) {
        int h;
        if (sscanf(args, "%d %llu %llu %u", &h, &x, &y, &s) != 4 || h < 0 || h >= MODEL_HANDLES ||
            m->handle[h] < 0)
            return -1;
        obj_write(&m->objs[m->handle[h]], x, y, s);
        return 0;
    }
    if (!strcmp(kind, "trunc")) {
        if (sscanf(args, "%511s %llu", a, &x) != 2 || file_obj(m, a) < 0)
            return -1;
        obj_resize(&m->objs[file_obj(m, a)], (size_t)x);
        return 0;
    }
    if (!strcmp(kind, "unlink") || !strcmp(kind, "rmdir")) {
        if (sscanf(args, "%511s", a) != 1 || model_find(m, a) < 0)
            return -1;
        del_name(m, model_find(m, a));
        return 0;
    }
    if (!strcmp(kind, "mkdir")) {
        if (sscanf(args, "%511s", a) != 1)
            return -1;
        add_name(m, a, 1, -1);
        return 0;
    }
    if (!strcmp(kind, "link")) {
        if (sscanf(args, "%511s %511s", a, b) != 2 || file_obj(m, a) < 0)
            return -1;
        add_name(m, b, 0, file_obj(m, a));
        return 0;
    }
    if (!strcmp(kind, "open")) {
        int h;
        if (sscanf(args, "%d %511s", &h, a) != 2 || h < 0 || h >= MODEL_HANDLES || file_obj(m, a) < 0)
            return -1;
        m->handle[h] = file_obj(m, a);
        return 0;
    }
    if (!strcmp(kind, "close")) {
        int h;
        if (sscanf(args, "%d", &h) != 1 || h < 0 || h >= MODEL_HANDLES)
            return -1;
        m->handle[h] = -1;
        return 0;
    }
    if (!strcmp(kind, "rename")) {
        if (sscanf(args, "%511s %511s", a, b) != 2)
            return -1;
        int i = model_find(m, a);
        if (i < 0)
            return -1;
        int j = model_find(m, b);
        if (j >= 0 && j != i) {
            del_name(m, j);
            i = model_find(m, a);
        }
        if (m->names[i].dir) {
            /* the whole subtree moves */
            size_t la = strlen(a);
            for (int k = 0; k < m->nnames; k++) {
                char *p = m->names[k].path;
                if (!strncmp(p, a, la) && p[la] == '/') {
                    char np[1024];
                    snprintf(np, sizeof np, "%s%s", b, p + la);
                    free(p);
                    m->names[k].path = strdup(np);
                }
            }
        }
        free(m->names[i].path);
        m->names[i].path = strdup(b);
        return 0;
    }
    return -1;
}

void model_tree(const struct model *m, struct tree *t)
{
    for (int i = 0; i < m->nnames; i++) {
        const struct mname *n = &m->names[i];
        if (n->dir)
            tree_add(t, n->path, 1, 0, 0);
        else
            tree_add(t, n->path, 0, m->objs[n->obj].data, m->objs[n->obj].len);
    }
    tree_sort(t);
}

int oplog_load(struct oplog *o, const char *text, const struct tree *initial)
{
    struct model m;
    memset(o, 0, sizeof *o);
    model_init(&m, initial);
    int cap = 16;
    o->seq_before = malloc(cap * sizeof *o->seq_before);
    o->seq_after = malloc(cap * sizeof *o->seq_after);
    o->states = calloc((size_t)cap + 1, sizeof *o->states);
    model_tree(&m, &o->states[0]);
    int err = 0;
    for (const char *p = text; *p && !err;) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char line[1200];
        if (len >= sizeof line)
            len = sizeof line - 1;
        memcpy(line, p, len);
        line[len] = 0;
        p = e ? e + 1 : p + len;
        unsigned sb, sa;
        int at = 0;
        if (sscanf(line, "OP %u %u %n", &sb, &sa, &at) != 2 || !at)
            continue;                   /* other lines (comments, the console) are skipped */
        if (o->nops == cap) {
            cap *= 2;
            o->seq_before = realloc(o->seq_before, cap * sizeof *o->seq_before);
            o->seq_after = realloc(o->seq_after, cap * sizeof *o->seq_after);
            o->states = realloc(o->states, ((size_t)cap + 1) * sizeof *o->states);
        }
        if (o->nops == 0)
            o->seq0 = sb;
        o->seq_before[o->nops] = sb;
        o->seq_after[o->nops] = sa;
        if (model_apply(&m, line + at) < 0) {
            fprintf(stderr, "oplog: cannot apply: %s\n", line);
            err = -1;
        }
        memset(&o->states[o->nops + 1], 0, sizeof o->states[0]);
        model_tree(&m, &o->states[o->nops + 1]);
        o->nops++;
    }
    model_free(&m);
    return err;
}

void oplog_free(struct oplog *o)
{
    for (int i = 0; i <= o->nops; i++)
        tree_free(&o->states[i]);
    free(o->states);
    free(o->seq_before);
    free(o->seq_after);
    memset(o, 0, sizeof *o);
}

int oplog_states_for(const struct oplog *o, uint32_t seq, int out[2])
{
    /* the last op that began before seq committed */
    int j = -1;
    for (int i = 0; i < o->nops; i++)
        if ((int32_t)(o->seq_before[i] - seq) < 0)
            j = i;
    if (j < 0) {
        out[0] = 0;
        return 1;
    }
    if ((int32_t)(seq - o->seq_after[j]) <= 0) {
        out[0] = j;                     /* committed during op j: before it or after it */
        out[1] = j + 1;
        return 2;
    }
    out[0] = j + 1;                     /* between op j and the next */
    return 1;
}
