/* A small shell on the console: reads lines from fd 0 (PS/2 keyboard and
 * COM1, echoed here), runs commands.
 *
 *   help          this list
 *   ls            the modules the OS was booted with
 *   run NAME ARGS spawn module NAME with ARGS and wait for it; Ctrl-C stops it
 *   ps            the process table
 *   mem           free memory
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

static int run(const char *name, const char *args)
{
    int pid = spawn(name, args), st = -1;
    if (pid < 0) {
        printf("shell: cannot run %s: %s\n", name, pid == -ENOENT ? "no such module" : "refused");
        return pid;
    }
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
    puts("commands: help, ls, run NAME [ARGS], ps, mem, pci, bench, exit; Ctrl-C stops a program");
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
            if (KLOS_SVC(modules, out, sizeof out) >= 0)
                write(1, out, strlen(out));
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
                puts("usage: run NAME [ARGS]");
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
