#ifndef FRAME_H
#define FRAME_H
#include <stdint.h>
struct mb_info;
void frame_init(struct mb_info *mbi, uint64_t *ram_total, uint64_t *ram_unused);
uint32_t frame_alloc(void);
uint32_t frame_alloc_run(uint32_t n);     /* n consecutive frames, not zeroed; or 0 */
void frame_free(uint32_t pa);
uint32_t frame_free_count(void);
#endif
