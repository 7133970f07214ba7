#!/usr/bin/env python3
"""The event rows of two bench runs side by side: the event core's and
events=task's (tools/bench/run_events.sh).  Usage: events_compare.py CORE.log TASK.log"""
import re
import sys

ROWS = ['upcall', 'irq-plain', 'irq-resched', 'ctxswitch', 'ipc', 'ipc-sendrecv', 'designB']
LINE = re.compile(r'BENCH mech=(\S+) case=best unit=(\S+) mean=(\S+)')


def best(path):
    rows, unit = {}, '?'
    for line in open(path, errors='replace'):
        m = LINE.search(line)
        if m:
            rows[m.group(1)], unit = float(m.group(3)), m.group(2)
    return rows, unit


def main():
    core, unit = best(sys.argv[1])
    task, _ = best(sys.argv[2])
    print('\nbest case, %s per call (QEMU -icount shift=0: a task switch counts as ONE '
          'instruction,\nso the task column is a path length, not a cost; only a real PC '
          'gives the cycles)' % unit)
    print('%-13s %12s %12s %8s' % ('mechanism', 'event core', 'events=task', 'task/core'))
    for r in ROWS:
        if r in core or r in task:
            c, t = core.get(r), task.get(r)
            print('%-13s %12s %12s %8s' % (r, '%.3f' % c if c else '-', '%.3f' % t if t else '-',
                                          '%.2f' % (t / c) if c and t else '-'))


if __name__ == '__main__':
    main()
