#!/bin/sh
# build.sh OUTDIR BIN: build the native harness (a static 32-bit Linux binary).
set -e
[ $# -eq 2 ] || { echo "usage: build.sh OUTDIR BIN" >&2; exit 1; }
cd "$(dirname "$0")/../.."
OUT=$1
BIN=$2
CC=${CC:-i686-linux-gnu-gcc}
mkdir -p "$OUT" "$(dirname "$BIN")"
python3 tools/gensvc.py os/svc/services.def "$OUT"
cat include/klos.h include/klos_errno.h > "$OUT/klos_all.h"
sh tools/h2inc.sh "$OUT/klos_all.h" "$OUT/klos.inc"
nasm -f elf32 -I "$OUT/" -I include/ -I os/svc/ -o "$OUT/svc_stubs.o" "$OUT/svc_stubs.asm"
nasm -f elf32 -I "$OUT/" -I include/ -o "$OUT/bench.o" tools/native/bench.asm
$CC -static -O2 -march=pentium -fno-pie -no-pie -Wall -Wextra -Werror \
    -I include -I "$OUT" -I apps/lib -o "$BIN" \
    tools/native/klos_native.c "$OUT/svc_weak.c" os/svc/null.c apps/lib/stats.c \
    "$OUT/svc_stubs.o" "$OUT/bench.o"
