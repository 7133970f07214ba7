#!/usr/bin/env python3
"""A CPU without a time-stamp counter (QEMU -cpu pentium,-tsc): the refusal must be on the VGA
screen too, not only on COM1 (tests/boot/robust.py checks COM1).  The screen is read through
the QEMU monitor, as tests/extra/noserial.py does; there is no isa-debug-exit device, so boot/
halts and this script ends QEMU.  Prints PASS/FAIL/SKIP lines for tests/run.py."""
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report  # noqa: E402

NAME = 'robust-notsc-vga'
HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location('noserial', os.path.join(HERE, 'noserial.py'))
noserial = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(noserial)
TIMEOUT = 30
WANT = [r'KLOS cannot start:', r'KLOS needs a Pentium-class CPU: no time-stamp counter']


def main():
    if not shutil.which(noserial.QEMU):
        print('SKIP %s: %s not found' % (NAME, noserial.QEMU))
        return 0
    d = os.path.join(noserial.BUILD, 'tests')
    os.makedirs(d, exist_ok=True)
    iso = os.path.join(d, NAME + '.iso')
    hello = os.path.join(noserial.MODS, 'hello')
    r = subprocess.run([os.path.join(noserial.ROOT, 'tools', 'mkiso.sh'), iso, noserial.KERNEL,
                        '', hello], stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if r.returncode:
        print('FAIL %s: mkiso failed: %s' % (NAME, r.stderr.strip()[-200:]))
        return 1
    tmp = tempfile.mkdtemp(prefix='klos-notsc.')
    sock = os.path.join(tmp, 'mon')
    proc = subprocess.Popen([noserial.QEMU, '-display', 'none', '-serial', 'none', '-parallel',
                             'none', '-monitor', 'unix:%s,server=on,wait=off' % sock,
                             '-no-reboot', '-m', '64', '-cpu', 'pentium,-tsc', '-cdrom', iso],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    lines, ok = [], False
    t0 = time.time()
    try:
        while time.time() - t0 < TIMEOUT and proc.poll() is None:
            time.sleep(0.5)
            lines = noserial.screen(sock) or lines
            if all(any(re.search(p, l) for l in lines) for p in WANT):
                ok = True
                break
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    why = None if ok else 'the screen does not say /%s/' % '/, /'.join(WANT)
    return report.verdict(NAME, why, lines, tail=100)


if __name__ == '__main__':
    sys.exit(main())
