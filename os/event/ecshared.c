/* The page shared with the event core, and the handler stacks it IRETs to. */
#include "ecshared.h"

struct ecshared ecshared __attribute__((aligned(4096)));
uint8_t ec_hstacks[HSTACK_DEPTH][HSTACK_SLICE] __attribute__((aligned(4096)));
