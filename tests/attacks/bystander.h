/* The bystander protocol of the robustness attacks (a_ecedge, a_dfcopy, a_ioperm,
 * a_rowrite, a_fuzz).  Booted with apps=par beside a_byst, an attacker joins
 * (waits until the bystander holds all its memory, then reads the free-frame
 * count), attacks -- usually through children it spawns and waits for -- reads
 * the count again and leaves.  a_byst keeps recomputing a register-heavy hash
 * and rechecking a 64 KiB pattern until every attacker has left, then prints
 *     bystander: ... memory and registers ok | WRONG */
#ifndef BYSTANDER_H
#define BYSTANDER_H
#include "user.h"

#define BYST_KEY 0xB1A5

struct byst_shm {
    volatile int ready, attackers, left;
};

static inline struct byst_shm *byst_shm(void)
{
    return shm_get(BYST_KEY, 4096);
}

static inline uint32_t byst_free_frames(void)
{
    uint32_t m[3] = { 0, 0, 0 };
    KLOS_SVC(meminfo, m);
    return m[0];
}

static inline int byst_helper(const char *what)
{
    int st = -1, pid = spawn("a_byst", what);
    return pid > 0 && wait(pid, &st) == pid && st == 0;
}

/* Join; returns the free-frame count once the bystander is set up (0 if
 * there is no bystander). */
static inline uint32_t byst_join(void)
{
    return byst_helper("join") ? byst_free_frames() : 0;
}

static inline void byst_leave(void)
{
    byst_helper("leave");
}
#endif
