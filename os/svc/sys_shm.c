/* Shared-memory services: create a region (or find it by key) and map it
 * into the caller.  A process that maps one loses plain Design B and Design
 * A first (proc_restrict): another process could rewrite its stack. */
#include "os.h"
#include "svc_os.h"
#include "sched/proc.h"
#include "proc/spawn.h"
#include "sched/sched.h"
#include "mm/shm.h"
#include "mm/uvm.h"

int sys_shm_create(int key, int size)
{
    if (size <= 0 || size > SHM_PAGES * 4096)          /* before any arithmetic on it */
        return -EINVAL;
    int i = shm_find(key);
    if (i < 0 && (i = shm_create(key, (size + 4095) / 4096)) < 0)
        return i;
    shm_hold(i, &cur->leader->shm_mask);                /* the creator's reference */
    return i;
}

void *sys_shm_map(int key)
{
    int i = shm_find(key);
    if (i < 0)
        return (void *)-ENOENT;
    uint32_t va = SHM_BASE + i * SHM_PAGES * 4096;
    int r = proc_restrict(cur->leader, "shm_map");
    if (r < 0)
        return (void *)r;
    for (int j = 0; j < shm_npages(i); j++)
        if (uvm_map_shared(cur->leader->pd, va + j * 4096, shm_frame(i, j)) < 0)
            return (void *)-ENOMEM;
    shm_hold(i, &cur->leader->shm_mask);
    return (void *)va;
}
