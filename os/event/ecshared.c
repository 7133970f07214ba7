/* The page shared with the event core, the handler stacks it IRETs to, and
 * how deep the handlers now run: the state both deliveries share. */
#include "ecshared.h"

struct ecshared ecshared __attribute__((aligned(4096)));
uint8_t ec_hstacks[HSTACK_DEPTH][HSTACK_SLICE] __attribute__((aligned(4096)));
int event_depth;
