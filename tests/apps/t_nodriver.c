/* A plain app: ioperm is refused, and the ports a driver holds (t_driver,
 * running beside it with apps=par) stay closed here: in raises #GP and the
 * OS ends this app. */
#include "user.h"
#include "t_driver.h"

int main(void)
{
    struct drv_shm *sh = drv_shm();
    int r = KLOS_SVC(ioperm, DRV_PORT, DRV_NPORTS);

    printf("nodriver: ioperm(%x, %d) = %d: %s\n", DRV_PORT, DRV_NPORTS, r, r < 0 ? "ok" : "WRONG");
    for (int i = 0; sh && i < 200 && !sh->granted; i++)
        sleep(1);
    printf("nodriver: the driver %s its ports; reading %x now\n",
           sh && sh->granted ? "holds" : "does not hold", DRV_LAST);
    if (sh)
        sh->trying = 1;
    uint8_t v = port_in(DRV_LAST);
    printf("nodriver: NOT STOPPED: read %x\n", v);
    return 1;
}
