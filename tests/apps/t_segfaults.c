/* t_faults with the kinds only Bochs enforces: #SS from DSAPP's limit, #GP
 * reading above DSAPP's limit and reading code through execute-only CS. */
#define SEGFAULTS 1
#include "t_faults.c"
