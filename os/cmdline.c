/* The multiboot command line: space-separated key=value words and flags. */
#include "os.h"

static char line[256];

void cmdline_init(const char *s)
{
    strncpy(line, s ? s : "", sizeof line - 1);
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

const char *cmdline_all(void)
{
    return line;
}
