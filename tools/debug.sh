#!/usr/bin/env bash
# debug.sh ISO ELF: boot ISO in QEMU halted at the first instruction, with a gdb stub on
# :1234, and attach gdb with ELF's symbols and a breakpoint on boot_main (make debug).
# QEMU's COM1 goes to this terminal (before gdb takes it over, and interleaved after).
# Under TCG QEMU keeps gdb's breakpoints itself (nothing is written to guest memory), so
# `break boot_main` survives GRUB loading the kernel over that address.
# Extra gdb arguments may be given after ELF; GDB_PORT overrides 1234.
set -euo pipefail

[ $# -ge 2 ] || { echo "usage: $0 klos.iso klos.elf [gdb args...]" >&2; exit 2; }
iso=$1; elf=$2; shift 2
port=${GDB_PORT:-1234}
here=$(cd "$(dirname "$0")" && pwd)

[ -f "$iso" ] || { echo "debug: '$iso' not found" >&2; exit 1; }
[ -f "$elf" ] || { echo "debug: '$elf' not found" >&2; exit 1; }
for t in qemu-system-i386 gdb; do
    command -v "$t" >/dev/null 2>&1 || { echo "debug: '$t' not found (apt-get install ${t/qemu-system-i386/qemu-system-x86})" >&2; exit 1; }
done

qemu-system-i386 -cdrom "$iso" -gdb "tcp::$port" -S -serial stdio -display none -no-reboot \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 -m 64 </dev/null &
qpid=$!
cleanup() { kill "$qpid" 2>/dev/null || true; wait "$qpid" 2>/dev/null || true; }
# No INT trap: Ctrl-C belongs to gdb (it interrupts the guest); QEMU, started in the
# background by a non-interactive shell, ignores SIGINT.
trap cleanup EXIT
trap 'exit 143' TERM HUP

# Wait (up to ~5 s) for the gdb stub to listen, without connecting to it.
for _ in $(seq 50); do
    kill -0 "$qpid" 2>/dev/null || { echo "debug: QEMU exited early" >&2; exit 1; }
    if command -v ss >/dev/null 2>&1; then
        ss -Hltn "sport = :$port" 2>/dev/null | grep -q . && break
    else
        sleep 0.5; break
    fi
    sleep 0.1
done

gdb -q "$elf" -x "$here/debug.gdb" \
    -ex "target remote :$port" \
    -ex 'set architecture i386' \
    -ex 'break boot_main' \
    "$@"
