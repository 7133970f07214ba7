#!/usr/bin/env bash
# scale.sh (make scale): the scaling rows.  Boots the bench app under the
# module name bench_scale (it then measures upcall, ctxswitch, ipc, irq-plain
# and irq-resched with 2, 8, 32 and 62 live app processes) under QEMU
# -icount shift=0, once with the default kernel (NPROC 64) and once with one
# rebuilt with NPROC 256 (build/np256).  Logs: build/scale/*.txt.
set -u
cd "$(dirname "$0")/../.."
B=build
OUT=$B/scale
QEMU=${QEMU:-qemu-system-i386}
mkdir -p "$OUT"
status=0
make -s B=$B/np256 EXTRA_CFLAGS=-DNPROC=256 $B/np256/klos.elf >/dev/null || exit 1
for np in 64 256; do
    k=$B/klos.elf
    [ $np = 256 ] && k=$B/np256/klos.elf
    iso=$OUT/scale-$np.iso
    log=$OUT/scale-$np.txt
    tools/mkiso.sh "$iso" "$k" "icount" $B/apps/bench_scale || exit 1
    timeout 600 "$QEMU" -display none -serial "file:$log" -no-reboot -m 256 \
        -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
        -icount shift=0 -rtc clock=vm -cpu pentium3 -cdrom "$iso" </dev/null
    if ! grep -q '^SCALE-DONE' "$log"; then
        echo "scale.sh: NPROC $np: the run did not finish; see $log" >&2
        status=1
    fi
    echo "== NPROC $np (instructions, QEMU -icount shift=0; best case, per call / round trip / tick)"
    sed -n '/^live /,/^SCALE-DONE/p' "$log" | tr -d '\r' | grep -v '^SCALE-DONE'
    grep -q 'SCALE-CHECK .* FAIL' "$log" && status=1
done
# Flat in NPROC too: every figure with NPROC 256 within 1.1x of NPROC 64's.
python3 - "$OUT/scale-64.txt" "$OUT/scale-256.txt" <<'PY' || status=1
import re, sys
def rows(f):
    return {m.group(1): dict(re.findall(r'(\S+)=([\d.]+)', m.group(2)))
            for m in re.finditer(r'^SCALE live=(\d+) (.*)$', open(f, errors='replace').read(), re.M)}
a, b = rows(sys.argv[1]), rows(sys.argv[2])
worst = max((max(float(a[l][k]), float(b[l][k])) / min(float(a[l][k]), float(b[l][k])), l, k)
            for l in a if l in b for k in a[l] if k in b[l])
print('scale.sh: NPROC 256 vs 64: largest ratio %.3f (live=%s, %s): %s'
      % (worst[0], worst[1], worst[2], 'flat' if worst[0] <= 1.1 else 'NOT FLAT'))
sys.exit(worst[0] > 1.1)
PY
exit $status
