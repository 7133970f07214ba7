// App-pointer checks (os/proc/uptr.h): every service that takes a pointer and a length.
// SOURCES:
#include <stdint.h>
#include "check.h"
#include "klos.h"
#include "proc/uptr.h"

int main(void)
{
    CHECK("uptr.app-base", uptr_ok(APP_DATA_BASE, 4096));
    CHECK("uptr.app-text", !uptr_ok(APP_TEXT_BASE, 4));
    CHECK("uptr.stack", uptr_ok(APP_STACK_TOP - 4096, 4096));
    CHECK("uptr.len-zero", uptr_ok(APP_DATA_BASE, 0));
    CHECK("uptr.null-page", !uptr_ok(0, 4) && !uptr_ok(4095, 1));
    CHECK("uptr.os-region", !uptr_ok(KERNEL_BASE, 1) && !uptr_ok(SVC_B_BASE, 4));
    CHECK("uptr.into-os", !uptr_ok(APP_DATA_BASE - 4, 8));
    /* the 32-bit sums that wrap past 4 GiB back into app memory */
    CHECK("uptr.wrap-len", !uptr_ok(APP_DATA_BASE, 0xFFFFFFFFu));
    CHECK("uptr.wrap-ptr", !uptr_ok(0xFFFFF000u, 0x2000));
    CHECK("uptr.to-4g", uptr_ok(APP_DATA_BASE, 0x80000000u));   /* ends exactly at 4 GiB */
    CHECK("uptr.wrap-exact", !uptr_ok(APP_DATA_BASE, 0x80000001u));
    CHECK("uptr.negative-len", !uptr_ok(APP_DATA_BASE + 4096, (uint32_t)-1));
    return check_exit();
}
