/* The file system core: ext2 revision 1 with an ext3 journal in
 * data=journal mode (docs/DESIGN.md §13), the format Linux's e2fsprogs make and
 * check.  Portable C: the OS links it (os/fs/), the host tests it against
 * mke2fs, e2fsck and debugfs (tests/unit/test_fs_*.c).
 *
 * How the OS uses it:
 *   - one sleep lock around every call: the core assumes one caller at a
 *     time (a disk driver may block the caller inside a call);
 *   - the environment in fsenv.h (pages, clock, console, app copies);
 *   - fs_mount(dev, 0, cache_kib, &fs) once the disk driver registered dev
 *     (dev is the partition: block 0 of the fs is its sector 0); cache_kib
 *     sizes the block cache (at least 256 KiB; it holds the running
 *     transaction too);
 *   - fs_commit(fs) from a periodic timer thread (every few seconds): it
 *     makes the running transaction durable (a no-op when nothing changed);
 *   - fs_umount(fs) at shutdown (-EBUSY while inodes are referenced).
 *
 * Inodes are handles with reference counts: fs_open and fs_lookup return a
 * referenced inode (an open file, a process's cwd), fs_iput drops it; an
 * unlinked inode lives until its last fs_iput.  Paths are resolved from
 * the cwd given (the root for an absolute path or a null cwd).  Every call
 * returns 0 or a count, or a negative errno (include/klos_errno.h).  Data
 * moves through fs_copy_out/fs_copy_in (fsenv.h): buf may be an app's.
 *
 * Sizes: the inode cache holds NINODE (256) inodes, open or cached; more
 * open at once gives -ENFILE.  The name cache has 512 slots.  Static data
 * about 80 KiB; per mount one page for struct fs, one for the descriptor
 * pointers, four for the journal, and the block cache (cache_kib plus ~1 %
 * for headers and hash).  Stack: at most ~1.2 KiB of the core's own frames
 * on its deepest path (fs_rename), plus the driver's and fs_log's; no
 * recursion, no block-sized locals.
 *
 * The OS's glue: os/fs/root.c (which disk, the commit every 5 s, umount) and
 * os/svc/sys_fs.c (descriptors and the services, one sleep lock). */
#ifndef FS_H
#define FS_H
#include <stdint.h>
#include "klos_fs.h"

struct blkdev;
struct fs;
struct inode;

#define FS_MOUNT_RDONLY 1

int fs_mount(struct blkdev *dev, int flags, uint32_t cache_kib, struct fs **out);
int fs_umount(struct fs *fs);
int fs_commit(struct fs *fs);           /* durable when it returns 0 */
int fs_pending(struct fs *fs);          /* changes not yet committed: a commit is due */
int fs_statfs(struct fs *fs, struct klos_statfs *st);
struct inode *fs_root(struct fs *fs);   /* a new reference to the root directory */

/* open: O_RDONLY/O_WRONLY/O_RDWR, O_CREAT (mode & 07777), O_EXCL, O_TRUNC,
 * O_DIRECTORY; O_APPEND is the fd layer's (write at fs_size).  A directory
 * opens only for reading. */
int fs_open(struct fs *fs, struct inode *cwd, const char *path, int flags, uint32_t mode,
            struct inode **out);
int fs_lookup(struct fs *fs, struct inode *cwd, const char *path, struct inode **out);
void fs_iref(struct inode *ip);
int fs_iput(struct inode *ip);          /* the last one of an unlinked inode frees it */

int fs_read(struct inode *ip, uint64_t off, void *buf, uint32_t n);        /* bytes read, 0 at EOF */
int fs_write(struct inode *ip, uint64_t off, const void *buf, uint32_t n); /* bytes written */
int fs_truncate(struct inode *ip, uint64_t size);
int fs_fsync(struct inode *ip);         /* durable when it returns 0 */
int fs_fstat(struct inode *ip, struct klos_stat *st);
uint64_t fs_size(struct inode *ip);
int fs_isdir(struct inode *ip);
uint32_t fs_ino(struct inode *ip);

/* getdents: fills buf with struct klos_dirent records from *cookie on
 * (0 = the start), returns the bytes filled (0 at the end) and advances
 * *cookie; -EINVAL when the next entry does not fit in n. */
int fs_getdents(struct inode *dp, uint32_t *cookie, void *buf, uint32_t n);

int fs_stat(struct fs *fs, struct inode *cwd, const char *path, struct klos_stat *st);
int fs_mkdir(struct fs *fs, struct inode *cwd, const char *path, uint32_t mode);
int fs_rmdir(struct fs *fs, struct inode *cwd, const char *path);
int fs_unlink(struct fs *fs, struct inode *cwd, const char *path);
int fs_link(struct fs *fs, struct inode *cwd, const char *old, const char *new_);
int fs_rename(struct fs *fs, struct inode *cwd, const char *from, const char *to);
/* The absolute path of directory dp into buf (NUL-terminated), for getcwd. */
int fs_getcwd(struct inode *dp, char *buf, uint32_t n);
#endif
