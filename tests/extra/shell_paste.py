#!/usr/bin/env python3
"""The shell keeps every byte it reads: several commands arriving in one burst on COM1 (a
paste) all run, in order; a line longer than the shell's buffer is refused with a message,
not cut and run; then `exit` ends the shell and the OS says it halts (shell-paste).
shell-paste-pitoff does the same on a board whose PIT never ticks (-M pc,pit=off): the shell
must answer all the same, and the boot log must name the timer that runs instead;
shell-paste-notimer with no local APIC either: no timer at all, said so, and the shell answers
(sleep only yields then).  And no
byte is lost however much arrives while a program runs and nobody reads (shell-paste-ahead):
while t_nap sleeps, 100 lines of 100 characters (10 KiB, more than the OS's input ring and
the shell's together) are typed ahead; each must come out as the shell's "unknown command"
line, in order, whole.  QEMU's COM1 is a pair of FIFOs (-chardev pipe), so this script writes
the input at once and reads the output.  Prints PASS/FAIL/SKIP lines for tests/run.py."""
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


AHEAD = ''.join('z%04d%s\n' % (i, 'y' * 95) for i in range(100))
WANT_AHEAD = [r'klos> run t_nap 200\nnap: sleeping 200 ticks\n', r'nap: awake\n',
              r'shell: t_nap \(pid \d+\) exited with code 0\n'] + [
    r"klos> z%04d%s\nshell: unknown command 'z%04d%s'; type help\n" % (i, 'y' * 95, i, 'y' * 95)
    for i in range(100)] + [r'klos> exit\nbye: the shell has ended\n', r'KLOS-EXIT 0']


APIC = r'KLOS: timer: local APIC 100 Hz \(.*\), the PIT does not tick\n'
NOTIMER = r'KLOS: timer: none: the PIT does not tick and this CPU has no local APIC; no preemption'


def session(name, steps, want, check=None, qemu_args=()):
    """Boot the shell (with hello and t_nap), and for each (text, input) of steps wait until
    COM1 has shown text, then write input; then the output must match want, in order."""
    if not shutil.which(QEMU):
        print('SKIP %s: %s not found' % (name, QEMU))
        return 0
    tmp = tempfile.mkdtemp(prefix='klos-paste.', dir='/tmp')
    iso, pipe = os.path.join(tmp, 'p.iso'), os.path.join(tmp, 'com1')
    os.mkfifo(pipe + '.in')
    os.mkfifo(pipe + '.out')
    r = subprocess.run([os.path.join(ROOT, 'tools', 'mkiso.sh'), iso, KERNEL, 'skip=hello,t_nap',
                        os.path.join(MODS, 'shell'), os.path.join(MODS, 'hello'),
                        os.path.join(MODS, 't_nap')],
                       stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)
    if r.returncode:
        print('FAIL %s: mkiso failed' % name)
        return 1
    qemu = subprocess.Popen([QEMU, '-display', 'none', '-no-reboot', '-m', '64',
                             '-chardev', 'pipe,id=com1,path=' + pipe, '-serial', 'chardev:com1',
                             '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04', '-cdrom', iso]
                            + list(qemu_args),
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
        end = time.time() + 60
        for wait_for, data in steps:
            while wait_for not in text() and time.time() < end and qemu.poll() is None:
                time.sleep(0.1)
            if wait_for not in text():
                why = 'no %r' % wait_for
                break
            wr.write(data.encode())
        while not why and time.time() < end and qemu.poll() is None and 'KLOS-EXIT' not in text():
            time.sleep(0.2)
        s, pos = text(), 0
        for p in want if not why else []:
            m = re.compile(p).search(s, pos)
            if not m:
                why = 'missing /%s/ (in order)' % p[:120]
                break
            pos = m.end()
        if not why and check:
            why = check(s)
    finally:
        if qemu.poll() is None:
            qemu.kill()
        qemu.wait()
        wr.close()
        os.makedirs(os.path.join(BUILD, 'tests'), exist_ok=True)
        with open(os.path.join(BUILD, 'tests', name + '.log'), 'w') as f:
            f.write(text())
        shutil.rmtree(tmp, ignore_errors=True)
    return report.verdict(name, why, text().splitlines())


def main():
    cut = lambda s: "unknown command 'xxx" in s and 'the long line was cut and run'
    fails = session(NAME, [('klos> ', PASTE)], WANT, cut)
    fails += session(NAME + '-pitoff', [('klos> ', PASTE)], [APIC] + WANT, cut,
                     ['-M', 'pc,pit=off'])
    fails += session(NAME + '-notimer', [('klos> ', PASTE)], [NOTIMER] + WANT, cut,
                     ['-M', 'pc,pit=off', '-cpu', 'qemu32,-apic'])
    fails += session(NAME + '-ahead', [('klos> ', 'run t_nap 200\n'),
                                       ('nap: sleeping', AHEAD + 'exit\n')], WANT_AHEAD)
    return 1 if fails else 0


if __name__ == '__main__':
    sys.exit(main())
