/* The file interface as apps and the OS both see it: open flags, seek
 * origins, file types, and the layouts of stat, statfs and directory entries
 * (the OS's file services fill these in; apps read them).  The flag and type
 * values are Linux's, so a reader sees the numbers they know. */
#ifndef KLOS_FS_H
#define KLOS_FS_H
#include <stdint.h>

#define KLOS_PATH_MAX   4096    /* a path, with its NUL */
#define KLOS_NAME_MAX   255     /* one component */

/* open(): one access mode, plus any of the others */
#define O_RDONLY        00
#define O_WRONLY        01
#define O_RDWR          02
#define O_ACCMODE       03
#define O_CREAT       0100
#define O_EXCL        0200
#define O_TRUNC      01000
#define O_APPEND     02000
#define O_DIRECTORY 0200000     /* fail with ENOTDIR unless a directory */

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

/* st_mode: type and permission bits */
#define S_IFMT   0170000
#define S_IFSOCK 0140000
#define S_IFLNK  0120000
#define S_IFREG  0100000
#define S_IFBLK  0060000
#define S_IFDIR  0040000
#define S_IFCHR  0020000
#define S_IFIFO  0010000
#define S_ISREG(m) (((m) & S_IFMT) == S_IFREG)
#define S_ISDIR(m) (((m) & S_IFMT) == S_IFDIR)
#define S_ISLNK(m) (((m) & S_IFMT) == S_IFLNK)

struct klos_stat {
    uint32_t st_ino;
    uint32_t st_mode;
    uint32_t st_nlink;
    uint32_t st_uid;
    uint32_t st_gid;
    uint32_t st_blksize;        /* the file system's block size */
    uint64_t st_size;
    uint64_t st_blocks;         /* 512-byte units allocated */
    uint32_t st_atime;          /* seconds since 1970 */
    uint32_t st_mtime;
    uint32_t st_ctime;
    uint32_t st_pad;
};

struct klos_statfs {
    uint32_t f_bsize;
    uint32_t f_namelen;         /* KLOS_NAME_MAX */
    uint64_t f_blocks;          /* total, in f_bsize units */
    uint64_t f_bfree;
    uint64_t f_bavail;          /* free less the reserved blocks */
    uint64_t f_files;
    uint64_t f_ffree;
    uint32_t f_flags;           /* KLOS_ST_RDONLY */
    uint32_t f_seq;             /* last durable journal transaction */
};
#define KLOS_ST_RDONLY 1

/* getdents(): a run of these, each d_reclen bytes (a multiple of 4).
 * d_off is the cookie to pass back to continue after this entry. */
struct klos_dirent {
    uint32_t d_ino;
    uint32_t d_off;
    uint16_t d_reclen;
    uint8_t d_type;             /* DT_* */
    uint8_t d_namelen;
    char d_name[];              /* d_namelen bytes and a NUL */
};
#define KLOS_DIRENT_SIZE(namelen) ((12u + (namelen) + 1 + 3) & ~3u)

#define DT_UNKNOWN 0
#define DT_FIFO    1
#define DT_CHR     2
#define DT_DIR     4
#define DT_BLK     6
#define DT_REG     8
#define DT_LNK    10
#define DT_SOCK   12
#endif
