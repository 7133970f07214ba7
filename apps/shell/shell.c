/* A small shell on the console: reads lines from fd 0 (PS/2 keyboard and
 * COM1, echoed here), runs commands.
 *
 *   help          this list
 *   ls [DIR]      a directory (the current one); with no disk, the modules
 *   run PROG ARGS spawn PROG -- a module, a path, or a name in /bin -- with
 *                 ARGS and wait for it; Ctrl-C stops it
 *   cat, echo ... [> FILE | >> FILE], rm, mkdir, rmdir, cd, pwd, cp, mv, df
 *                 files on the disk (make disk builds it)
 *   ps            the process table
 *   mem           free memory
 *   pci           the PCI functions, and which may write memory by DMA
 *   bench         run the module "bench", if there is one
 *   exit          end the shell
 *
 * A second thread reads fd 0 all the time and keeps every byte in a ring
 * that the command loop reads (one producer, one consumer: no lock on one
 * CPU), so nothing typed or pasted ahead is lost, and a Ctrl-C typed while a
 * program runs reaches the shell, which stops the program (kill service).
 * A line holds at most LINE - 1 characters; a longer one is refused, said
 * on the screen, not cut. */
#include "user.h"

#define LINE 256
#define CTRL_C 3

static char out[4096];

static char ring[1024];
static volatile unsigned rhead, rtail;
static volatile int fg_pid;             /* the program the shell waits for, or 0 */
static volatile int stopped;            /* ... which Ctrl-C stopped */
static char input_stack[4096] __attribute__((aligned(16)));

static void input_thread(void *arg)
{
    (void)arg;
    for (;;) {
        char in[64];
        int k = read(0, in, sizeof in);
        for (int i = 0; i < k; i++) {
            int pid = fg_pid;
            if (in[i] == CTRL_C && pid > 0) {
                if (KLOS_SVC(kill, pid) == 0)
                    stopped = pid;
                continue;
            }
            while (rhead - rtail >= sizeof ring)
                sleep(1);                       /* full: wait, keep the byte */
            ring[rhead % sizeof ring] = in[i];
            rhead++;
        }
        if (k <= 0)
            sleep(10);
    }
}

static char getbyte(void)
{
    while (rtail == rhead)
        sleep(1);
    char c = ring[rtail % sizeof ring];
    rtail++;
    return c;
}

/* Read one line into buf, echoing what is typed; backspace erases, Ctrl-C
 * drops the line.  Returns its length, or -1 if the line was dropped. */
static int readline(char *buf, int cap)
{
    int n = 0, over = 0;
    for (;;) {
        char c = getbyte();
        if (c == '\n' || c == '\r') {
            write(1, "\n", 1);
            if (over) {
                printf("shell: line longer than %d characters: ignored\n", cap - 1);
                return -1;
            }
            buf[n] = 0;
            return n;
        }
        if (c == CTRL_C) {
            write(1, "^C\n", 3);
            return -1;
        }
        if (c == '\b' || c == 0x7F) {
            if (n > 0 && !over) {
                n--;
                write(1, "\b \b", 3);
            }
        } else if (c >= ' ' && c < 0x7F) {
            if (n < cap - 1) {
                buf[n++] = c;
                write(1, &c, 1);
            } else {
                over = 1;
            }
        }
    }
}

/* The message of a service's -errno. */
static const char *why(int e)
{
    switch (-e) {
    case ENOENT: return "no such file or directory";
    case EEXIST: return "it exists";
    case ENOTDIR: return "not a directory";
    case EISDIR: return "is a directory";
    case ENOTEMPTY: return "directory not empty";
    case ENOSPC: return "no space left on the disk";
    case EROFS: return "read-only file system";
    case EIO: return "the disk failed";
    case ENAMETOOLONG: return "name too long";
    case EMFILE: case ENFILE: return "too many open files";
    case EINVAL: return "invalid argument";
    case EFAULT: return "bad address";
    case ENODEV: return "no disk with a KLOS file system";
    case ENOEXEC: return "not a program KLOS can load";
    case ENOMEM: return "out of memory";
    case EUCLEAN: return "the file system is corrupt";
    default: return "refused";
    }
}

static int fail(const char *what, const char *name, int r)
{
    printf("%s: %s: %s\n", what, name, why(r));
    return r;
}

static int run(const char *name, const char *args)
{
    int pid = spawn(name, args), st = -1;
    if (pid < 0)
        return fail("shell: cannot run", name, pid);
    stopped = 0;
    fg_pid = pid;
    wait(pid, &st);
    fg_pid = 0;
    if (stopped == pid && st == KLOS_KILLED)
        printf("shell: %s (pid %d) stopped by Ctrl-C\n", name, pid);
    else
        printf("shell: %s (pid %d) exited with code %d\n", name, pid, st);
    return st;
}

static void help(void)
{
    puts("commands: help, ls [DIR], run PROG [ARGS], cat FILE.., echo WORDS [> FILE | >> FILE], "
         "rm FILE, mkdir DIR, rmdir DIR, cd DIR, pwd, cp FROM TO, mv FROM TO, df, ps, mem, pci, "
         "bench, exit; Ctrl-C stops a program");
}

static void ls(const char *dir)
{
    static char buf[4096];
    int fd = open(*dir ? dir : ".", O_RDONLY | O_DIRECTORY), n;
    if (fd == -ENODEV && !*dir) {               /* no disk: what there is to run */
        if (KLOS_SVC(modules, out, sizeof out) >= 0)
            write(1, out, strlen(out));
        return;
    }
    if (fd < 0) {
        fail("ls", *dir ? dir : ".", fd);
        return;
    }
    while ((n = getdents(fd, buf, sizeof buf)) > 0)
        for (int o = 0; o < n;) {
            struct klos_dirent *d = (struct klos_dirent *)(buf + o);
            o += d->d_reclen;
            if (d->d_name[0] == '.' && (!d->d_name[1] || (d->d_name[1] == '.' && !d->d_name[2])))
                continue;
            struct klos_stat st;
            char path[512];
            snprintf(path, sizeof path, "%s/%s", *dir ? dir : ".", d->d_name);
            if (d->d_type == DT_DIR)
                printf("%s/\n", d->d_name);
            else if (stat(path, &st) == 0)
                printf("%-24s %u\n", d->d_name, (unsigned)st.st_size);
            else
                printf("%s\n", d->d_name);
        }
    if (n < 0)
        fail("ls", *dir ? dir : ".", n);
    close(fd);
}

/* Copy from one open file to another; 0 or -errno. */
static int copy_fd(int in, int to)
{
    static char buf[4096];
    int n;
    while ((n = read(in, buf, sizeof buf)) > 0)
        for (int done = 0; done < n;) {
            int w = write(to, buf + done, n - done);
            if (w <= 0)
                return w < 0 ? w : -EIO;
            done += w;
        }
    return n;
}

static char *word(char **arg);

static void cat(char *names)
{
    for (char *name = word(&names); *name; name = word(&names)) {
        int fd = open(name, O_RDONLY), r;
        if (fd < 0) {
            fail("cat", name, fd);
            continue;
        }
        if ((r = copy_fd(fd, 1)) < 0)
            fail("cat", name, r);
        close(fd);
    }
}

static void cp(const char *from, const char *to)
{
    int in = open(from, O_RDONLY), r;
    if (in < 0) {
        fail("cp", from, in);
        return;
    }
    int o = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (o < 0)
        fail("cp", to, o);
    else if ((r = copy_fd(in, o)) < 0)
        fail("cp", to, r);
    if (o >= 0)
        close(o);
    close(in);
}

/* echo WORDS, or echo WORDS > FILE (>> appends) */
static void echo(char *arg)
{
    char *redir = strchr(arg, '>');
    if (!redir) {
        printf("%s\n", arg);
        return;
    }
    int append = redir[1] == '>';
    *redir = 0;
    char *file = redir + 1 + append;
    while (*file == ' ')
        file++;
    for (char *e = redir - 1; e >= arg && *e == ' '; e--)
        *e = 0;
    int fd = open(file, O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC), 0644), r;
    if (fd < 0) {
        fail("echo", file, fd);
        return;
    }
    int n = strlen(arg);
    arg[n] = '\n';
    if ((r = write(fd, arg, n + 1)) < 0)
        fail("echo", file, r);
    arg[n] = 0;
    close(fd);
}

static void df(void)
{
    struct klos_statfs st;
    int r = statfs(&st);
    if (r < 0) {
        fail("df", "/", r);
        return;
    }
    unsigned kib = st.f_bsize / 1024;
    printf("%u KiB blocks: %u, free %u KiB of %u KiB; inodes free %u of %u%s\n", kib,
           (unsigned)st.f_blocks, (unsigned)(st.f_bfree * kib), (unsigned)(st.f_blocks * kib),
           (unsigned)st.f_ffree, (unsigned)st.f_files, st.f_flags & KLOS_ST_RDONLY ? ", read-only" : "");
}

/* The next word of arg (cut off in place), and arg moved past it. */
static char *word(char **arg)
{
    char *w = *arg, *e = w;
    while (*e && *e != ' ')
        e++;
    if (*e)
        *e++ = 0;
    while (*e == ' ')
        e++;
    *arg = e;
    return w;
}

int main(void)
{
    char line[LINE];

    if (thread_create((void *)input_thread, 0, input_stack + sizeof input_stack) < 0) {
        puts("shell: cannot start the input thread");
        return 1;
    }
    printf("KLOS shell (pid %d); type help\n", getpid());
    for (;;) {
        write(1, "klos> ", 6);
        if (readline(line, sizeof line) < 0)
            continue;
        char *cmd = line;
        while (*cmd == ' ')
            cmd++;
        char *arg = cmd;
        while (*arg && *arg != ' ')
            arg++;
        if (*arg)
            *arg++ = 0;
        while (*arg == ' ')
            arg++;

        if (!*cmd)
            continue;
        if (!strcmp(cmd, "help")) {
            help();
        } else if (!strcmp(cmd, "ls")) {
            ls(arg);
        } else if (!strcmp(cmd, "cat")) {
            cat(arg);
        } else if (!strcmp(cmd, "echo")) {
            echo(arg);
        } else if (!strcmp(cmd, "rm") || !strcmp(cmd, "mkdir") || !strcmp(cmd, "rmdir") ||
                   !strcmp(cmd, "cd")) {
            int r = !*arg ? -EINVAL : cmd[0] == 'r' && cmd[1] == 'm' && !cmd[2] ? unlink(arg)
                  : cmd[0] == 'm' ? mkdir(arg, 0755) : cmd[0] == 'r' ? rmdir(arg) : chdir(arg);
            if (r < 0)
                fail(cmd, arg, r);
        } else if (!strcmp(cmd, "pwd")) {
            int r = getcwd(out, sizeof out);
            if (r < 0)
                fail("pwd", "", r);
            else
                puts(out);
        } else if (!strcmp(cmd, "cp") || !strcmp(cmd, "mv")) {
            char *from = word(&arg), *to = word(&arg);
            int r;
            if (!*from || !*to)
                printf("usage: %s FROM TO\n", cmd);
            else if (cmd[0] == 'c')
                cp(from, to);
            else if ((r = rename(from, to)) < 0)
                fail("mv", from, r);
        } else if (!strcmp(cmd, "df")) {
            df();
        } else if (!strcmp(cmd, "ps")) {
            if (KLOS_SVC(ps, out, sizeof out) >= 0)
                write(1, out, strlen(out));
        } else if (!strcmp(cmd, "mem")) {
            unsigned m[3];
            if (KLOS_SVC(meminfo, m) == 0)
                printf("free: %u frames of %u bytes (%u KiB); %u app%s running\n", m[0], m[1],
                       m[0] * (m[1] / 1024), m[2], m[2] == 1 ? "" : "s");
        } else if (!strcmp(cmd, "pci")) {
            static char pci[16384];
            if (KLOS_SVC(pci, pci, sizeof pci) >= 0) {
                write(1, pci, strlen(pci));
                puts("master: can the function write memory by DMA -- never (hard-wired off), off "
                     "(the OS keeps it off), on, STUCK (cannot be turned off); ports=refused: a "
                     "driver app gets none of its I/O ports (no IOMMU: a bus master reaches all "
                     "memory)");
            }
        } else if (!strcmp(cmd, "run")) {
            char *name = arg, *args = arg;
            while (*args && *args != ' ')
                args++;
            if (*args)
                *args++ = 0;
            if (!*name)
                puts("usage: run PROG [ARGS]");
            else
                run(name, args);
        } else if (!strcmp(cmd, "bench")) {
            run("bench", arg);
        } else if (!strcmp(cmd, "exit")) {
            puts("bye: the shell has ended");
            return 0;
        } else {
            printf("shell: unknown command '%s'; type help\n", cmd);
        }
    }
}
