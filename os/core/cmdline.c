/* The multiboot command line: space-separated key=value words and flags. */
#include "os.h"

static char line[256];

/* Every option the OS knows; anything else is reported and ignored. */
static const char *const known[] = {
    "apps", "skip", "drivers", "bench", "icount", "np_kill", "dsos_move", "seal", "plainb", "events", "ata", "disk", 0,
};
/* Known only to the test kernel (tests/os/ linked in: run_boot_test). */
static const char *const test_known[] = { "test", "dsapp", "dma", "atatest", 0 };

static int listed(const char *const *list, const char *w, int n)
{
    for (int i = 0; list[i]; i++)
        if ((int)strlen(list[i]) == n && !strncmp(list[i], w, n))
            return 1;
    return 0;
}

void cmdline_init(const char *s)
{
    strncpy(line, s ? s : "", sizeof line - 1);
}

void cmdline_check(void)
{
    for (const char *p = line; *p;) {
        while (*p == ' ')
            p++;
        int n = 0;
        while (p[n] && p[n] != ' ' && p[n] != '=')
            n++;
        if (n && !listed(known, p, n) && !(run_boot_test && listed(test_known, p, n))) {
            char w[32];
            strncpy(w, p, n < 31 ? n : 31);
            w[n < 31 ? n : 31] = 0;
            kprintf("KLOS: unknown command-line option '%s' ignored\n", w);
        }
        while (*p && *p != ' ')
            p++;
    }
}

const char *cmdline_get(const char *key)
{
    static char val[64];
    size_t kl = strlen(key);
    for (const char *p = line; *p;) {
        while (*p == ' ')
            p++;
        if (!strncmp(p, key, kl) && (p[kl] == '=' || p[kl] == ' ' || !p[kl])) {
            int n = 0;
            if (p[kl] == '=')
                for (p += kl + 1; *p && *p != ' ' && n < (int)sizeof val - 1;)
                    val[n++] = *p++;
            val[n] = 0;
            return val;
        }
        while (*p && *p != ' ')
            p++;
    }
    return 0;
}

int cmdline_is(const char *key, const char *val)
{
    const char *v = cmdline_get(key);
    return v && !strcmp(v, val);
}

/* Is name one of the comma-separated words of key's value (drivers=a,b)? */
int cmdline_listed(const char *key, const char *name)
{
    const char *d = cmdline_get(key);
    size_t n = strlen(name);
    while (d && *d) {
        if (!strncmp(d, name, n) && (d[n] == ',' || !d[n]))
            return 1;
        d = strchr(d, ',');
        if (d)
            d++;
    }
    return 0;
}
