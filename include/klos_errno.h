/* Error numbers, shared by the OS and the apps.  A service that fails
 * returns the negative value (-ENOENT), as Linux's system calls do; the
 * numbers are Linux's (asm-generic/errno-base.h), so a host tool or a
 * reader sees the values it knows. */
#ifndef KLOS_ERRNO_H
#define KLOS_ERRNO_H

#define EPERM            1      /* operation not permitted */
#define ENOENT           2      /* no such file, directory or module */
#define ESRCH            3      /* no such process */
#define EIO              5      /* the disk failed */
#define E2BIG            7      /* argument list too long */
#define ENOEXEC          8      /* not a program KLOS can load */
#define EBADF            9      /* not an open file descriptor */
#define EAGAIN          11      /* try again */
#define ENOMEM          12      /* out of memory */
#define EFAULT          14      /* a pointer outside the app's memory */
#define EBUSY           16      /* held by someone else */
#define EEXIST          17      /* already exists */
#define EXDEV           18      /* across devices */
#define ENODEV          19      /* no such device */
#define ENOTDIR         20      /* a path component is not a directory */
#define EISDIR          21      /* is a directory */
#define EINVAL          22      /* invalid argument */
#define ENFILE          23      /* the OS's open-file table is full */
#define EMFILE          24      /* the process's descriptor table is full */
#define EFBIG           27      /* file too large */
#define ENOSPC          28      /* no space left on the disk */
#define ESPIPE          29      /* seek on a console or pipe */
#define EROFS           30      /* read-only file system */
#define EMLINK          31      /* too many links */
#define ERANGE          34      /* result does not fit */
#define ENAMETOOLONG    36      /* a name or path too long */
#define ENOSYS          38      /* no such service */
#define ENOTEMPTY       39      /* directory not empty */
#define ELOOP           40      /* too many symbolic links */
#define EOVERFLOW       75      /* value too large for the type */
#define EUCLEAN        117      /* the file system is corrupt */
#define ETIMEDOUT      110      /* a wait timed out */

#endif
