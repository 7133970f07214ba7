#!/usr/bin/env python3
"""Keyboard input end to end: boot KLOS with the shell (and hello) in QEMU, type
commands as PS/2 key presses through the QEMU monitor (sendkey), and check what
the shell printed on COM1.

  kbd-prompt   the shell prints its prompt
  kbd-ls       'ls' typed on the keyboard is echoed and lists the modules
  kbd-run      'run hello' runs hello as a child and reports its exit code 0
  kbd-ctrlc    Ctrl-C stops a running program (t_forever); bytes typed meanwhile are kept
  kbd-mem      'mem' prints the free-frame count
  kbd-exit     'exit' ends the shell, the OS ends with KLOS-EXIT 0

Prints PASS/FAIL/SKIP lines (tests/run.py's extra format).  Environment:
KLOS_KERNEL, KLOS_MODULES_DIR, KLOS_BUILD_DIR (defaults under build/), KLOS_QEMU.
QEMU is always killed; the whole run is bounded (about 60 s).  Standard library only.
"""
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report  # noqa: E402
from report import ROOT, BUILD, KERNEL, MODS, QEMU  # noqa: E402

PROMPT = 'klos> '
ANSI = re.compile(r'\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Za-z0-9]|\x1b[=>]')

# QEMU sendkey names for the characters the tests type.
KEYNAME = {' ': 'spc', '\n': 'ret', '-': 'minus', '.': 'dot', '/': 'slash', '=': 'equal',
           '_': 'shift-minus', '\x03': 'ctrl-c'}


def keys(text):
    for c in text:
        if c.isalnum() and c.islower() or c.isdigit():
            yield c
        elif c.isupper():
            yield 'shift-' + c.lower()
        elif c in KEYNAME:
            yield KEYNAME[c]
        else:
            raise ValueError('no key for %r' % c)


class Monitor:
    def __init__(self, path, deadline):
        while True:
            try:
                self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.s.connect(path)
                break
            except OSError:
                self.s.close()
                if time.time() > deadline:
                    raise
                time.sleep(0.1)
        self.s.settimeout(5)
        self.read_until('(qemu)')

    def read_until(self, token):
        buf = b''
        while token.encode() not in buf:
            d = self.s.recv(4096)
            if not d:
                raise EOFError('monitor closed')
            buf += d
        return buf

    def cmd(self, line):
        self.s.sendall(line.encode() + b'\n')
        self.read_until('(qemu)')

    def type(self, text):
        for k in keys(text):
            self.cmd('sendkey %s 20' % k)
            time.sleep(0.03)

    def close(self):
        try:
            self.s.close()
        except OSError:
            pass


def log_text(path):
    try:
        with open(path, 'rb') as f:
            return ANSI.sub('', f.read().decode('utf-8', 'replace')).replace('\r', '')
    except OSError:
        return ''


def wait_for(path, pattern, start, deadline):
    """Wait until the log after offset start matches pattern; return (match, text)."""
    rx = re.compile(pattern, re.M)
    while True:
        t = log_text(path)
        m = rx.search(t, start)
        if m or time.time() > deadline:
            return m, t
        time.sleep(0.05)


def main():
    if not shutil.which(QEMU):
        print('SKIP kbd: %s not found' % QEMU)
        return 0
    for f in (KERNEL, os.path.join(MODS, 'shell'), os.path.join(MODS, 'hello'),
              os.path.join(MODS, 't_forever')):
        if not os.path.isfile(f):
            print('FAIL kbd: %s not found (run make)' % f)
            return 1
    tmp = tempfile.mkdtemp(prefix='klos-kbd.', dir='/tmp' if os.path.isdir('/tmp') else None)  # short socket path
    iso, log, sock = (os.path.join(tmp, n) for n in ('kbd.iso', 'kbd.log', 'mon.sock'))
    keep = os.path.join(BUILD, 'tests')
    qemu = None
    failed = 0
    results = []

    def result(name, ok, why=''):
        nonlocal failed
        results.append(name)
        if ok:
            print('PASS %s' % name)
        else:
            failed += 1
            print('FAIL %s: %s' % (name, why))
        sys.stdout.flush()

    try:
        r = subprocess.run([os.path.join(ROOT, 'tools', 'mkiso.sh'), iso, KERNEL,
                            'skip=hello,t_forever', os.path.join(MODS, 'shell'),
                            os.path.join(MODS, 'hello'), os.path.join(MODS, 't_forever')],
                           stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)
        if r.returncode:
            print('FAIL kbd: mkiso failed: %s' % (r.stderr.strip().splitlines() or ['?'])[-1])
            return 1
        qemu = subprocess.Popen(
            [QEMU, '-display', 'none', '-serial', 'file:' + log, '-no-reboot', '-m', '64',
             '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04',
             '-monitor', 'unix:%s,server,nowait' % sock, '-cdrom', iso],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)
        end = time.time() + 60
        m, t = wait_for(log, re.escape(PROMPT), 0, min(end, time.time() + 30))
        result('kbd-prompt', m is not None, 'no "%s" prompt on COM1' % PROMPT)
        if not m:
            return 1
        mon = Monitor(sock, end)
        steps = [
            ('kbd-ls', 'ls\n', r'^klos> ls\nshell\nhello\nt_forever\nklos> ',
             'ls not echoed or no module list'),
            ('kbd-run', 'run hello\n',
             r'^klos> run hello\n(?:.*\n)*?hello from pid \d+ via Design B\n(?:.*\n)*?'
             r'shell: hello \(pid \d+\) exited with code 0\nklos> ',
             'hello did not run as a child'),
            # Ctrl-C (PS/2 Ctrl + C) stops the running program; what was typed while it
            # ran ("mem") is kept and runs after it; Ctrl-C at the prompt drops the line.
            ('kbd-run-forever', 'run t_forever\n', r'^klos> run t_forever\n(?:.*\n)*?forever: running\n',
             't_forever did not start'),
            ('kbd-ctrlc', 'mem\n\x03',
             r'KLOS: pid \d+ \(t_forever\) killed by pid \d+ \(shell\)\n(?:.*\n)*?'
             r'shell: t_forever \(pid \d+\) stopped by Ctrl-C\nklos> mem\n'
             r'free: \d+ frames of 4096 bytes \(\d+ KiB\); 1 app running\nklos> ',
             'Ctrl-C did not stop t_forever, or the typed-ahead "mem" was lost'),
            ('kbd-ctrlc-prompt', 'xyz\x03', r'^klos> xyz\^C\nklos> ', 'Ctrl-C did not drop the line'),
            ('kbd-mem', 'mem\n', r'^klos> mem\nfree: \d+ frames of 4096 bytes \(\d+ KiB\); 1 app running\nklos> ',
             'no meminfo line'),
            ('kbd-exit', 'exit\n', r'^klos> exit\nbye: the shell has ended\n(?:.*\n)*?KLOS: all apps have ended, \d+ frames free\n'
             r'KLOS: nothing left to run: halted[^\n]*\nKLOS-EXIT 0',
             'the shell did not end or the OS did not exit'),
        ]
        pos = m.start()
        for name, text, pattern, why in steps:
            mon.type(text)
            mm, t = wait_for(log, pattern, pos, min(end, time.time() + 15))
            if not mm:
                tail = t[pos:][-300:].replace('\n', '\\n')
                result(name, False, '%s; COM1 since: %s' % (why, tail))
                break
            result(name, True)
            pos = mm.end() - len(PROMPT) if mm.group(0).endswith(PROMPT) else mm.end()
        mon.close()
        if failed == 0:
            try:
                qemu.wait(timeout=max(1, end - time.time()))
            except subprocess.TimeoutExpired:
                result('kbd-qemu-exit', False, 'QEMU did not exit after KLOS-EXIT')
    except (OSError, EOFError, ValueError, subprocess.SubprocessError) as e:
        result('kbd', False, 'error: %r' % (e,))
    finally:
        if qemu and qemu.poll() is None:
            try:
                os.killpg(qemu.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                qemu.kill()
            qemu.wait()
        try:
            os.makedirs(keep, exist_ok=True)
            shutil.copy(log, os.path.join(keep, 'kbd.log'))
        except OSError:
            pass
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
