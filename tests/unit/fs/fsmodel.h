/* The crash harness's oracle: an op log (text, one line per operation) and
 * a model that replays it into the file tree after every operation.
 *
 * An op log line (the same whether the host harness ran the workload or an
 * app inside KLOS did and printed it):
 *
 *   OP <seq_before> <seq_after> <kind> <args...>
 *
 * seq_before/seq_after: the last durable journal transaction (statfs
 * f_seq) before and after the operation, so the harness knows during which
 * operation each transaction committed.  Kinds and arguments:
 *
 *   create P            open(P, O_CREAT|O_TRUNC)      write P OFF LEN SEED
 *   trunc P SIZE        unlink P                      rename P Q
 *   link P Q            mkdir P                       rmdir P
 *   open H P            (keep handle H on P)          hwrite H OFF LEN SEED
 *   close H             fsync
 *
 * Written bytes are model_bytes(SEED, i) for i in [0, LEN). */
#ifndef FSMODEL_H
#define FSMODEL_H
#include <stdint.h>
#include <stddef.h>
#include "fstree.h"

#define MODEL_HANDLES 8

struct mobj {
    uint8_t *data;
    size_t len;
};
struct mname {
    char *path;
    int dir;
    int obj;                    /* files: index into objs */
};
struct model {
    struct mname *names;
    int nnames, capnames;
    struct mobj *objs;
    int nobjs, capobjs;
    int handle[MODEL_HANDLES];  /* obj, or -1 */
};

static inline uint8_t model_byte(uint32_t seed, uint64_t i)
{
    uint32_t x = seed * 2654435761u ^ (uint32_t)(i / 4) * 2246822519u;
    x ^= x >> 15;
    x *= 2654435761u;
    x ^= x >> 13;
    return (uint8_t)(x >> (8 * (i & 3)));
}

void model_init(struct model *m, const struct tree *initial);
void model_free(struct model *m);
/* applies one op-log line (without the OP and seq prefix); 0, or -1 if malformed */
int model_apply(struct model *m, const char *op);
void model_tree(const struct model *m, struct tree *out);
/* lookup for the workload's choices */
int model_find(const struct model *m, const char *path);          /* name index or -1 */
size_t model_size(const struct model *m, const char *path);

/* a parsed op log: states[0] the initial tree, states[j + 1] after op j */
struct oplog {
    int nops;
    uint32_t *seq_before, *seq_after;
    struct tree *states;
    uint32_t seq0;              /* durable before the first op */
};
int oplog_load(struct oplog *o, const char *text, const struct tree *initial);
void oplog_free(struct oplog *o);
/* the states a recovered image may show when transaction seq was the last
 * to survive: indices into states (1 or 2 of them) */
int oplog_states_for(const struct oplog *o, uint32_t seq, int out[2]);
#endif
