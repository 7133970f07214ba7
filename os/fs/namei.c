/* Paths and the operations on names.  A path is resolved component by
 * component from the root (absolute, or no cwd) or the caller's cwd; "."
 * stays, ".." follows the directory's ".." entry and stays at the root;
 * a component is at most KLOS_NAME_MAX bytes and a path shorter than
 * KLOS_PATH_MAX (else -ENAMETOOLONG).  Names are the bytes between slashes,
 * so one holding '/' or NUL cannot be made.  Each operation that changes
 * names is one handle: create, unlink, mkdir, rmdir, link and rename are
 * atomic; an inode that loses its last link while referenced goes on the
 * orphan list in the same handle. */
#include "fsint.h"

#define MAX_DEPTH 4096          /* ".." steps when checking a rename's target */

static int is_dots(const char *n, uint32_t len)
{
    return (len == 1 && n[0] == '.') || (len == 2 && n[0] == '.' && n[1] == '.');
}

/* The inode a directory entry names, referenced, checked: not a reserved
 * inode (the journal!), not a free one. */
static int lookup_existing(struct fs *fs, uint32_t ino, struct inode **out)
{
    if (ino < fs->first_ino && ino != EXT2_ROOT_INO)
        return fs_corrupt(fs, "directory entry names a reserved inode", 0, ino);
    int r = iget(fs, ino, out);
    if (r < 0)
        return r;
    struct inode *ip = *out;
    if (ip->d.i_mode == 0 || (ip->d.i_links_count == 0 && !(ip->flags & I_ORPHAN))) {
        iput(ip);
        return fs_corrupt(fs, "directory entry names a free inode", 0, ino);
    }
    return 0;
}

/* The inode number of a name in dp: the name cache, else a scan. */
static int name_ino(struct inode *dp, const char *name, uint32_t len, uint32_t *ino)
{
    struct dirloc loc;
    if (dc_lookup(dp, name, len, ino))
        return 0;
    int r = dir_find(dp, name, len, &loc);
    if (r == 0) {
        *ino = loc.ino;
        dc_add(dp, name, len, loc.ino);
    }
    return r;
}

/* One component of dp (a directory, referenced) as a referenced inode. */
static int lookup_one(struct inode *dp, const char *name, uint32_t len, struct inode **out)
{
    uint32_t ino;
    if (!S_ISDIR(dp->d.i_mode))
        return -ENOTDIR;
    if ((len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.' &&
                                         dp->ino == EXT2_ROOT_INO)) {
        iref(dp);
        *out = dp;
        return 0;
    }
    if (len > KLOS_NAME_MAX)
        return -ENAMETOOLONG;
    if (dp->d.i_links_count == 0)
        return -ENOENT;                 /* removed, still someone's cwd */
    int r = name_ino(dp, name, len, &ino);
    return r < 0 ? r : lookup_existing(dp->fs, ino, out);
}

struct walk {
    struct inode *ip;           /* the result (referenced) */
    const char *name;           /* parent mode: the last component, */
    uint32_t len;               /*   0 when the path has none ("/") */
    int slash;                  /* the path ends in '/' */
};

/* Resolves path; with parent, stops before the last component. */
static int walk(struct fs *fs, struct inode *cwd, const char *path, int parent, struct walk *w)
{
    uint32_t n = 0;
    while (n < KLOS_PATH_MAX && path[n])
        n++;
    if (n >= KLOS_PATH_MAX)
        return -ENAMETOOLONG;
    if (n == 0)
        return -ENOENT;
    struct inode *ip = path[0] == '/' || !cwd ? fs->root : cwd;
    if (ip->fs != fs)
        return -EXDEV;
    iref(ip);
    w->len = 0;
    w->slash = path[n - 1] == '/';
    const char *p = path;
    for (;;) {
        while (*p == '/')
            p++;
        if (!*p)
            break;
        const char *name = p;
        while (*p && *p != '/')
            p++;
        uint32_t len = (uint32_t)(p - name);
        const char *q = p;
        while (*q == '/')
            q++;
        if (len > KLOS_NAME_MAX) {
            iput(ip);
            return -ENAMETOOLONG;
        }
        if (parent && !*q) {
            w->name = name;
            w->len = len;
            break;
        }
        struct inode *next;
        int r = lookup_one(ip, name, len, &next);
        iput(ip);
        if (r < 0)
            return r;
        ip = next;
    }
    if (parent && !S_ISDIR(ip->d.i_mode)) {
        iput(ip);
        return -ENOTDIR;
    }
    w->ip = ip;
    return 0;
}

int fs_lookup(struct fs *fs, struct inode *cwd, const char *path, struct inode **out)
{
    struct walk w;
    int r = walk(fs, cwd, path, 0, &w);
    if (r < 0)
        return r;
    if (w.slash && !S_ISDIR(w.ip->d.i_mode)) {
        iput(w.ip);
        return -ENOTDIR;
    }
    *out = w.ip;
    return 0;
}

int fs_stat(struct fs *fs, struct inode *cwd, const char *path, struct klos_stat *st)
{
    struct inode *ip;
    int r = fs_lookup(fs, cwd, path, &ip);
    if (r < 0)
        return r;
    fs_fstat(ip, st);
    iput(ip);
    return 0;
}

/* A parent directory that can take a new entry. */
static int can_add(struct inode *dp)
{
    if (dp->fs->rdonly)
        return -EROFS;
    if (dp->fs->aborted)
        return -EIO;
    if (dp->d.i_links_count == 0)
        return -ENOENT;
    return 0;
}

/* Undo an inode made in this handle whose entry could not be added. */
static void unmake(struct inode *ip)
{
    uint32_t now = fs_now();
    ip->d.i_links_count = 0;
    ip->d.i_dtime = now ? now : 1;
    if (has_blockmap(ip))
        itrunc_blocks(ip, 0);
    iupdate(ip);
    ifree(ip->fs, ip->ino, S_ISDIR(ip->d.i_mode));
    ip->flags &= ~I_VALID;
}

/* A new inode of mode named name in dp, with links links; one handle. */
static int make(struct inode *dp, const char *name, uint32_t len, uint16_t mode,
                const struct dirloc *hint, struct inode **out)
{
    struct fs *fs = dp->fs;
    uint32_t ino;
    struct inode *ip = 0;
    int isdir = S_ISDIR(mode);
    int r = tx_begin(fs, CR_DIROP);
    if (r < 0)
        return r;
    if (isdir && dp->d.i_links_count >= 65000)
        r = -EMLINK;
    if (r == 0)
        r = ialloc(fs, (dp->ino - 1) / fs->ipg, isdir, &ino);
    if (r == 0 && (r = inew(fs, ino, mode, &ip)) < 0)
        ifree(fs, ino, isdir);          /* not yet in the cache: just the bit back */
    if (r == 0) {
        ip->d.i_links_count = isdir ? 2 : 1;
        if (isdir)
            r = dir_init(ip, dp->ino);
        else
            r = iupdate(ip);
        if (r == 0)
            r = dir_add(dp, name, len, ino, ft_of_mode(mode), hint);
        if (r == 0 && isdir) {
            dp->d.i_links_count++;
            r = iupdate(dp);
        }
        if (r < 0)
            unmake(ip);
        else
            dc_add(dp, name, len, ino);
    }
    r = tx_end(fs, r);
    if (r < 0 && ip) {
        iput(ip);
        ip = 0;
    }
    *out = ip;
    return r;
}

int fs_open(struct fs *fs, struct inode *cwd, const char *path, int flags, uint32_t mode,
            struct inode **out)
{
    int acc = flags & O_ACCMODE, r;
    struct inode *ip;
    if (acc == 3)
        return -EINVAL;
    int writes = acc != O_RDONLY || (flags & O_TRUNC);
    if (!(flags & O_CREAT)) {
        if ((r = fs_lookup(fs, cwd, path, &ip)) < 0)
            return r;
    } else {
        struct walk w;
        uint32_t ino;
        if ((r = walk(fs, cwd, path, 1, &w)) < 0)
            return r;
        if (w.len == 0 || is_dots(w.name, w.len) || w.slash) {
            r = w.len == 0 || is_dots(w.name, w.len) ? ((flags & O_EXCL) ? -EEXIST : -EISDIR) : -EISDIR;
            iput(w.ip);
            return r;
        }
        struct dirloc loc;
        loc.nscanned = 0xFFFFFFFFu;
        if (!w.ip->d.i_links_count)
            r = -ENOENT;
        else if (dc_lookup(w.ip, w.name, w.len, &ino))
            r = 0;
        else if ((r = dir_find(w.ip, w.name, w.len, &loc)) == 0)
            dc_add(w.ip, w.name, w.len, ino = loc.ino);
        if (r == 0) {
            iput(w.ip);
            if (flags & O_EXCL)
                return -EEXIST;
            if ((r = lookup_existing(fs, ino, &ip)) < 0)
                return r;
        } else if (r == -ENOENT) {
            if ((r = can_add(w.ip)) == 0)
                r = make(w.ip, w.name, w.len, S_IFREG | (mode & 07777), &loc, &ip);
            iput(w.ip);
            if (r < 0)
                return r;
        } else {
            iput(w.ip);
            return r;
        }
    }
    r = 0;
    if (S_ISDIR(ip->d.i_mode) && (writes || (flags & O_CREAT)))
        r = -EISDIR;
    else if ((flags & O_DIRECTORY) && !S_ISDIR(ip->d.i_mode))
        r = -ENOTDIR;
    else if (writes && fs->rdonly)
        r = -EROFS;
    else if ((flags & O_TRUNC) && S_ISREG(ip->d.i_mode) && isize_get(ip) > 0)
        r = file_truncate(ip, 0);
    if (r < 0) {
        iput(ip);
        return r;
    }
    *out = ip;
    return 0;
}

int fs_mkdir(struct fs *fs, struct inode *cwd, const char *path, uint32_t mode)
{
    struct walk w;
    struct dirloc loc;
    struct inode *ip;
    int r = walk(fs, cwd, path, 1, &w);
    if (r < 0)
        return r;
    if (w.len == 0 || is_dots(w.name, w.len))
        r = -EEXIST;
    else if ((r = can_add(w.ip)) == 0) {
        r = dir_find(w.ip, w.name, w.len, &loc);
        if (r == 0)
            r = -EEXIST;
        else if (r == -ENOENT && (r = make(w.ip, w.name, w.len, S_IFDIR | (mode & 07777), &loc, &ip)) == 0)
            iput(ip);
    }
    iput(w.ip);
    return r;
}

/* Looks up the last component for a removal: entry and inode. */
static int last_entry(struct walk *w, struct dirloc *loc, struct inode **ip)
{
    int r = can_add(w->ip);
    if (r == 0)
        r = dir_find(w->ip, w->name, w->len, loc);
    if (r == 0)
        r = lookup_existing(w->ip->fs, loc->ino, ip);
    return r;
}

/* drops one link of ip (in a handle); the last one puts it on the orphan list */
static int drop_link(struct inode *ip)
{
    if (ip->d.i_links_count)
        ip->d.i_links_count--;
    itimes(ip, 0, 1);
    if (ip->d.i_links_count)
        return iupdate(ip);
    return ifree_fits(ip) ? ifree_now(ip) : orphan_add(ip);
}

int fs_unlink(struct fs *fs, struct inode *cwd, const char *path)
{
    struct walk w;
    struct dirloc loc;
    struct inode *ip;
    int r = walk(fs, cwd, path, 1, &w);
    if (r < 0)
        return r;
    if (w.len == 0 || is_dots(w.name, w.len)) {
        iput(w.ip);
        return -EISDIR;
    }
    if ((r = last_entry(&w, &loc, &ip)) == 0) {
        if (S_ISDIR(ip->d.i_mode))
            r = -EISDIR;
        else if (w.slash)
            r = -ENOTDIR;
        else if ((r = tx_begin(fs, CR_DIROP)) == 0) {
            dc_forget(w.ip, w.name, w.len);
            r = dir_remove(w.ip, &loc);
            if (r == 0)
                r = drop_link(ip);
            r = tx_end(fs, r);
        }
        int r2 = iput(ip);
        if (r == 0)
            r = r2;
    }
    iput(w.ip);
    return r;
}

int fs_rmdir(struct fs *fs, struct inode *cwd, const char *path)
{
    struct walk w;
    struct dirloc loc;
    struct inode *ip;
    int r = walk(fs, cwd, path, 1, &w);
    if (r < 0)
        return r;
    if (w.len == 0 || is_dots(w.name, w.len)) {
        iput(w.ip);
        return w.len == 0 ? -EBUSY : w.len == 1 ? -EINVAL : -ENOTEMPTY;
    }
    if ((r = last_entry(&w, &loc, &ip)) == 0) {
        if (!S_ISDIR(ip->d.i_mode))
            r = -ENOTDIR;
        else if (ip == fs->root)
            r = -EBUSY;
        else if ((r = dir_empty(ip)) >= 0)
            r = r ? 0 : -ENOTEMPTY;
        if (r == 0 && (r = tx_begin(fs, CR_DIROP)) == 0) {
            dc_forget(w.ip, w.name, w.len);
            r = dir_remove(w.ip, &loc);
            if (r == 0) {
                if (w.ip->d.i_links_count > 2)
                    w.ip->d.i_links_count--;
                r = iupdate(w.ip);
            }
            if (r == 0) {
                ip->d.i_links_count = 1;
                r = drop_link(ip);
            }
            r = tx_end(fs, r);
        }
        int r2 = iput(ip);
        if (r == 0)
            r = r2;
    }
    iput(w.ip);
    return r;
}

int fs_link(struct fs *fs, struct inode *cwd, const char *old, const char *new_)
{
    struct inode *ip;
    struct walk w;
    struct dirloc loc;
    int r = fs_lookup(fs, cwd, old, &ip);
    if (r < 0)
        return r;
    if (S_ISDIR(ip->d.i_mode)) {
        iput(ip);
        return -EPERM;
    }
    if ((r = walk(fs, cwd, new_, 1, &w)) < 0) {
        iput(ip);
        return r;
    }
    if (w.len == 0 || is_dots(w.name, w.len))
        r = -EEXIST;
    else if ((r = can_add(w.ip)) == 0) {
        r = dir_find(w.ip, w.name, w.len, &loc);
        if (r == 0)
            r = -EEXIST;
        else if (r == -ENOENT) {
            r = ip->d.i_links_count >= 65000 ? -EMLINK : tx_begin(fs, CR_DIROP);
            if (r == 0) {
                r = dir_add(w.ip, w.name, w.len, ip->ino, ft_of_mode(ip->d.i_mode), &loc);
                if (r == 0) {
                    ip->d.i_links_count++;
                    itimes(ip, 0, 1);
                    r = iupdate(ip);
                }
                r = tx_end(fs, r);
            }
        }
    }
    iput(w.ip);
    iput(ip);
    return r;
}

/* The inode of a directory's "..". */
static int parent_of(struct inode *dp, uint32_t *ino)
{
    struct dirloc loc;
    int r = dir_find(dp, "..", 2, &loc);
    if (r == 0)
        *ino = loc.ino;
    return r == -ENOENT ? fs_corrupt(dp->fs, "directory without ..", dp->ino, 0) : r;
}

/* Is directory a (inode number) d itself or an ancestor of d? */
static int is_ancestor(struct inode *a, struct inode *d)
{
    struct fs *fs = d->fs;
    uint32_t cur = d->ino;
    for (int steps = 0; cur != EXT2_ROOT_INO; steps++) {
        struct inode *ip;
        if (cur == a->ino)
            return 1;
        if (steps > MAX_DEPTH)
            return fs_corrupt(fs, "directory loop through ..", d->ino, cur);
        int r = iget(fs, cur, &ip);
        if (r < 0)
            return r;
        r = S_ISDIR(ip->d.i_mode) ? parent_of(ip, &cur) : fs_corrupt(fs, ".. is not a directory", ip->ino, 0);
        iput(ip);
        if (r < 0)
            return r;
    }
    return a->ino == EXT2_ROOT_INO;
}

int fs_rename(struct fs *fs, struct inode *cwd, const char *from, const char *to)
{
    struct walk s, d;
    struct dirloc sloc, dloc;
    struct inode *sip = 0, *dip = 0;
    int r = walk(fs, cwd, from, 1, &s);
    if (r < 0)
        return r;
    if ((r = walk(fs, cwd, to, 1, &d)) < 0) {
        iput(s.ip);
        return r;
    }
    if (s.len == 0 || is_dots(s.name, s.len) || d.len == 0 || is_dots(d.name, d.len))
        r = s.len == 0 || d.len == 0 ? -EBUSY : -EINVAL;
    else if ((r = last_entry(&s, &sloc, &sip)) == 0 && (r = can_add(d.ip)) == 0) {
        int sdir = S_ISDIR(sip->d.i_mode);
        r = dir_find(d.ip, d.name, d.len, &dloc);
        if (r == 0 && dloc.ino == sloc.ino)
            r = 1;                      /* the same file: nothing to do */
        else if (r == 0)
            r = lookup_existing(fs, dloc.ino, &dip);
        else if (r == -ENOENT)
            r = 0;
        if (r == 0 && !sdir && (s.slash || d.slash))
            r = -ENOTDIR;
        if (r == 0 && dip) {
            if (sdir && !S_ISDIR(dip->d.i_mode))
                r = -ENOTDIR;
            else if (!sdir && S_ISDIR(dip->d.i_mode))
                r = -EISDIR;
            else if (sdir && (r = dir_empty(dip)) >= 0)
                r = r ? 0 : -ENOTEMPTY;
        }
        if (r == 0 && sdir && d.ip != s.ip && (r = is_ancestor(sip, d.ip)) > 0)
            r = -EINVAL;                /* into its own subtree */
        if (r == 0 && sdir && d.ip->d.i_links_count >= 65000 && d.ip != s.ip && !dip)
            r = -EMLINK;
        if (r == 0 && (r = tx_begin(fs, CR_RENAME)) == 0) {
            uint8_t ft = ft_of_mode(sip->d.i_mode);
            if (dip) {
                /* the one change that replaces the target */
                dc_forget(d.ip, d.name, d.len);
                r = dir_set(d.ip, &dloc, sip->ino, ft);
                if (r == 0 && S_ISDIR(dip->d.i_mode)) {
                    dip->d.i_links_count = 1;   /* its "." goes with it */
                    if (d.ip->d.i_links_count > 2)
                        d.ip->d.i_links_count--;
                }
                if (r == 0)
                    r = drop_link(dip);
            } else {
                r = dir_add(d.ip, d.name, d.len, sip->ino, ft, &dloc);
            }
            /* the source entry, found again: adding may have split its neighbour */
            dc_forget(s.ip, s.name, s.len);
            if (r == 0 && (r = dir_find(s.ip, s.name, s.len, &sloc)) == 0)
                r = dir_remove(s.ip, &sloc);
            if (r == 0 && sdir && s.ip != d.ip) {
                struct dirloc dd;
                if ((r = dir_find(sip, "..", 2, &dd)) == 0)
                    r = dir_set(sip, &dd, d.ip->ino, EXT2_FT_DIR);
                if (r == 0 && s.ip->d.i_links_count > 2)
                    s.ip->d.i_links_count--;
                d.ip->d.i_links_count++;
            }
            if (r == 0) {
                itimes(sip, 0, 1);
                r = iupdate(sip);
            }
            if (r == 0)
                r = iupdate(s.ip);
            if (r == 0)
                r = iupdate(d.ip);
            r = tx_end(fs, r);
        }
        if (r == 1)
            r = 0;
    }
    if (dip) {
        int r2 = iput(dip);
        if (r == 0)
            r = r2;
    }
    if (sip)
        iput(sip);
    iput(s.ip);
    iput(d.ip);
    return r;
}

int fs_getcwd(struct inode *dp, char *buf, uint32_t n)
{
    struct fs *fs = dp->fs;
    uint32_t pos = n, cur = dp->ino;
    int r = 0;
    if (n < 2)
        return -ERANGE;
    buf[--pos] = 0;
    struct inode *ip = dp;
    iref(ip);
    for (int steps = 0; cur != EXT2_ROOT_INO && r == 0; steps++) {
        uint32_t parent, len;
        struct inode *pp;
        if (steps > MAX_DEPTH) {
            r = fs_corrupt(fs, "directory loop through ..", dp->ino, cur);
            break;
        }
        if ((r = parent_of(ip, &parent)) < 0 || (r = iget(fs, parent, &pp)) < 0)
            break;
        len = pos > 1 ? pos - 1 : 0;
        if ((r = dir_name_of(pp, cur, buf + pos, &len)) == 0) {
            pos -= len;
            buf[--pos] = '/';
        }
        iput(ip);
        ip = pp;
        cur = parent;
    }
    iput(ip);
    if (r < 0)
        return r == -ENOENT ? -ENOENT : r;
    if (pos == n - 1)
        buf[--pos] = '/';
    memmove(buf, buf + pos, n - pos);
    return (int)(n - pos - 1);
}

struct inode *fs_root(struct fs *fs)
{
    iref(fs->root);
    return fs->root;
}
