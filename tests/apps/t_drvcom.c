/* t_driver on the COM1 scratch register (0x3FF), a port in the range the
 * OS's serial driver opens and closes around each console write. */
#define DRV_COM1 1
#include "t_driver.c"
