#!/bin/sh
# Instruction counts of the file system core's hot paths (tests/unit/fs/fsperf.c):
# the core and lib/string.c built for i686 with the OS's code-generation flags
# (-O2 -march=pentium -mgeneral-regs-only), hosted, counted by callgrind (x86).
# Prints one row per operation: instructions per call, cache warm, the
# Design B call and copy_to_app not included.  With REP=1, memcpy and memset
# are rep movsd / rep stosd (tests/unit/fs/repstring.c) instead of
# lib/string.c's byte loops.
#
#   [REP=1] tools/bench/fsperf.sh [BUILD_DIR]
set -e
B=${1:-build}
D=$B/fsperf
mkdir -p $D
# with REP, lib/string.c's memcpy/memset are renamed out of the way
STRDEF=
[ -n "$REP" ] && STRDEF="-Dmemcpy=byte_memcpy -Dmemset=byte_memset"
i686-linux-gnu-gcc -O2 -march=pentium -fno-pie -c $STRDEF -iquote lib -o $D/string.o lib/string.c
CORE="os/fs/bcache.c os/fs/journal.c os/fs/recover.c os/fs/super.c os/fs/balloc.c os/fs/inode.c
      os/fs/bmap.c os/fs/file.c os/fs/dir.c os/fs/namei.c os/fs/dcache.c"
i686-linux-gnu-gcc -O2 -march=pentium -mgeneral-regs-only -fno-pie -no-pie -fno-stack-protector \
    -fno-omit-frame-pointer -std=gnu11 -Wall -Wextra -Werror -Iinclude -Ios -iquote lib \
    -fno-builtin-memcpy -fno-builtin-memset -fno-builtin-memcmp \
    -o $D/fsperf tests/unit/fs/fsperf.c tests/unit/fs/fshost.c $CORE \
    $([ -n "$REP" ] && echo tests/unit/fs/repstring.c) $D/string.o
rm -rf $D/src $D/img && mkdir -p $D/src/dir
for i in $(seq 1 10); do echo "file $i" > $D/src/dir/file$i; done
mke2fs -q -F -t ext3 -b 1024 -d $D/src $D/img 8192k >/dev/null
rm -f $D/callgrind.out*
valgrind --tool=callgrind --collect-atstart=no --callgrind-out-file=$D/callgrind.out \
    $D/fsperf $D/img 200 >/dev/null 2>&1
for f in $D/callgrind.out.*; do
    desc=$(sed -n 's/^desc: Trigger: Client Request: //p' $f)
    ir=$(sed -n 's/^summary: //p' $f)
    set -- $desc
    echo "$1 $ir $2" | awk '{ printf "%-24s %8.0f instructions per call (%d calls)\n", $1, $2 / $3, $3 }'
done
