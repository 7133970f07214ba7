#!/usr/bin/env python3
"""The shell keeps every byte it reads: several commands arriving in one burst on COM1 (a
paste) all run, in order; a line longer than the shell's buffer is refused with a message,
not cut and run; then `exit` ends the shell and the OS says it halts.  QEMU's COM1 is a pair
of FIFOs (-chardev pipe), so this script writes the input at once and reads the output.
Prints PASS/FAIL/SKIP lines for tests/run.py."""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report  # noqa: E402
from report import ROOT, BUILD, KERNEL, MODS, QEMU  # noqa: E402

NAME = 'shell-paste'
LONG = 'x' * 300
PASTE = 'mem\nps\n' + LONG + '\nhelp\npci\nrun hello\nexit\n'
WANT = [r'klos> mem\nfree: \d+ frames of 4096 bytes \(\d+ KiB\); 1 app running\n',
        r'klos> ps\n  PID STATE  NAME\n',
        r'shell: line longer than 255 characters: ignored\n',
        r'klos> help\ncommands: ',
        r'klos> pci\n00:00\.0 8086:1237 class 06:00:00 irq \d+/. master=\w+ driver=none\n(?:.*\n)*?'
        r'master: can the function write memory by DMA',
        r'klos> run hello\n(?:.*\n)*?shell: hello \(pid \d+\) exited with code 0\n',
        r'klos> exit\nbye: the shell has ended\n',
        r'KLOS: nothing left to run: halted',
        r'KLOS-EXIT 0']


def main():
    if not shutil.which(QEMU):
        print('SKIP %s: %s not found' % (NAME, QEMU))
        return 0
    tmp = tempfile.mkdtemp(prefix='klos-paste.', dir='/tmp')
    iso, pipe = os.path.join(tmp, 'p.iso'), os.path.join(tmp, 'com1')
    os.mkfifo(pipe + '.in')
    os.mkfifo(pipe + '.out')
    r = subprocess.run([os.path.join(ROOT, 'tools', 'mkiso.sh'), iso, KERNEL, 'skip=hello',
                        os.path.join(MODS, 'shell'), os.path.join(MODS, 'hello')],
                       stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)
    if r.returncode:
        print('FAIL %s: mkiso failed' % NAME)
        return 1
    qemu = subprocess.Popen([QEMU, '-display', 'none', '-no-reboot', '-m', '64',
                             '-chardev', 'pipe,id=com1,path=' + pipe, '-serial', 'chardev:com1',
                             '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04', '-cdrom', iso],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    out = []
    rd = open(pipe + '.out', 'rb')
    wr = open(pipe + '.in', 'wb', buffering=0)

    def reader():
        while True:
            b = rd.read1(4096) if hasattr(rd, 'read1') else rd.read(1)
            if not b:
                return
            out.append(b)
    t = threading.Thread(target=reader, daemon=True)
    t.start()
    text = lambda: b''.join(out).decode('latin-1').replace('\r', '')
    why = None
    try:
        end = time.time() + 40
        while 'klos> ' not in text() and time.time() < end:
            time.sleep(0.2)
        if 'klos> ' not in text():
            why = 'no prompt'
        else:
            wr.write(PASTE.encode())
            while time.time() < end and qemu.poll() is None and 'KLOS-EXIT' not in text():
                time.sleep(0.2)
            s, pos = text(), 0
            for p in WANT:
                m = re.compile(p).search(s, pos)
                if not m:
                    why = 'missing /%s/ (in order)' % p
                    break
                pos = m.end()
            if not why and "unknown command 'xxx" in s:
                why = 'the long line was cut and run'
    finally:
        if qemu.poll() is None:
            qemu.kill()
        qemu.wait()
        wr.close()
        os.makedirs(os.path.join(BUILD, 'tests'), exist_ok=True)
        with open(os.path.join(BUILD, 'tests', NAME + '.log'), 'w') as f:
            f.write(text())
        shutil.rmtree(tmp, ignore_errors=True)
    return report.verdict(NAME, why, text().splitlines())


if __name__ == '__main__':
    sys.exit(main())
