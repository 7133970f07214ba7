/* a_brute: the paper's DSOS-discovery attack (§2.3.3, steps 1-3).
 *
 *   1. register an exception handler (probe_call's, tests/attacks/attack.h);
 *   2. SGDT / SLDT: where the GDT lies (0xC...: the app cannot read it through
 *      DSAPP) and the LDT's selector;
 *   3. for candidate selectors s (RPL 3, GDT and LDT): mov ds, s -- a fault
 *      (#NP for a hidden slot) means "skip, next guess"; if the load succeeds,
 *      read [gdt_base] through DS.  Only DSOS (4 GiB) reaches the GDT: success.
 *
 * Scan order: sequential over the 16374 candidate slots (GDT 10..8191, then
 * LDT 0..8191, wrapping), from a random start.  Before the scan, one probe of
 * each fixed GDT slot 0..9 shows that the loads which succeed there (null,
 * DSAPP) cannot read the GDT, and CSOS (execute-only) cannot even be loaded
 * into DS; those probes are reported apart and not counted as guesses.
 *
 * Arguments (from a driver's spawn; none when booted directly):
 *   argv[1] guess budget (0: one full scan, 16374)
 *   argv[2] "shm": report counters in the driver's shared memory
 *   argv[3] "nofixed": skip the fixed-slot probes (the np_kill driver), or
 *           "revisit" (also the default when booted directly): after a find,
 *           raise three more #NPs and try the found selector again.  Under the
 *           relocation policy exactly one move falls in those three #NPs, so
 *           the slot must answer #NP -- at once, at the load: the moved-away
 *           slot holds a not-present descriptor again, like every decoy (a
 *           zeroed slot would answer #GP and tell the attacker where DSOS
 *           was); with a fixed DSOS it still loads (stale).  A sequential scan of a fixed DSOS finds it about twice
 *           as often as the policy allows -- too little for the binomial
 *           bound to tell in 10^5 guesses -- but every revisit tells at once.
 * Prints: ATTACK name=brute_run ... result=FOUND|notfound, and after a find
 * with revisit ATTACK name=brute_revisit sel=... np_between=3 moved=0|1
 * again=np|gp|read|other|FOUND (what the load of the found selector gave). */
#include "attack.h"
#include "a_brute.h"

static uint32_t target;                 /* the GDT's address: only DSOS reaches it */

/* Without this string the libc's hex digits land at 0x8000020F, and the
 * "mov $0x8000020f, %edi" that uses them holds LAR (0F 02): the loader
 * would refuse this app (tools/check/sealscan.py found it). */
const char brute_layout_pad[] = "sealed layout pad";

/* mov ds, s; read [target] through DS.  DS as left here is recorded and put
 * back to DSAPP by probe_call. */
void try_sel(uint32_t sel);
uint32_t try_target, try_val;
asm(".text\n"
    ".globl try_sel\n"
    "try_sel:\n"
    "  movl 4(%esp), %eax\n"
    "  movl try_target, %edx\n"
    "  movl %eax, %ds\n"                /* a hidden slot: #NP here */
    "  movl (%edx), %eax\n"             /* DSAPP / null: #GP here */
    "  movl %eax, %ss:try_val\n"
    "  ret\n");

static struct brute_shm local, *sh = &local;

/* 'n' #NP at the load, 'g' #GP at the load, 'r' loaded but the read faulted,
 * 'R' read succeeded (only possible for DSOS -- or DSAPP under an emulator
 * that skips limit checks), 'o' another fault. */
static char guess(uint32_t sel)
{
    try_target = target;
    int r = probe_call(try_sel, sel);
    if (!r)
        return 'R';
    uint32_t vec = r & 0xFF;
    if (vec == 11)
        return 'n';
    if (vec == 13)
        return probe_last.err ? 'g' : 'r';
    return 'o';
}

/* Proof that sel is DSOS: its own descriptor, read through it. */
static void prove(uint32_t sel)
{
    uint32_t lo = 0, hi = 0, word = 0, ldt_lo = 0, ldt_hi = 0;
    uint32_t table = target;
    uint16_t ldtr;
    asm volatile("sldt %0" : "=r"(ldtr));
    if (sel & 4) {                      /* LDT: its base is in the GDT's LDT descriptor */
        rd32(sel, target + (ldtr & ~7u), &ldt_lo);
        rd32(sel, target + (ldtr & ~7u) + 4, &ldt_hi);
        table = (ldt_lo >> 16) | ((ldt_hi & 0xFF) << 16) | (ldt_hi & 0xFF000000);
    }
    int r1 = rd32(sel, table + (sel & ~7u), &lo);
    int r2 = rd32(sel, table + (sel & ~7u) + 4, &hi);
    int r3 = rd32(sel, OS_TEXT, &word);
    uint32_t limit = (lo & 0xFFFF) | (hi & 0xF0000);
    printf("ATTACK name=brute_proof sel=0x%x desc=%08x:%08x present=%u dpl=%u limit=0x%x%s "
           "os_text_word=%08x reads=%s\n", sel, hi, lo, (hi >> 15) & 1, (hi >> 13) & 3, limit,
           (hi & 0x800000) ? "fff" : "", word, (r1 | r2 | r3) ? "faulted" : "ok");
}

int main(int argc, char **argv)
{
    uint32_t budget = argc > 1 ? (uint32_t)atoi(argv[1]) : 0;
    int use_shm = argc > 2 && !strcmp(argv[2], "shm");
    int fixed = !(argc > 3 && !strcmp(argv[3], "nofixed"));
    int revisit = argc == 1 || (argc > 3 && !strcmp(argv[3], "revisit"));
    if (!budget)
        budget = BRUTE_NCAND;
    if (use_shm) {
        struct brute_shm *s = shm_get(BRUTE_SHM_KEY, sizeof *s);
        if (!s || s->magic != BRUTE_MAGIC) {
            printf("ATTACK name=brute_run result=ERROR why=no-shared-memory\n");
            return 2;
        }
        sh = s;
    }
    probe_init();

    /* step 2 */
    struct dtr g;
    uint16_t ldtr;
    asm volatile("sgdt %0" : "=m"(g));
    asm volatile("sldt %0" : "=r"(ldtr));
    target = g.base;

    /* the fixed slots once: not guesses, just what they answer */
    char fx[GDT_FIXED + 1];
    for (int i = 0; fixed && i < GDT_FIXED; i++)
        fx[i] = guess((i << 3) | 3);
    fx[fixed ? GDT_FIXED : 0] = 0;
    sh->fixed_done = 1;

    /* step 3 */
    uint32_t start = a_rand() % BRUTE_NCAND, i = start, n = 0;
    uint64_t t0 = rdtsc64();
    int t_0 = uptime();
    char res = 0;
    uint32_t sel = 0;
    while (n < budget) {
        sel = brute_sel(i);
        sh->guesses = ++n;
        res = guess(sel);
        if (res == 'R')
            break;
        if (res == 'n')
            sh->np++;
        else if (res == 'g')
            sh->gp_load++;
        else if (res == 'r')
            sh->gp_read++;
        else
            sh->other++;
        if (++i == BRUTE_NCAND)
            i = 0;
    }
    int ticks = uptime() - t_0;
    uint64_t cyc = rdtsc64() - t0;
    if (res == 'R') {
        sh->found_sel = sel;
        sh->found_at = n;
        sh->found = 1;
    }
    printf("ATTACK name=brute_run pid=%d gdt=%08x/%u ldtr=0x%x fixed=%s order=seq start=%u "
           "budget=%u guesses=%u np=%u gp_load=%u gp_read=%u other=%u ticks=%d tsc_per_guess=%u ",
           getpid(), g.base, g.limit, ldtr, fixed ? fx : "-", start, budget, n, sh->np,
           sh->gp_load, sh->gp_read, sh->other, ticks, n ? (unsigned)(cyc / n) : 0);
    if (res == 'R')
        printf("sel=0x%x at_guess=%u result=FOUND\n", sel, n);
    else
        printf("result=notfound\n");
    if (res == 'R')
        prove(sel);
    if (res == 'R' && revisit) {
        uint32_t np_between = 0, j = i;
        while (np_between < 3) {            /* three #NPs on other slots */
            if (++j == BRUTE_NCAND)
                j = 0;
            if (brute_sel(j) != sel && guess(brute_sel(j)) == 'n')
                np_between++;
        }
        char again = guess(sel);
        sh->revisits++;
        sh->stale += again == 'R';
        sh->revisit_np += again == 'n';
        printf("ATTACK name=brute_revisit sel=0x%x np_between=%u moved=%d again=%s\n", sel,
               np_between, again != 'R', again == 'n' ? "np" : again == 'g' ? "gp" :
               again == 'r' ? "read" : again == 'R' ? "FOUND" : "other");
    }
    return 0;
}
