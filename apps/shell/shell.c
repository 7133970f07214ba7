/* A small shell on the console: reads lines from fd 0 (PS/2 keyboard and
 * COM1, echoed here), runs commands.
 *
 *   help          this list
 *   ls            the modules the OS was booted with
 *   run NAME ARGS spawn module NAME with ARGS and wait for it
 *   ps            the process table
 *   mem           free memory
 *   bench         run the module "bench", if there is one
 *   exit          end the shell */
#include "user.h"

#define LINE 128

static char out[4096];

/* Read one line into buf, echoing what is typed; backspace erases.
 * Returns its length, or -1 if input failed. */
static int readline(char *buf, int cap)
{
    int n = 0;
    for (;;) {
        char in[64];
        int k = read(0, in, sizeof in);
        if (k <= 0)
            return -1;
        for (int i = 0; i < k; i++) {
            char c = in[i];
            if (c == '\n' || c == '\r') {
                write(1, "\n", 1);
                buf[n] = 0;
                return n;
            }
            if (c == '\b' || c == 0x7F) {
                if (n > 0) {
                    n--;
                    write(1, "\b \b", 3);
                }
            } else if (c >= ' ' && c < 0x7F && n < cap - 1) {
                buf[n++] = c;
                write(1, &c, 1);
            }
        }
    }
}

static int run(const char *name, const char *args)
{
    int pid = spawn(name, args), st = -1;
    if (pid < 0) {
        printf("shell: cannot run %s: %s\n", name, pid == -2 ? "no such module" : "refused");
        return pid;
    }
    wait(pid, &st);
    printf("shell: %s (pid %d) exited with code %d\n", name, pid, st);
    return st;
}

static void help(void)
{
    puts("commands: help, ls, run NAME [ARGS], ps, mem, bench, exit");
}

int main(void)
{
    char line[LINE];

    printf("KLOS shell (pid %d); type help\n", getpid());
    for (;;) {
        write(1, "klos> ", 6);
        if (readline(line, sizeof line) < 0)
            return 1;
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
            if (klos_modules(out, sizeof out) >= 0)
                write(1, out, strlen(out));
        } else if (!strcmp(cmd, "ps")) {
            if (klos_ps(out, sizeof out) >= 0)
                write(1, out, strlen(out));
        } else if (!strcmp(cmd, "mem")) {
            unsigned m[3];
            if (klos_meminfo(m) == 0)
                printf("free: %u frames of %u bytes (%u KiB); %u apps running\n", m[0], m[1],
                       m[0] * (m[1] / 1024), m[2]);
        } else if (!strcmp(cmd, "run")) {
            char *name = arg, *args = arg;
            while (*args && *args != ' ')
                args++;
            if (*args)
                *args++ = 0;
            if (!*name)
                puts("usage: run NAME [ARGS]");
            else
                run(name, args);
        } else if (!strcmp(cmd, "bench")) {
            run("bench", arg);
        } else if (!strcmp(cmd, "exit")) {
            puts("bye");
            return 0;
        } else {
            printf("shell: unknown command '%s'; type help\n", cmd);
        }
    }
}
