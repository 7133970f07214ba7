#!/bin/sh
# make run EVENTS=task: the benchmarks twice under QEMU -icount shift=0, with
# the event core and with events=task (IDT task gates), then the rows both
# have, side by side.  Usage: run_events.sh BUILD_DIR QEMU [QEMU ARGS...]
set -u
b=$1; shift
for mode in core task; do
    iso=$b/run.iso
    [ $mode = task ] && iso=$b/run-task.iso
    echo "==== events=$mode ===="
    { "$@" -cdrom "$iso"; echo $? > "$b/run-$mode.st"; } | tee "$b/run-$mode.log"
    st=$(cat "$b/run-$mode.st")
    [ $st -eq 1 ] || { echo "make run: QEMU exited with status $st"; exit 1; }
done
exec python3 "$(dirname "$0")/events_compare.py" "$b/run-core.log" "$b/run-task.log"
