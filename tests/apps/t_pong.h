/* The message t_ping and t_pong exchange. */
#ifndef T_PONG_MSG_H
#define T_PONG_MSG_H
#include <stdint.h>

#define PING_COUNT 10000
#define PING_SHM_KEY 0x9190
#define PING_SHM_SIZE (3 * 4096)        /* three pages */
#define PING_SHM_CHECK 0xFFFFFFFFu      /* seq of the "check the region" message */
#define MSG_WORDS 7

struct msg {
    uint32_t seq;
    uint32_t w[MSG_WORDS];
};
#endif
