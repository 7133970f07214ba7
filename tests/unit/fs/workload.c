/* The crash harness's workload (workload.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdarg.h>
#include "workload.h"
#include "fsmodel.h"
#include "fshost.h"
#include "fs/fs.h"

struct wl {
    struct fs *fs;
    struct model m;
    char *log;
    size_t len, cap;
    uint64_t rng;
    struct inode *h[MODEL_HANDLES];
    uint32_t bs;
    int next_name;
    uint8_t *buf;
    int err;
};

static uint32_t rnd(struct wl *w, uint32_t n)
{
    return n ? rnd_next(&w->rng) % n : 0;
}

static uint32_t durable(struct wl *w)
{
    struct klos_statfs st;
    fs_statfs(w->fs, &st);
    return st.f_seq;
}

/* one op-log line; the model follows */
static void emit(struct wl *w, uint32_t before, const char *fmt, ...)
{
    char op[1100];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(op, sizeof op, fmt, ap);
    va_end(ap);
    char line[1200];
    int n = snprintf(line, sizeof line, "OP %u %u %s\n", before, durable(w), op);
    if (w->len + (size_t)n + 1 > w->cap) {
        w->cap = w->cap ? 2 * w->cap : 65536;
        w->log = realloc(w->log, w->cap);
    }
    memcpy(w->log + w->len, line, (size_t)n + 1);
    w->len += (size_t)n;
    if (model_apply(&w->m, op) < 0) {
        fprintf(stderr, "workload: model refused: %s\n", op);
        w->err = 1;
    }
}

static void fail(struct wl *w, const char *what, const char *path, int r)
{
    fprintf(stderr, "workload: %s %s: %d\n", what, path, r);
    w->err = 1;
}

/* a random existing file or directory (dir: 1) from the model, or 0 */
static const char *pick(struct wl *w, int dir)
{
    int n = 0;
    for (int i = 0; i < w->m.nnames; i++)
        n += w->m.names[i].dir == dir;
    if (!n)
        return 0;
    int k = (int)rnd(w, (uint32_t)n);
    for (int i = 0; i < w->m.nnames; i++)
        if (w->m.names[i].dir == dir && k-- == 0)
            return w->m.names[i].path;
    return 0;
}

static int is_empty_dir(struct wl *w, const char *d)
{
    size_t l = strlen(d);
    for (int i = 0; i < w->m.nnames; i++)
        if (!strncmp(w->m.names[i].path, d, l) && w->m.names[i].path[l] == '/')
            return 0;
    return 1;
}

static void new_path(struct wl *w, char *out, size_t n, const char *prefix)
{
    const char *d = rnd(w, 3) ? pick(w, 1) : 0;
    snprintf(out, n, "%s/%s%d", d ? d : "", prefix, w->next_name++);
}

static int open_h(struct wl *w)
{
    for (int i = 0; i < MODEL_HANDLES; i++)
        if (!w->h[i])
            return i;
    return -1;
}

static uint64_t used(struct wl *w)
{
    uint64_t t = 0;
    for (int i = 0; i < w->m.nobjs; i++)
        t += w->m.objs[i].len;
    return t;
}

static void do_write(struct wl *w, struct inode *ip, int h, const char *path, uint64_t size)
{
    uint64_t off;
    uint32_t r = rnd(w, 10);
    if (r < 4)
        off = size;                                     /* append */
    else if (r < 8)
        off = size ? rnd(w, (uint32_t)size) : 0;        /* overwrite inside */
    else
        off = size + rnd(w, 3 * w->bs);                 /* past the end: a hole */
    uint32_t len = rnd(w, 4) ? 1 + rnd(w, 3000) : 1 + rnd(w, 15 * w->bs - (uint32_t)(off % w->bs));
    uint32_t seed = rnd_next(&w->rng);
    for (uint32_t i = 0; i < len; i++)
        w->buf[i] = model_byte(seed, i);
    uint32_t before = durable(w);
    int got = fs_write(ip, off, w->buf, len);
    if (got != (int)len) {
        fail(w, "write", path, got);
        return;
    }
    if (h >= 0)
        emit(w, before, "hwrite %d %llu %u %u", h, (unsigned long long)off, len, seed);
    else
        emit(w, before, "write %s %llu %u %u", path, (unsigned long long)off, len, seed);
}

static void one_op(struct wl *w)
{
    char p[600], q[600];
    const char *f = pick(w, 0), *d;
    uint32_t before = durable(w), k = rnd(w, 100);
    struct inode *ip;
    int r;
    if (used(w) > 1200000 && f && k < 40)
        k = 50;                         /* keep within the image: unlink instead */
    if (k < 14 || !f) {                 /* create */
        new_path(w, p, sizeof p, "f");
        if ((r = fs_open(w->fs, 0, p, O_WRONLY | O_CREAT | O_TRUNC, 0644, &ip)) < 0)
            return fail(w, "create", p, r);
        fs_iput(ip);
        emit(w, before, "create %s", p);
    } else if (k < 40) {                /* write */
        if ((r = fs_open(w->fs, 0, f, O_WRONLY, 0, &ip)) < 0)
            return fail(w, "open", f, r);
        do_write(w, ip, -1, f, model_size(&w->m, f));
        fs_iput(ip);
    } else if (k < 46) {                /* truncate */
        uint64_t size = model_size(&w->m, f), ns = rnd(w, (uint32_t)size + 2 * w->bs);
        if ((r = fs_open(w->fs, 0, f, O_WRONLY, 0, &ip)) < 0)
            return fail(w, "open", f, r);
        if ((r = fs_truncate(ip, ns)) < 0)
            return fail(w, "truncate", f, r);
        fs_iput(ip);
        emit(w, before, "trunc %s %llu", f, (unsigned long long)ns);
    } else if (k < 54) {                /* rename a file: to a new name, or over another */
        const char *g = pick(w, 0);
        int same = g && w->m.names[model_find(&w->m, g)].obj == w->m.names[model_find(&w->m, f)].obj;
        if (g && !same && rnd(w, 2))
            snprintf(q, sizeof q, "%s", g);
        else
            new_path(w, q, sizeof q, "r");
        snprintf(p, sizeof p, "%s", f);
        if ((r = fs_rename(w->fs, 0, p, q)) < 0)
            return fail(w, "rename", p, r);
        emit(w, before, "rename %s %s", p, q);
    } else if (k < 62) {                /* unlink */
        snprintf(p, sizeof p, "%s", f);
        if ((r = fs_unlink(w->fs, 0, p)) < 0)
            return fail(w, "unlink", p, r);
        emit(w, before, "unlink %s", p);
    } else if (k < 66) {                /* mkdir */
        new_path(w, p, sizeof p, "d");
        if ((r = fs_mkdir(w->fs, 0, p, 0755)) < 0)
            return fail(w, "mkdir", p, r);
        emit(w, before, "mkdir %s", p);
    } else if (k < 69) {                /* rmdir an empty one, or rename a directory */
        if (!(d = pick(w, 1)))
            return;
        snprintf(p, sizeof p, "%s", d);
        if (is_empty_dir(w, p) && rnd(w, 2)) {
            if ((r = fs_rmdir(w->fs, 0, p)) < 0)
                return fail(w, "rmdir", p, r);
            emit(w, before, "rmdir %s", p);
        } else {
            snprintf(q, sizeof q, "/D%d", w->next_name++);
            if ((r = fs_rename(w->fs, 0, p, q)) < 0)
                return fail(w, "rename dir", p, r);
            emit(w, before, "rename %s %s", p, q);
        }
    } else if (k < 72) {                /* a hard link */
        new_path(w, q, sizeof q, "l");
        if ((r = fs_link(w->fs, 0, f, q)) < 0)
            return fail(w, "link", f, r);
        emit(w, before, "link %s %s", f, q);
    } else if (k < 82) {                /* open handles: open, write through, unlink while open, close */
        int h = open_h(w), busy = -1;
        for (int i = 0; i < MODEL_HANDLES; i++)
            if (w->h[i] && rnd(w, 2))
                busy = i;
        if (busy >= 0 && rnd(w, 3)) {
            do_write(w, w->h[busy], busy, "(handle)", w->m.objs[w->m.handle[busy]].len);
        } else if (busy >= 0) {
            fs_iput(w->h[busy]);
            w->h[busy] = 0;
            emit(w, before, "close %d", busy);
        } else if (h >= 0) {
            if ((r = fs_open(w->fs, 0, f, O_RDWR, 0, &w->h[h])) < 0)
                return fail(w, "open", f, r);
            emit(w, before, "open %d %s", h, f);
            if (rnd(w, 2)) {
                snprintf(p, sizeof p, "%s", f);
                before = durable(w);
                if ((r = fs_unlink(w->fs, 0, p)) < 0)
                    return fail(w, "unlink open", p, r);
                emit(w, before, "unlink %s", p);
            }
        }
    } else if (k < 94) {                /* fsync */
        if ((r = fs_commit(w->fs)) < 0)
            return fail(w, "fsync", "", r);
        emit(w, before, "fsync");
    } else {                            /* a big file in several writes, unlinked later */
        new_path(w, p, sizeof p, "big");
        if ((r = fs_open(w->fs, 0, p, O_WRONLY | O_CREAT, 0644, &ip)) < 0)
            return fail(w, "create", p, r);
        emit(w, before, "create %s", p);
        for (int i = 0; i < 12; i++) {
            uint32_t len = 15 * w->bs, seed = rnd_next(&w->rng);
            uint64_t off = model_size(&w->m, p);
            for (uint32_t j = 0; j < len; j++)
                w->buf[j] = model_byte(seed, j);
            before = durable(w);
            if ((r = fs_write(ip, off, w->buf, len)) != (int)len)
                return fail(w, "big write", p, r);
            emit(w, before, "write %s %llu %u %u", p, (unsigned long long)off, len, seed);
        }
        fs_iput(ip);
    }
}

int workload_run(struct fs *fs, const struct tree *initial, uint64_t seed, int nops, char **oplog)
{
    struct wl w;
    memset(&w, 0, sizeof w);
    w.fs = fs;
    w.rng = seed * 0x9E3779B97F4A7C15ull + 1;
    struct klos_statfs st;
    fs_statfs(fs, &st);
    w.bs = st.f_bsize;
    w.buf = malloc(16 * w.bs);
    model_init(&w.m, initial);
    for (int i = 0; i < nops && !w.err; i++)
        one_op(&w);
    for (int i = 0; i < MODEL_HANDLES; i++)
        if (w.h[i]) {
            uint32_t before = durable(&w);
            fs_iput(w.h[i]);
            emit(&w, before, "close %d", i);
        }
    if (!w.err) {
        uint32_t before = durable(&w);
        fs_commit(fs);
        emit(&w, before, "fsync");
    }
    model_free(&w.m);
    free(w.buf);
    *oplog = w.log ? w.log : strdup("");
    return w.err ? -1 : 0;
}
