#!/bin/sh
# Build and run the native harness (tools/native): KLOS's Design A/B stubs in
# a 32-bit Linux process beside Linux's own system calls, on this CPU.
# Output: build/bench/native.txt.  KLOS_QUICK=1 takes fewer samples.
cd "$(dirname "$0")/../.."
B=build/native
mkdir -p $B build/bench
CC=${CC:-i686-linux-gnu-gcc}

for t in $CC nasm python3; do
    command -v $t >/dev/null 2>&1 || { echo "SKIP native-harness: no $t"; exit 0; }
done
printf 'int main(void){return 0;}\n' > $B/true.c
if ! $CC -static -o $B/true $B/true.c 2>$B/true.err; then
    echo "SKIP native-harness: $CC cannot build a static binary"; exit 0
fi
if ! $B/true 2>/dev/null; then
    echo "SKIP native-harness: this machine cannot run 32-bit processes"; exit 0
fi
if ! sh tools/native/build.sh $B/gen $B/klos_native >$B/build.log 2>&1; then
    echo "FAIL native-harness: build failed:"; cat $B/build.log; exit 1
fi

ARGS=
[ -n "$KLOS_QUICK" ] && ARGS=-q
$B/klos_native $ARGS > build/bench/native.txt 2>&1
rc=$?
cat build/bench/native.txt
if grep -q '^SKIP native-harness' build/bench/native.txt; then
    exit 0
fi

fail=0
miss=
for c in best avg worst; do
    grep -q "^BENCH mech=designB case=$c " build/bench/native.txt || miss="$miss $c"
done
if [ $rc -eq 0 ] && [ -z "$miss" ]; then
    echo "PASS native-harness"
else
    echo "FAIL native-harness: exit status $rc, no designB row for:$miss"
    fail=1
fi

mean() {
    sed -n "s/^BENCH mech=$1 case=best .* mean=\([0-9.]*\) .*/\1/p" build/bench/native.txt
}
b=$(mean designB)
s=$(mean sysenter)
if [ -n "$b" ] && [ -n "$s" ] && awk "BEGIN{exit !($b < $s)}"; then
    echo "PASS native-b-beats-sysenter"
else
    echo "FAIL native-b-beats-sysenter: designB best mean=${b:-?}, sysenter best mean=${s:-?}"
    fail=1
fi
exit $fail
