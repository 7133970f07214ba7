/* Shared-memory regions: up to NSHM regions of up to SHM_PAGES frames each,
 * named by a key, region i mapped at SHM_BASE + i * SHM_PAGES pages in every
 * process that maps it.  A process holds a region once (a bit in its
 * shm_mask); a region nobody holds is freed. */
#ifndef SHM_H
#define SHM_H
#include <stdint.h>

#define NSHM 16
#define SHM_PAGES 16

int shm_find(int key);                          /* region index, or -1 */
int shm_create(int key, int npages);            /* region index, or -ENOMEM */
int shm_npages(int i);
uint32_t shm_frame(int i, int page);
void shm_hold(int i, uint32_t *mask);           /* the holder's mask gains region i, once */
void shm_drop(uint32_t *mask);                  /* the holder ends: every region it held */
#endif
