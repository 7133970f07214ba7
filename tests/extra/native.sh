#!/bin/sh
# Build and run the native harness (tools/bench/native): KLOS's Design A/B stubs in
# a 32-bit Linux process beside Linux's own system calls, on this CPU; Design
# B must beat Linux's vDSO call and the paper's four-load Design B.
# Output: build/bench/native.txt.  Quick mode (-q: 2 runs, few samples, well
# under a minute) unless KLOS_FULL=1.
# Each run runs its own copy (make native builds it), so two runs at once do not collide.
cd "$(dirname "$0")/../.."
B=build/native
T=$B/run.$$
mkdir -p $T build/bench
trap 'rm -rf $T' EXIT
CC=${CC:-i686-linux-gnu-gcc}

for t in $CC nasm python3; do
    command -v $t >/dev/null 2>&1 || { echo "SKIP native-harness: no $t"; exit 0; }
done
printf 'int main(void){return 0;}\n' > $T/true.c
if ! $CC -static -o $T/true $T/true.c 2>$T/true.err; then
    echo "SKIP native-harness: $CC cannot build a static binary"; exit 0
fi
if ! $T/true 2>/dev/null; then
    echo "SKIP native-harness: this machine cannot run 32-bit processes"; exit 0
fi
if ! make -s native >$T/build.log 2>&1; then
    echo "FAIL native-harness: build failed:"; cat $T/build.log; exit 1
fi
cp $B/klos_native $T/klos_native

ARGS=-q
[ -n "$KLOS_FULL" ] && ARGS=
OUT=$T/native.txt
$T/klos_native $ARGS > $OUT 2>&1
rc=$?
cat $OUT
cp $OUT build/bench/native.txt.$$ && mv build/bench/native.txt.$$ build/bench/native.txt
if grep -q '^SKIP native-harness' $OUT; then
    exit 0
fi

fail=0
miss=
for c in best avg-warm avg worst; do
    grep -q "^BENCH mech=designB case=$c " $OUT || miss="$miss $c"
done
if [ $rc -eq 0 ] && [ -z "$miss" ]; then
    echo "PASS native-harness"
else
    echo "FAIL native-harness: exit status $rc, no designB row for:$miss"
    fail=1
fi

mean() {
    sed -n "s/^BENCH mech=$1 case=best .* mean=\([0-9.]*\) .*/\1/p" $OUT | sort -n | sed -n 1p
}
b=$(mean designB)
s=$(mean sysenter)
if [ -n "$b" ] && [ -n "$s" ] && awk "BEGIN{exit !($b < $s)}"; then
    echo "PASS native-b-beats-sysenter"
else
    echo "FAIL native-b-beats-sysenter: designB best mean=${b:-?}, sysenter best mean=${s:-?}"
    fail=1
fi
p=$(mean designB-paper)
if [ -n "$b" ] && [ -n "$p" ] && awk "BEGIN{exit !($b < $p)}"; then
    echo "PASS native-b-beats-paper"
else
    echo "FAIL native-b-beats-paper: designB best mean=${b:-?}, designB-paper (four loads) best mean=${p:-?}"
    fail=1
fi
if grep -q '^tsc-ticks ' $OUT && grep -q '^BENCHCLOCK core_cycles_per_tsc_tick=' $OUT &&
   grep -q '^README| designB |' $OUT; then
    echo "PASS native-summary"
else
    echo "FAIL native-summary: no median/range table, clock calibration or README table"
    fail=1
fi
exit $fail
