// Null services: the benchmark's "no processing, just return" calls.
#include "svc_os.h"

int
sys_null(void)
{
    return 0;
}

#define NULL1(i) int sys_null##i(void) { return 0; }
#define NULL10(t) NULL1(t##0) NULL1(t##1) NULL1(t##2) NULL1(t##3) NULL1(t##4) \
                  NULL1(t##5) NULL1(t##6) NULL1(t##7) NULL1(t##8) NULL1(t##9)

NULL10()
NULL10(1)
NULL10(2)
NULL10(3)
NULL10(4)
