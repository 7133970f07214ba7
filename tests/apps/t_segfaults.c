/* t_faults with the kinds only Bochs enforces: #SS from DSAPP's limit, #GP
 * reading outside DSAPP (OS data, NULL, a stub, its own text) and reading code
 * through execute-only CS. */
#define SEGFAULTS 1
#include "t_faults.c"
