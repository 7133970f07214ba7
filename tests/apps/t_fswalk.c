/* t_fswalk: reads everything a (maybe corrupt) disk holds and tries one
 * change, for the bad-input boots of tests/boot/files.py (files-bad-*).
 * Walks the tree from /, reads every file to its end, then creates, writes
 * and fsyncs /walk-new.  Every error is one line "fswalk: PATH: error -N";
 * the last line counts: "fswalk: done dirs=D files=F errors=E write=W".
 * Errors are what these boots expect (EIO, EUCLEAN, ENOENT with no file
 * system); what they must never see is a fault or a hang. */
#include "user.h"

static char buf[8192];
static int dirs, files, errors;

static void err(const char *path, int e)
{
    if (errors++ < 20)
        printf("fswalk: %s: error %d\n", path, e);
}

static void walk(const char *dir, int depth)
{
    static char names[64][64];
    int fd = open(dir, O_RDONLY | O_DIRECTORY), n, count = 0;
    if (fd < 0) {
        err(dir, fd);
        return;
    }
    dirs++;
    /* the names first (fds stay few), then each in turn */
    while ((n = getdents(fd, buf, sizeof buf)) > 0)
        for (int o = 0; o < n && count < 64;) {
            struct klos_dirent *d = (struct klos_dirent *)(buf + o);
            o += d->d_reclen ? d->d_reclen : n;
            if (strcmp(d->d_name, ".") && strcmp(d->d_name, "..") && strlen(d->d_name) < 60)
                memcpy(names[count++], d->d_name, strlen(d->d_name) + 1);
        }
    if (n < 0)
        err(dir, n);
    close(fd);
    char (*mine)[64] = malloc(count * 64 + 1);
    memcpy(mine, names, count * 64);
    for (int i = 0; i < count; i++) {
        char path[512];
        struct klos_stat st;
        snprintf(path, sizeof path, "%s/%s", strcmp(dir, "/") ? dir : "", mine[i]);
        int r = stat(path, &st);
        if (r < 0) {
            err(path, r);
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            if (depth < 8)
                walk(path, depth + 1);
            continue;
        }
        if (!S_ISREG(st.st_mode))
            continue;
        files++;
        if ((fd = open(path, O_RDONLY)) < 0) {
            err(path, fd);
            continue;
        }
        while ((r = read(fd, buf, sizeof buf)) > 0)
            ;
        if (r < 0)
            err(path, r);
        close(fd);
    }
    free(mine);
}

int main(void)
{
    walk("/", 0);
    int fd = open("/walk-new", O_WRONLY | O_CREAT | O_TRUNC, 0644), w = fd;
    if (fd >= 0) {
        memset(buf, 'k', sizeof buf);
        w = write(fd, buf, sizeof buf);
        int s = fsync(fd);
        if (w >= 0 && s < 0)
            w = s;
        close(fd);
    }
    if (w < 0)
        err("/walk-new", w);
    printf("fswalk: done dirs=%d files=%d errors=%d write=%d\n", dirs, files, errors, w);
    return 0;
}
