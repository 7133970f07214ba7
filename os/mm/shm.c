/* Shared-memory regions (shm.h): their frames and who holds them. */
#include "os.h"
#include "mm/frame.h"
#include "mm/shm.h"

static struct {
    int key, npages, holders;
    uint32_t frame[SHM_PAGES];
} shm[NSHM];

int shm_find(int key)
{
    for (int i = 0; i < NSHM; i++)
        if (shm[i].npages && shm[i].key == key)
            return i;
    return -1;
}

int shm_create(int key, int npages)
{
    int i = 0;
    while (i < NSHM && shm[i].npages)
        i++;
    if (i == NSHM || npages < 1 || npages > SHM_PAGES)
        return -ENOMEM;
    for (int j = 0; j < npages; j++)
        if (!(shm[i].frame[j] = frame_alloc())) {
            while (j--)
                frame_free(shm[i].frame[j]);
            return -ENOMEM;
        }
    shm[i].key = key;
    shm[i].npages = npages;
    shm[i].holders = 0;
    return i;
}

int shm_npages(int i)
{
    return shm[i].npages;
}

uint32_t shm_frame(int i, int page)
{
    return shm[i].frame[page];
}

void shm_hold(int i, uint32_t *mask)
{
    if (!((*mask >> i) & 1)) {
        *mask |= 1u << i;
        shm[i].holders++;
    }
}

void shm_drop(uint32_t *mask)
{
    for (int i = 0; i < NSHM; i++)
        if ((*mask >> i) & 1 && --shm[i].holders == 0) {
            for (int j = 0; j < shm[i].npages; j++)
                frame_free(shm[i].frame[j]);
            shm[i].npages = 0;
        }
    *mask = 0;
}
