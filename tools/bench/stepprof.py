# gdb -batch -x tools/bench/stepprof.py: the instructions one OS call executes,
# per function, counted by single-stepping the guest (QEMU's gdb stub).  Where a
# benchmark row's instructions go, under the same counting as make run's icount
# (a REP string instruction counts once per iteration).
#
#   tools/bench/stepprof.sh 'file_read if len == 1' [SKIP]
#
# stepprof.sh boots run.iso with the disk under QEMU -s -S and runs this with
# KLOS_PROF_FN (a gdb breakpoint spec) and KLOS_PROF_SKIP (hits to let pass
# first, so caches are warm) in the environment.
import collections
import os

import gdb

fn = os.environ['KLOS_PROF_FN']
skip = int(os.environ.get('KLOS_PROF_SKIP', '30'))
gdb.execute('set pagination off')
gdb.execute('target remote :1234')
gdb.execute('symbol-file ' + os.environ['KLOS_PROF_ELF'])
gdb.execute('break ' + fn)
for _ in range(skip):
    gdb.execute('continue', to_string=True)
gdb.execute('delete')
ret = int(gdb.parse_and_eval('*(unsigned int *)$esp'))
esp0 = int(gdb.parse_and_eval('$esp'))
counts, n = collections.Counter(), 0
while n < 200000:
    pc = int(gdb.parse_and_eval('$pc'))
    if pc == ret and int(gdb.parse_and_eval('$esp')) > esp0:
        break
    sym = gdb.execute('info symbol 0x%x' % pc, to_string=True)
    counts[sym.split(' in ')[0].split('+')[0].strip()] += 1
    n += 1
    gdb.execute('stepi', to_string=True)
print('STEPPROF %s: %d instructions' % (fn, n))
for name, c in counts.most_common():
    print('%8d  %s' % (c, name))
gdb.execute('kill')
