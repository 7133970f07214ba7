#!/bin/sh
# stepprof.sh 'FUNCTION [if COND]' [SKIP] -- where one OS call's instructions
# go, per function (tools/bench/stepprof.py).  Needs gdb and a built tree
# (make all disk build/run.iso).  Example:
#   tools/bench/stepprof.sh 'file_read if len == 1'
set -e
B=${B:-build}
[ $# -ge 1 ] || { echo "usage: stepprof.sh 'FUNCTION [if COND]' [SKIP]" >&2; exit 2; }
cp --sparse=always $B/disk.img $B/prof-disk.img
qemu-system-i386 -display none -serial file:$B/prof.log -no-reboot -m 128 -rtc clock=vm \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 -icount shift=0 -cpu pentium3 \
    -cdrom $B/run.iso -drive file=$B/prof-disk.img,format=raw,if=ide,index=0 -boot d -s -S &
q=$!
trap 'kill $q 2>/dev/null' EXIT
sleep 0.5
KLOS_PROF_FN=$1 KLOS_PROF_SKIP=${2:-30} KLOS_PROF_ELF=$B/klos.elf \
    gdb -q -batch -x tools/bench/stepprof.py 2>&1 | sed -n '/^STEPPROF/,$p' | grep -v '^\[Inferior\|^Kill the'
