/* File services: descriptors, the open-file table, and every call into the
 * file system core (os/fs/) under fslock.
 *
 * fds 0-2 are the console (sys_io.c); fds 3..NOFILE-1 of a process name
 * entries of the OS's open-file table.  Every app pointer and length is
 * checked before use (uptr_ok, overflow-safe); a path is copied in whole --
 * at most KLOS_PATH_MAX bytes with its NUL, else ENAMETOOLONG -- before the
 * core sees it; file data moves between the core's buffers and the app's
 * through fs_copy_in/out (fsenv_os.c), which check the app's pages.
 *
 * A process that ends leaves its files and its cwd to process 0, which
 * closes them where waiting for the disk is allowed (files_taken, closes). */
#include "os.h"
#include "svc_os.h"
#include "klos_fs.h"
#include "machine.h"
#include "mm/frame.h"
#include "sched/proc.h"
#include "sched/sched.h"
#include "proc/uptr.h"
#include "proc/module.h"
#include "proc/spawn.h"
#include "proc/exit.h"
#include "proc/sleeplock.h"
#include "fs/fs.h"
#include "fs/root.h"
#include "svc/files.h"

#define NFILE 128                       /* open files in the whole OS */
#define PROGRAM_MAX (4u << 20)          /* a program read from the disk */

struct ofile {
    int refs;                           /* 0: free */
    struct inode *ip;
    uint64_t off;                       /* a directory's: the getdents cookie */
    int flags;                          /* open's O_* */
};

static struct ofile ofiles[NFILE];
static char path[2][KLOS_PATH_MAX];     /* the paths copied in: fslock's */
static struct ofile *gone[NFILE];       /* left by ended processes: to close */
static struct inode *gone_cwd[NPROC];
static int ngone, ngone_cwd;
static void closes(void);

/* ---- entering and leaving the core ---------------------------------------- */
/* Every entry first closes what ended processes left: so the lists never
 * hold more than one process table's worth (a cwd is only had by chdir and
 * spawn, which enter first). */
static int enter(void)
{
    if (!rootfs)
        return -ENODEV;
    sleep_lock(&fslock);
    if (ngone || ngone_cwd)
        closes();
    return 0;
}

static int leave(int r)
{
    sleep_unlock(&fslock);
    root_changed();
    if (cur->doom || cur->leader->doom)
        proc_end_doomed();              /* ended meanwhile: ends now */
    return r;
}

/* The app's string at up, NUL included, into buf (KLOS_PATH_MAX): in pieces
 * of at most PATH_PIECE bytes, none crossing a page, so a short path costs
 * one short copy and nothing past its NUL's page is touched. */
#define PATH_PIECE 64

static int copy_path(char *buf, const char *up)
{
    uint32_t a = (uint32_t)up;
    for (uint32_t done = 0; done < KLOS_PATH_MAX;) {
        uint32_t n = 4096 - ((a + done) & 0xFFF);
        if (n > PATH_PIECE)
            n = PATH_PIECE;
        if (n > KLOS_PATH_MAX - done)
            n = KLOS_PATH_MAX - done;
        if (!uptr_ok(a + done, n) || copy_from_app(cur, buf + done, a + done, n) < 0)
            return -EFAULT;
        for (uint32_t i = 0; i < n; i++)
            if (!buf[done + i])
                return 0;
        done += n;
    }
    return -ENAMETOOLONG;
}

static struct inode *cwd(void)
{
    return cur->leader->cwd;
}

static struct ofile *fdget(int fd)
{
    return fd >= 3 && fd < NOFILE ? cur->leader->ofile[fd] : 0;
}

static int writable(struct ofile *f)
{
    return (f->flags & O_ACCMODE) == O_WRONLY || (f->flags & O_ACCMODE) == O_RDWR;
}

static int readable(struct ofile *f)
{
    return (f->flags & O_ACCMODE) == O_RDONLY || (f->flags & O_ACCMODE) == O_RDWR;
}

/* A call on fd with an app buffer: the buffer checked, fslock taken, *f the
 * open file (0 if fd names none).  0, or the error to return (the lock is
 * not held then). */
static int enter_fd(int fd, const void *buf, int len, struct ofile **f)
{
    if (len < 0)
        return -EINVAL;
    if (!uptr_ok((uint32_t)buf, len))
        return -EFAULT;
    if (enter() < 0)
        return -EBADF;
    *f = fdget(fd);
    return 0;
}

/* ---- open and close ------------------------------------------------------- */
int sys_open(const char *upath, int flags, int mode)
{
    if ((flags & O_ACCMODE) == O_ACCMODE)
        return -EINVAL;
    int r = enter(), fd = 3;
    if (r < 0)
        return r;
    if ((r = copy_path(path[0], upath)) < 0)
        return leave(r);
    while (fd < NOFILE && cur->leader->ofile[fd])
        fd++;
    struct ofile *f = ofiles;
    while (f < ofiles + NFILE && f->refs)
        f++;
    if (fd == NOFILE || f == ofiles + NFILE)
        return leave(fd == NOFILE ? -EMFILE : -ENFILE);
    struct inode *ip;
    if ((r = fs_open(rootfs, cwd(), path[0], flags & ~O_APPEND, mode & 07777, &ip)) < 0)
        return leave(r);
    *f = (struct ofile){ 1, ip, 0, flags };
    cur->leader->ofile[fd] = f;
    return leave(fd);
}

static void close_file(struct ofile *f)
{
    if (--f->refs == 0)
        fs_iput(f->ip);
}

int sys_close(int fd)
{
    if (fd >= 0 && fd < 3)
        return 0;                       /* the console stays */
    int r = enter();
    if (r < 0)
        return -EBADF;
    struct ofile *f = fdget(fd);
    if (!f)
        return leave(-EBADF);
    cur->leader->ofile[fd] = 0;
    close_file(f);
    return leave(0);
}

/* ---- read, write, seek (sys_io.c hands fds 3 and up here) ------------------- */
int file_read(int fd, void *buf, int len)
{
    struct ofile *f;
    int r = enter_fd(fd, buf, len, &f);
    if (r < 0)
        return r;
    if (!f || !readable(f))
        return leave(-EBADF);
    if (fs_isdir(f->ip))
        return leave(-EISDIR);
    r = fs_read(f->ip, f->off, buf, len);
    if (r > 0)
        f->off += r;
    return leave(r);
}

int file_write(int fd, const void *buf, int len)
{
    struct ofile *f;
    int r = enter_fd(fd, buf, len, &f);
    if (r < 0)
        return r;
    if (!f || !writable(f))
        return leave(-EBADF);
    if (f->flags & O_APPEND)
        f->off = fs_size(f->ip);
    r = fs_write(f->ip, f->off, buf, len);
    if (r > 0)
        f->off += r;
    return leave(r);
}

int sys_lseek(int fd, int off, int whence)
{
    int r = enter();
    if (r < 0)
        return -EBADF;
    struct ofile *f = fdget(fd);
    if (!f)
        return leave(-EBADF);
    int64_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? (int64_t)f->off
                 : whence == SEEK_END ? (int64_t)fs_size(f->ip) : -1;
    int64_t to = base + off;
    if (base < 0 || to < 0 || (fs_isdir(f->ip) && to != 0))
        return leave(-EINVAL);              /* a directory rewinds only */
    if (to > 0x7FFFFFFF)
        return leave(-EOVERFLOW);           /* the service's result is an int */
    f->off = to;
    return leave((int)to);
}

int sys_ftruncate(int fd, int len)
{
    if (len < 0)
        return -EINVAL;
    int r = enter();
    if (r < 0)
        return -EBADF;
    struct ofile *f = fdget(fd);
    if (!f || !writable(f))
        return leave(-EBADF);
    return leave(fs_truncate(f->ip, (uint64_t)len));
}

int sys_fsync(int fd)
{
    int r = enter();
    if (r < 0)
        return -EBADF;
    struct ofile *f = fdget(fd);
    return leave(f ? fs_fsync(f->ip) : -EBADF);
}

/* ---- metadata ------------------------------------------------------------- */
static int put_stat(void *ust, const struct klos_stat *st)
{
    return copy_to_app(cur, (uint32_t)ust, st, sizeof *st) < 0 ? -EFAULT : 0;
}

int sys_fstat(int fd, void *ust)
{
    struct klos_stat st;
    if (!uptr_ok((uint32_t)ust, sizeof st))
        return -EFAULT;
    int r = enter();
    if (r < 0)
        return -EBADF;
    struct ofile *f = fdget(fd);
    r = f ? fs_fstat(f->ip, &st) : -EBADF;
    r = leave(r);
    return r < 0 ? r : put_stat(ust, &st);
}

int sys_stat(const char *upath, void *ust)
{
    struct klos_stat st;
    if (!uptr_ok((uint32_t)ust, sizeof st))
        return -EFAULT;
    int r = enter();
    if (r < 0)
        return r;
    if ((r = copy_path(path[0], upath)) == 0)
        r = fs_stat(rootfs, cwd(), path[0], &st);
    r = leave(r);
    return r < 0 ? r : put_stat(ust, &st);
}

int sys_statfs(void *ust)
{
    struct klos_statfs st;
    if (!uptr_ok((uint32_t)ust, sizeof st))
        return -EFAULT;
    int r = enter();
    if (r < 0)
        return r;
    r = leave(fs_statfs(rootfs, &st));
    return r < 0 ? r : copy_to_app(cur, (uint32_t)ust, &st, sizeof st) < 0 ? -EFAULT : 0;
}

int sys_getdents(int fd, void *buf, int len)
{
    struct ofile *f;
    int r = enter_fd(fd, buf, len, &f);
    if (r < 0)
        return r;
    if (!f || !fs_isdir(f->ip))
        return leave(f ? -ENOTDIR : -EBADF);
    uint32_t cookie = f->off;
    r = fs_getdents(f->ip, &cookie, buf, len);
    if (r >= 0)
        f->off = cookie;
    return leave(r);
}

/* ---- names ---------------------------------------------------------------- */
static int one_path(const char *upath, int (*op)(struct fs *, struct inode *, const char *))
{
    int r = enter();
    if (r < 0)
        return r;
    if ((r = copy_path(path[0], upath)) == 0)
        r = op(rootfs, cwd(), path[0]);
    return leave(r);
}

int sys_unlink(const char *upath)
{
    return one_path(upath, fs_unlink);
}

int sys_rmdir(const char *upath)
{
    return one_path(upath, fs_rmdir);
}

int sys_mkdir(const char *upath, int mode)
{
    int r = enter();
    if (r < 0)
        return r;
    if ((r = copy_path(path[0], upath)) == 0)
        r = fs_mkdir(rootfs, cwd(), path[0], mode & 07777);
    return leave(r);
}

int sys_rename(const char *ufrom, const char *uto)
{
    int r = enter();
    if (r < 0)
        return r;
    if ((r = copy_path(path[0], ufrom)) == 0 && (r = copy_path(path[1], uto)) == 0)
        r = fs_rename(rootfs, cwd(), path[0], path[1]);
    return leave(r);
}

int sys_chdir(const char *upath)
{
    int r = enter();
    if (r < 0)
        return r;
    struct inode *ip;
    if ((r = copy_path(path[0], upath)) == 0 && (r = fs_lookup(rootfs, cwd(), path[0], &ip)) == 0) {
        if (!fs_isdir(ip)) {
            fs_iput(ip);
            r = -ENOTDIR;
        } else {
            if (cwd())
                fs_iput(cwd());
            cur->leader->cwd = ip;
        }
    }
    return leave(r);
}

int sys_getcwd(char *buf, int len)
{
    if (len <= 0 || !uptr_ok((uint32_t)buf, len))
        return -EFAULT;
    int r = enter();
    if (r < 0)
        return r;
    struct inode *dp = cwd() ? cwd() : fs_root(rootfs);
    r = fs_getcwd(dp, path[0], KLOS_PATH_MAX);
    if (!cwd())
        fs_iput(dp);
    int n = r < 0 ? 0 : (int)strlen(path[0]) + 1;
    if (r >= 0 && n > len)
        r = -ERANGE;
    if (r >= 0 && copy_to_app(cur, (uint32_t)buf, path[0], n) < 0)
        r = -EFAULT;
    return leave(r < 0 ? r : n - 1);
}

/* ---- programs from the disk ------------------------------------------------ */
/* The program at upath (or, a bare name, /bin/NAME) read whole into
 * consecutive frames and handed to the ELF loader as a GRUB module is. */
int file_spawn(const char *upath, const char *args, struct proc *parent)
{
    int r = enter();
    if (r < 0)
        return -ENOENT;
    if ((r = copy_path(path[1], upath)) < 0)
        return leave(r);
    snformat(path[0], KLOS_PATH_MAX, strchr(path[1], '/') ? "%s" : "/bin/%s", path[1]);
    struct inode *ip;
    if ((r = fs_open(rootfs, cwd(), path[0], O_RDONLY, 0, &ip)) < 0)
        return leave(r);
    uint64_t size = fs_size(ip);
    uint32_t pages = (size + 4095) / 4096, pa = 0;
    if (fs_isdir(ip))
        r = -EISDIR;
    else if (size == 0 || size > PROGRAM_MAX)
        r = -ENOEXEC;
    else if (!(pa = frame_alloc_run(pages)))
        r = -ENOMEM;
    else if ((r = fs_read(ip, 0, P2V(pa), size)) >= 0 && (uint64_t)r != size)
        r = -EIO;
    fs_iput(ip);
    struct module m = { "", pa, pa + (uint32_t)size };
    const char *base = path[0];
    for (const char *q = path[0]; *q; q++)
        if (*q == '/')
            base = q + 1;
    strncpy(m.name, base, sizeof m.name - 1);
    r = leave(r);
    if (r >= 0)
        r = proc_spawn(&m, args, parent);
    for (uint32_t i = 0; pa && i < pages; i++)
        frame_free(pa + i * 4096);
    return r;
}

/* A new process starts in its parent's directory. */
void file_inherit(struct proc *child, struct proc *parent)
{
    if (!parent->cwd || enter() < 0)
        return;
    fs_iref(parent->cwd);
    child->cwd = parent->cwd;
    leave(0);
}

/* ---- processes that end ----------------------------------------------------- */
/* Called from proc_exit, maybe inside an event handler: nothing here waits. */
static void files_taken(struct proc *l)
{
    for (int fd = 3; fd < NOFILE; fd++)
        if (l->ofile[fd]) {
            gone[ngone++] = l->ofile[fd];       /* at most NFILE: each is one table's */
            l->ofile[fd] = 0;
        }
    if (l->cwd) {
        gone_cwd[ngone_cwd++] = l->cwd;         /* at most NPROC: see enter */
        l->cwd = 0;
    }
    if (ngone || ngone_cwd)
        sched_timeout(&procs[0], 1);            /* process 0 closes them */
}

static void closes(void)
{
    while (ngone)
        close_file(gone[--ngone]);
    while (ngone_cwd)
        fs_iput(gone_cwd[--ngone_cwd]);
}

void files_init(void)
{
    exit_set_files_hook(files_taken);
    root_init();
}

void files_background(void)
{
    root_background(closes);
}

void files_shutdown(void)
{
    root_shutdown(closes);
}
