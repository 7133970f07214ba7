#!/usr/bin/env python3
"""Boot with no serial port at all (QEMU -serial none) and judge by the VGA text screen.

The OS must notice there is no UART (the bus reads 0xFF), keep printing to the screen, run
hello and end with KLOS-EXIT 0 -- never hang polling a UART that is not there, never triple
fault.  With no serial line to read, the screen is read through the QEMU monitor: `xp` dumps
physical memory at 0xB8000 (the text buffer: character, attribute, ...).  There is no
isa-debug-exit device either, so the OS stays in its final loop; this script ends QEMU.

Prints PASS/FAIL/SKIP lines for tests/run.py.  Environment (set by tests/run.py):
KLOS_ROOT, KLOS_KERNEL, KLOS_MODULES_DIR, KLOS_BUILD_DIR."""
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report  # noqa: E402
from report import ROOT, BUILD, KERNEL, MODS, QEMU  # noqa: E402

NAME = 'badboot-noserial-vga'
TIMEOUT = 40


def screen(sock_path):
    """The 80x25 text screen as a list of 25 strings, or None."""
    try:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(5)
        s.connect(sock_path)
    except OSError:
        return None
    try:
        buf = b''

        def until_prompt():
            nonlocal buf
            while not buf.endswith(b'(qemu) '):
                d = s.recv(65536)
                if not d:
                    break
                buf += d
        until_prompt()
        buf = b''
        s.sendall(b'xp /4000bx 0xb8000\n')
        until_prompt()
        out = buf.decode('ascii', 'replace')
    except OSError:
        return None
    finally:
        s.close()
    data = []
    for line in out.splitlines():
        m = re.match(r'^\s*[0-9a-fA-F]+:\s+(.*)$', line.strip())
        if m:
            data += [int(x, 16) for x in re.findall(r'0x([0-9a-fA-F]{2})', m.group(1))]
    if len(data) < 4000:
        return None
    chars = ''.join(chr(c) if 32 <= c < 127 else ' ' for c in data[0:4000:2])
    return [chars[i * 80:(i + 1) * 80].rstrip() for i in range(25)]


def main():
    if not shutil.which(QEMU):
        print('SKIP %s: %s not found' % (NAME, QEMU))
        return 0
    hello = os.path.join(MODS, 'hello')
    for f in (KERNEL, hello):
        if not os.path.isfile(f):
            print('FAIL %s: %s not found (build first)' % (NAME, f))
            return 1
    d = os.path.join(BUILD, 'tests')
    os.makedirs(d, exist_ok=True)
    iso = os.path.join(d, NAME + '.iso')
    r = subprocess.run([os.path.join(ROOT, 'tools', 'mkiso.sh'), iso, KERNEL, '', hello],
                       stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if r.returncode:
        print('FAIL %s: mkiso failed: %s' % (NAME, r.stderr.strip()[-200:]))
        return 1
    tmp = tempfile.mkdtemp(prefix='klos-noserial.')
    sock = os.path.join(tmp, 'mon')
    proc = subprocess.Popen([QEMU, '-display', 'none', '-serial', 'none', '-parallel', 'none',
                             '-monitor', 'unix:%s,server=on,wait=off' % sock, '-no-reboot',
                             '-m', '64', '-cdrom', iso],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    lines, why = None, 'timeout after %ds' % TIMEOUT
    t0 = time.time()
    try:
        while time.time() - t0 < TIMEOUT:
            time.sleep(0.5)
            if proc.poll() is not None:
                why = 'QEMU exited (%d) before KLOS-EXIT: reset or triple fault?' % proc.returncode
                break
            scr = screen(sock)
            if scr is None:
                continue
            lines = scr
            if any(re.search(r'KLOS-EXIT', l) for l in scr):
                why = None
                break
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    with open(os.path.join(d, NAME + '.screen'), 'w') as f:
        f.write('\n'.join(lines or []) + '\n')
    if why is None:
        text = lines or []
        need = [r'KLOS-EXIT 0', r'hello from pid \d+ via Design B',
                r'KLOS: all apps have ended']
        missing = [p for p in need if not any(re.search(p, l) for l in text)]
        bad = [l for l in text if re.search(r'PANIC|EVENTCORE|triple fault', l)]
        if missing or bad:
            why = ('missing /%s/' % '/, /'.join(missing)) if missing else 'screen shows: ' + bad[0]
    return report.verdict(NAME, why, lines, tail=100)


if __name__ == '__main__':
    sys.exit(main())
