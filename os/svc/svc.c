/* The service stubs carry the DSOS selector as an immediate inside
 * execute-only code, where an app cannot read it.  The generator recorded
 * where each immediate lies; the OS rewrites them through DSOS (its data
 * alias of the code) whenever DSOS moves. */
#include "os.h"
#include "ecshared.h"

extern uint32_t svc_patch_dsos[], svc_patch_dsos_count;

void svc_patch(uint16_t dsos)
{
    for (uint32_t i = 0; i < svc_patch_dsos_count; i++)
        *(uint16_t *)svc_patch_dsos[i] = dsos;
}

void svc_init(void)
{
    svc_patch(ecshared.dsos);
}
