#!/bin/sh
# make crash: the file system's whole power-cut sweep and the long fuzz run
# (docs/DESIGN.md §13; make test runs a sample of both).  Needs e2fsprogs and
# qemu-io (qemu-utils) for the blklogwrites part.
#
#   tools/check/fscrash.sh [BUILD_DIR]
#
# Every cut point of two seeded workloads on 1 KiB and 4 KiB images, plain
# and with a volatile write cache (3 random subsets per cut point), Linux's
# own recovery (e2fsck -fy) on every 10th; the first run's writes also go
# through QEMU's blklogwrites driver and the log it writes is swept too.
# Then 400 corrupted images per base image (1200).  Last, real power cuts:
# KLOS_CUTS (default 100) boots of t_files's cut workload under QEMU, each
# killed at a seeded moment and judged by KLOS's recovery, the op-line model
# and e2fsck (tests/boot/files.py: files-cut-NN).
set -e
B=${1:-build}
FUZZ=${FUZZ:-400}
echo "== power cuts (test_fs_crash --full --qemu)"
$B/unit/test_fs_crash --full --qemu
echo "== bad input (test_fs_fuzz --full $FUZZ)"
$B/unit/test_fs_fuzz --full "$FUZZ"
CUTS=${KLOS_CUTS:-100}
echo "== real power cuts: QEMU killed $CUTS times (tests/run.py --only files-cut-)"
KLOS_CUTS=$CUTS KLOS_BUILD_DIR=$B python3 tests/run.py --kernel $B/klos.elf \
    --modules-dir $B/apps --build-dir $B --only files-cut- | tee $B/crash-cuts.txt | grep -v '^PASS'
FAILS=$(grep -c '^FAIL' $B/crash-cuts.txt || true)
echo "real power cuts: $(grep -c '^PASS' $B/crash-cuts.txt) cuts judged clean, $FAILS failures"
test "$FAILS" = 0
