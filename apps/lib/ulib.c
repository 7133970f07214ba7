/* The app libc's service wrappers and small stdlib routines.  Services go
 * through Design B (klos_NAME in build/gen/klos_svc.h), or hardened Design B
 * once this process has threads or shared memory (KLOS_SVC, klos.h). */
#include "user.h"

int klos_hardened;

int write(int fd, const void *buf, int len)
{
    return KLOS_SVC(write, fd, buf, len);
}

int read(int fd, void *buf, int len)
{
    return KLOS_SVC(read, fd, buf, len);
}

void exit(int code)
{
    for (;;)
        KLOS_SVC(exit, code);
}

int getpid(void)
{
    return KLOS_SVC(getpid);
}

/* The service may report failure as NULL or (void *)-1; give (void *)-1.
 * No valid break is ever NULL: the app starts at APP_BASE. */
void *sbrk(int incr)
{
    void *p = KLOS_SVC(sbrk, incr);
    return p ? p : (void *)-1;
}

int uptime(void)
{
    return KLOS_SVC(uptime);
}

int yield(void)
{
    return KLOS_SVC(yield);
}

int sleep(int ticks)
{
    return KLOS_SVC(sleep, ticks);
}

int spawn(const char *module, const char *args)
{
    return KLOS_SVC(spawn, module, args);
}

/* ---- files ---- */
int open(const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    int mode = flags & O_CREAT ? va_arg(ap, int) : 0;
    va_end(ap);
    return KLOS_SVC(open, path, flags, mode);
}

int close(int fd) { return KLOS_SVC(close, fd); }
int lseek(int fd, int off, int whence) { return KLOS_SVC(lseek, fd, off, whence); }
int fstat(int fd, struct klos_stat *st) { return KLOS_SVC(fstat, fd, st); }
int stat(const char *path, struct klos_stat *st) { return KLOS_SVC(stat, path, st); }
int unlink(const char *path) { return KLOS_SVC(unlink, path); }
int mkdir(const char *path, int mode) { return KLOS_SVC(mkdir, path, mode); }
int rmdir(const char *path) { return KLOS_SVC(rmdir, path); }
int rename(const char *from, const char *to) { return KLOS_SVC(rename, from, to); }
int getdents(int fd, void *buf, int len) { return KLOS_SVC(getdents, fd, buf, len); }
int fsync(int fd) { return KLOS_SVC(fsync, fd); }
int ftruncate(int fd, int len) { return KLOS_SVC(ftruncate, fd, len); }
int chdir(const char *path) { return KLOS_SVC(chdir, path); }
int getcwd(char *buf, int len) { return KLOS_SVC(getcwd, buf, len); }
int statfs(struct klos_statfs *st) { return KLOS_SVC(statfs, st); }

/* A shared region by key, created by whichever process comes first and
 * mapped into this one; 0 on failure. */
void *shm_get(int key, int size)
{
    klos_hardened = 1;                  /* the OS takes plain B away at shm_map */
    if (klosH_shm_create(key, size) < 0)
        return 0;
    void *p = klosH_shm_map(key);
    return ((int)p < 0 && (int)p > -4096) ? 0 : p;
}

int thread_create(void *entry, void *arg, void *stack_top)
{
    klos_hardened = 1;                  /* the OS takes plain B away now */
    return klosH_thread_create(entry, arg, stack_top);
}

int wait(int pid, int *status)
{
    return KLOS_SVC(wait, pid, status);
}

int getchar(void)
{
    unsigned char c;
    return read(0, &c, 1) == 1 ? c : -1;
}

int putchar(int c)
{
    char ch = c;
    return write(1, &ch, 1) == 1 ? (unsigned char)c : -1;
}

void abort(void)
{
    static const char msg[] = "abort\n";
    write(2, msg, sizeof msg - 1);
    exit(KLOS_ABORT_CODE);
}

static int isspace_(int c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

static int digit_(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 10;
    return 99;
}

/* Parse [space][sign][0x]digits; base 0 means 0x.. hex, 0.. octal, else
 * decimal.  Returns the magnitude, saturated at ~0UL (*over set). */
static unsigned long parse_ul(const char *s, char **end, int base, int *neg, int *over)
{
    const char *p = s;
    int any = 0;
    unsigned long v = 0;

    *neg = *over = 0;
    while (isspace_(*p))
        p++;
    if (*p == '+' || *p == '-')
        *neg = *p++ == '-';
    if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
        digit_(p[2]) < 16) {
        p += 2;
        base = 16;
    } else if (base == 0) {
        base = *p == '0' ? 8 : 10;
    }
    if (base >= 2 && base <= 36) {
        for (int d; (d = digit_(*p)) < base; p++) {
            any = 1;
            if (v > (~0UL - d) / base)
                *over = 1;
            v = v * base + d;
        }
    }
    if (end)
        *end = (char *)(any ? p : s);
    return *over ? ~0UL : v;
}

unsigned long strtoul(const char *s, char **end, int base)
{
    int neg, over;
    unsigned long v = parse_ul(s, end, base, &neg, &over);
    return over ? ~0UL : neg ? -v : v;
}

/* Saturates at LONG_MIN / LONG_MAX. */
long strtol(const char *s, char **end, int base)
{
    int neg, over;
    unsigned long v = parse_ul(s, end, base, &neg, &over);
    if (neg)
        return v >= 0x80000000UL ? -0x7FFFFFFFL - 1 : -(long)v;
    return v > 0x7FFFFFFFUL ? 0x7FFFFFFFL : (long)v;
}

int atoi(const char *s)
{
    return (int)strtol(s, 0, 10);
}
