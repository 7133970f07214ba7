# The whole-system benchmark suite (apps/bench/suite.c, issue 22): every row
# through Design B, hardened B, Design A and T (a trap around each call), with
# the disk make run attaches (tools/mkdisk.sh: the apps in /bin, /bench/u0..u7
# for the uncached reads) and the GRUB module true.  The bench app checks each
# row's Design B figure against its budget (measured under QEMU 7.2 -icount
# shift=0 -cpu pentium3 + 20 %, budget_b in suite.c): a regression in a service
# path fails 'BENCH-CHECK suite-ROW-budget'.
import os
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
APPS = os.path.join(ROOT, 'build', 'apps')

ROWS = ['null', 'read1', 'write1', 'stat', 'fstat', 'open\\+close', 'ipc', 'ctx2', 'ctx8',
        'ctx32', 'spawn-disk', 'spawn-module', 'crdel0k', 'crdel1k', 'crdel4k', 'crdel10k',
        'fsync4k', 'rd1m-4k/KiB', 'rd1m-64k/KiB', 'unc1m-4k/KiB', 'unc1m-64k/KiB',
        'postmark/tx', 'read512', 'open\\+read512\\+close', 'create\\+write512\\+close',
        'unlink', 'mkdir']
DESIGNS = ['B', 'Bh', 'A', 'T']
M = r'\d+\.\d{3}'


def run_disk(img):
    subprocess.run([os.path.join(ROOT, 'tools', 'mkdisk.sh'), img, '64M',
                    os.path.join(APPS, 'bench'), os.path.join(APPS, 'true')],
                   check=True, capture_output=True)


TESTS = [
    dict(name='bench-suite', emu='qemu', cmdline='icount skip=true', modules=['bench', 'true'],
         qemu_args=['-icount', 'shift=0', '-rtc', 'clock=vm', '-cpu', 'pentium3'], timeout=240,
         disks=[dict(name='disk.img', attach='ide0', image=run_disk)],
         task='measures the event core and T needs its ring-0 entry; make run EVENTS=task'
              ' runs the suite without T',
         expect=[r'^SUITE row=%s design=%s ops=\d+ calls=%s total=%s mech=%s mech_pct=\d+\.\d'
                 r' idle=\d+ unit=instructions$' % (r, d, M, M, M) for r in ROWS for d in DESIGNS]
                + [r'^SUITE-PERCALL design=%s mech=%s ' % (d, M) for d in DESIGNS]
                + [r'^BENCH-CHECK suite-%s-budget PASS ' % r for r in ROWS]
                + [r'^SUITE-XV6 row=', r'^SUITE-DONE$', r'^BENCH-DONE$',
                   r'^KLOS: pid 1 \(bench\) exited with code 0$'],
         forbid=[r'BENCH-CHECK .* FAIL', r'SUITE-FAIL', r'SUITE-NOFILE', r'SUITE-NODISK',
                 r'SUITE-NOT', r'KLOS-FAULT']),
]
