/* A seeded workload for the crash harness: creates, writes, appends,
 * sparse writes, truncates, renames (over files, across directories, of
 * directories), links, unlinks (also of open files, written after the
 * unlink), mkdirs, rmdirs and fsyncs, through os/fs/fs.h, checking every
 * result against the model; it returns the op log (fsmodel.h) that lets the
 * harness rebuild every intermediate tree.  Each write spans at most 15
 * blocks, so it is one handle and one version of the file. */
#ifndef WORKLOAD_H
#define WORKLOAD_H
#include <stdint.h>
#include "fstree.h"

struct fs;
/* runs nops operations on fs, starting from the tree initial; *oplog is
 * malloc'd; returns 0, or -1 with a line on stderr when the file system
 * disagreed with the model */
int workload_run(struct fs *fs, const struct tree *initial, uint64_t seed, int nops, char **oplog);
#endif
