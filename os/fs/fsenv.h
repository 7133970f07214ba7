/* What the file system core needs from its surroundings.  The OS implements
 * these (os/fs/fsenv_os.c); the host tests with libc (tests/unit/fs/).
 *
 * The core calls them with the OS's file-system lock held, one caller at a
 * time.  fs_copy_out/fs_copy_in move file data and directory entries
 * between the core's buffers and the caller's: the OS checks an app's
 * address there (copy_to_app/copy_from_app) and returns -EFAULT, after
 * which the core stops the operation where it is. */
#ifndef FSENV_H
#define FSENV_H
#include <stdint.h>

void *fs_page_alloc(void);              /* a zeroed 4 KiB page, or 0 */
void fs_page_free(void *page);
uint32_t fs_now(void);                  /* Unix time, seconds */
void fs_clock_init(void);               /* the OS: read the CMOS clock (fsenv_os.c) */
void fs_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));  /* one console line */
int fs_copy_out(void *dst, const void *src, uint32_t n);   /* 0 or -EFAULT */
int fs_copy_in(void *dst, const void *src, uint32_t n);    /* 0 or -EFAULT */

#define FS_PAGE 4096
#endif
