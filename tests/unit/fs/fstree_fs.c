/* fstree.h: a mounted file system read through the KLOS API. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fstree.h"
#include "fs/fs.h"

/* a directory of the walk still to read */
struct pending { char path[1024]; };

int tree_load_fs(struct tree *t, struct fs *fs, int skip_lf)
{
    size_t cap = 64, n = 0;
    struct pending *todo = malloc(cap * sizeof *todo);
    strcpy(todo[n++].path, "");
    int err = 0;
    char *dbuf = malloc(4096);
    while (n && !err) {
        struct pending cur = todo[--n];
        struct inode *dp;
        int r = fs_lookup(fs, 0, cur.path[0] ? cur.path : "/", &dp);
        if (r < 0) {
            err = r;
            break;
        }
        uint32_t cookie = 0;
        for (;;) {
            r = fs_getdents(dp, &cookie, dbuf, 4096);
            if (r <= 0) {
                if (r < 0)
                    err = r;
                break;
            }
            for (int o = 0; o < r;) {
                struct klos_dirent *de = (struct klos_dirent *)(dbuf + o);
                o += de->d_reclen;
                if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
                    continue;
                char path[1024 + 260];
                snprintf(path, sizeof path, "%s/%s", cur.path, de->d_name);
                if (skip_lf && !strcmp(path, "/lost+found"))
                    continue;
                struct inode *ip;
                int e = fs_lookup(fs, 0, path, &ip);
                if (e < 0) {
                    err = e;
                    break;
                }
                if (de->d_type != DT_DIR && de->d_type != DT_REG) {
                    fs_iput(ip);                /* symlinks, devices: not compared */
                    continue;
                }
                if (fs_isdir(ip)) {
                    tree_add(t, path, 1, 0, 0);
                    if (n == cap)
                        todo = realloc(todo, (cap *= 2) * sizeof *todo);
                    if (strlen(path) >= sizeof todo[0].path) {
                        err = -36;
                        fs_iput(ip);
                        break;
                    }
                    strcpy(todo[n++].path, path);
                } else {
                    uint64_t size = fs_size(ip);
                    if (size > (128u << 20)) {  /* tind files on 1 KiB blocks start at 64.3 MiB */
                        /* a corrupt size: read its start, keep nothing */
                        static uint8_t chunk[65536];
                        int got = fs_read(ip, 0, chunk, sizeof chunk);
                        if (got < 0)
                            err = got;
                        fs_iput(ip);
                        continue;
                    }
                    uint8_t *data = malloc(size ? size : 1);
                    int got = size ? fs_read(ip, 0, data, (uint32_t)size) : 0;
                    if (got < 0 || (uint64_t)got != size)
                        err = got < 0 ? got : -5;
                    else
                        tree_add(t, path, 0, data, size);
                    free(data);
                }
                fs_iput(ip);
            }
            if (err)
                break;
        }
        fs_iput(dp);
    }
    free(dbuf);
    free(todo);
    tree_sort(t);
    return err;
}
