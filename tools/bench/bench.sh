#!/usr/bin/env bash
# bench.sh: the benchmarks (make bench).  Run from anywhere; needs `make` done.
#   1. boots KLOS with the bench module under QEMU TCG -icount shift=0
#      (-cpu pentium3: has SEP, so SYSENTER is measured), the command line
#      "icount" so the app labels the figures as instruction counts;
#      COM1 -> build/bench/klos-icount.txt
#   2. builds and runs the native harness (tools/bench/native) on this CPU;
#      -> build/bench/native.txt  (skipped, with a note, where it cannot run)
#      with a fresh copy of build/disk.img as IDE disk and the module true, so
#      the whole-system suite (apps/bench/suite.c) runs too
#   3. tools/bench/bench_report.py on both -> build/bench/{klos-icount,native}.{csv,png};
#      tools/bench/suite_report.py -> build/bench/suite.{csv,png}, suite-model.md
#      its summary: median [range] over 5 runs, in tsc-ticks, with the core
#      clock calibrated; its README-ready table -> build/bench/native-table.md
# Environment: QEMU (default qemu-system-i386), BENCH_TIMEOUT (seconds, 300,
# for each of the two steps), KLOS_QUICK=1 (native harness: 2 quick runs).
# On a 2-core machine the whole of make bench takes about two minutes.
set -u
cd "$(dirname "$0")/../.."
B=build
OUT=$B/bench
QEMU=${QEMU:-qemu-system-i386}
TIMEOUT=${BENCH_TIMEOUT:-300}
mkdir -p "$OUT" $B/native
status=0

for f in $B/klos.elf $B/apps/bench $B/apps/true $B/disk.img; do
    [ -f "$f" ] || { echo "bench.sh: $f missing: run make first" >&2; exit 1; }
done

# ---- 1. KLOS under QEMU icount ----
ISO=$OUT/klos-icount.iso
LOG=$OUT/klos-icount.txt
tools/mkiso.sh "$ISO" $B/klos.elf "icount skip=true" $B/apps/bench $B/apps/true || exit 1
cp --sparse=always $B/disk.img "$OUT/disk.img"
echo "bench.sh: booting KLOS under QEMU -icount shift=0 (serial -> $LOG)"
rm -f "$LOG"
timeout "$TIMEOUT" "$QEMU" -display none -serial "file:$LOG" -no-reboot -m 128 \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
    -icount shift=0 -rtc clock=vm -cpu pentium3 -cdrom "$ISO" \
    -drive file="$OUT/disk.img",format=raw,if=ide,index=0 -boot d </dev/null
rc=$?
# isa-debug-exit: KLOS-EXIT 0 leaves QEMU with status 1
if ! grep -q '^BENCH-DONE' "$LOG" 2>/dev/null; then
    echo "bench.sh: the KLOS run did not finish (QEMU status $rc); see $LOG" >&2
    status=1
fi
sed -n '/^mechanism/,/^BENCH-DONE/p' "$LOG" 2>/dev/null | grep -v '^SUITE row=' | tr -d '\r'

# ---- 2. the native harness ----
NAT=$OUT/native.txt
CC=${CC:-i686-linux-gnu-gcc}
if ! command -v "$CC" >/dev/null 2>&1; then
    echo "SKIP native-harness: no $CC" | tee "$NAT"
elif ! make -s native >$B/native/build.log 2>&1; then
    echo "bench.sh: native harness build failed, see $B/native/build.log" >&2
    echo "SKIP native-harness: build failed" > "$NAT"
    status=1
else
    echo "bench.sh: running the native harness (-> $NAT)"
    ARGS=
    [ -n "${KLOS_QUICK:-}" ] && ARGS=-q
    timeout "$TIMEOUT" $B/native/klos_native $ARGS > "$NAT" 2>&1
    nrc=$?
    sed -n 's/^README \{0,1\}//p' "$NAT" > "$OUT/native-table.md"
    [ -s "$OUT/native-table.md" ] && echo "bench.sh: README-ready table -> $OUT/native-table.md"
    if [ $nrc -ne 0 ] && ! grep -q '^SKIP' "$NAT"; then
        echo "bench.sh: native harness failed (status $nrc)" >&2
        status=1
    fi
    sed -n '/^tsc-ticks /,/vDSO)$/p' "$NAT"
fi

# ---- 3. CSV and charts ----
for f in "$LOG" "$NAT"; do
    if grep -q '^BENCH mech=' "$f" 2>/dev/null; then
        python3 tools/bench/bench_report.py "$f" "$OUT" || status=1
    else
        echo "bench.sh: no BENCH lines in $f: no CSV/chart for it"
    fi
done
if grep -q '^SUITE row=' "$LOG" 2>/dev/null; then
    python3 tools/bench/suite_report.py "$LOG" "$NAT" "$OUT" || status=1
else
    echo "bench.sh: no SUITE lines in $LOG: no suite chart"
fi
exit $status
