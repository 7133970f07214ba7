/* The port policy (sys_ioperm): a driver app may be granted only ports that
 * no OS driver owns and that do not control the whole machine. */
#ifndef PORTS_H
#define PORTS_H
#include <stdint.h>

int port_range_valid(int64_t first, int64_t count);   /* 0 <= first, 1 <= count, end <= 65536 */
const char *port_owner(int64_t first, int64_t count); /* who holds one of them, or 0 */
#endif
