// printf-style formatting shared by the OS and the apps (lib/fmt.c).
// SOURCES: lib/fmt.c
#include <string.h>
#include "check.h"
#include "fmt.h"

static int is(const char *got, const char *want) { return strcmp(got, want) == 0; }

int main(void)
{
    char b[64];
    snformat(b, sizeof b, "%d %u %x %X", -42, 42u, 0xbeefu, 0xbeefu);
    CHECK("fmt.ints", is(b, "-42 42 beef BEEF"));
    snformat(b, sizeof b, "[%5d|%-5d|%05d|%08x]", 42, 42, -42, 0x1234u);
    CHECK("fmt.width", is(b, "[   42|42   |-0042|00001234]"));
    snformat(b, sizeof b, "%llu %lld", 18446744073709551615ull, -9223372036854775807ll);
    CHECK("fmt.64bit", is(b, "18446744073709551615 -9223372036854775807"));
    snformat(b, sizeof b, "%s|%-4s|%4s|%c%%", "ab", "x", "y", 'z');
    CHECK("fmt.strings", is(b, "ab|x   |   y|z%"));
    const char *volatile nul = 0;
    snformat(b, sizeof b, "%s", nul);
    CHECK("fmt.null-string", is(b, "(null)"));
    int n = snformat(b, 6, "%s", "overflowing");
    CHECK("fmt.truncates", n == 11 && is(b, "overf"));
    return check_exit();
}
