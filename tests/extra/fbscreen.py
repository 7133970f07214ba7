#!/usr/bin/env python3
"""The framebuffer console under 64-bit UEFI (OVMF), read back from the screen: QEMU's monitor
`screendump` writes the display as a PPM, and every 8x16 cell is matched against the font the
build drew with (tools/gen/mkfont.py, the same source).  A UEFI PC has no VGA text mode, so this is
what a user sees there.

  fbscreen-serial    with COM1: 101 processes end (the OS prints a line each), so the screen
                     scrolls; what it shows must be the last lines COM1 got, character for
                     character, every cell a glyph of the font
  fbscreen-noserial  no serial port at all (-serial none): the hello line and KLOS-EXIT 0 on
                     the screen

There is no isa-debug-exit device: the OS stays in its last loop and the script ends QEMU.
Prints PASS/FAIL/SKIP lines for tests/run.py."""
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
from report import ROOT, BUILD, KERNEL, MODS  # noqa: E402

sys.path.insert(0, os.path.join(ROOT, 'tools', 'gen'))
import mkfont  # noqa: E402

QEMU64 = os.environ.get('KLOS_QEMU64', 'qemu-system-x86_64')
CODE, VARS = '/usr/share/OVMF/OVMF_CODE.fd', '/usr/share/OVMF/OVMF_VARS.fd'
FONT = '/usr/share/fonts/X11/misc/8x13-ISO8859-1.pcf.gz'
TIMEOUT = 90
FG = (0xAA, 0xAA, 0xAA)                 # fbcon.c: light grey on black
CURSOR = (0xFF, 0xFF)                   # rows 14 and 15 of the cursor's cell


def glyph_table():
    """rows (16 bytes) -> character; ASCII wins where Latin-1 repeats a glyph."""
    g = mkfont.load(FONT)
    table = {}
    for c in sorted(g, key=lambda c: (c >= 0x80, c)):
        if c >= 0x20:
            table.setdefault(tuple(g[c]), chr(c))
    return table


def monitor(sock_path, command):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(10)
    s.connect(sock_path)
    try:
        buf = b''
        while not buf.endswith(b'(qemu) '):
            d = s.recv(65536)
            if not d:
                return None
            buf += d
        s.sendall(command.encode() + b'\n')
        buf = b''
        while not buf.endswith(b'(qemu) '):
            d = s.recv(65536)
            if not d:
                break
            buf += d
        return buf.decode('latin-1')
    finally:
        s.close()


def read_ppm(path):
    data = open(path, 'rb').read()
    m = re.match(rb'P6\s+(\d+)\s+(\d+)\s+(\d+)\s', data)
    if not m:
        return None
    w, h = int(m.group(1)), int(m.group(2))
    return w, h, data[m.end():]


def screen_text(ppm, table):
    """The screen as lines of text; unknown cells are '\\0'.  None if it is no 1024x768 dump."""
    got = read_ppm(ppm)
    if not got or got[:2] != (1024, 768):
        return None
    w, h, px = got
    fg = bytes(FG)
    lines = []
    for r in range(h // 16):
        chars = []
        for c in range(w // 8):
            rows = []
            for y in range(16):
                off = ((r * 16 + y) * w + c * 8) * 3
                v = 0
                for x in range(8):
                    if px[off + 3 * x: off + 3 * x + 3] == fg:
                        v |= 0x80 >> x
                rows.append(v)
            ch = table.get(tuple(rows))
            if ch is None and tuple(rows[14:]) == CURSOR:
                ch = table.get(tuple(rows[:14]) + (0, 0))
            chars.append(ch if ch is not None else '\0')
        lines.append(''.join(chars).rstrip())
    return lines


def boot(name, serial, modules, cmdline, want):
    """Boot under OVMF until the screen shows KLOS-EXIT; returns (screen lines, serial text, why)."""
    d = os.path.join(BUILD, 'tests')
    os.makedirs(d, exist_ok=True)
    iso = os.path.join(d, name + '.iso')
    r = subprocess.run([os.path.join(ROOT, 'tools', 'mkiso.sh'), iso, KERNEL, cmdline] +
                       [os.path.join(MODS, m) for m in modules],
                       stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if r.returncode:
        return None, '', 'mkiso failed: ' + r.stderr.strip()[-200:]
    tmp = tempfile.mkdtemp(prefix='klos-fb.')
    sock, ppm, vars_ = (os.path.join(tmp, f) for f in ('mon', 'screen.ppm', 'vars.fd'))
    log = os.path.join(d, name + '.log')
    shutil.copyfile(VARS, vars_)
    cmd = [QEMU64, '-display', 'none', '-no-reboot', '-m', '128', '-parallel', 'none',
           '-drive', 'if=pflash,format=raw,readonly=on,file=' + CODE,
           '-drive', 'if=pflash,format=raw,file=' + vars_,
           '-monitor', 'unix:%s,server=on,wait=off' % sock, '-cdrom', iso,
           '-serial', 'file:' + log if serial else 'none']
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    table = glyph_table()
    lines, why = None, 'timeout after %ds' % TIMEOUT
    t0 = time.time()
    try:
        while time.time() - t0 < TIMEOUT:
            time.sleep(1)
            if proc.poll() is not None:
                why = 'QEMU exited (%d) before KLOS-EXIT: reset or triple fault?' % proc.returncode
                break
            try:
                if monitor(sock, 'screendump ' + ppm) is None or not os.path.isfile(ppm):
                    continue
            except OSError:
                continue
            scr = screen_text(ppm, table)
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
        if os.path.isfile(ppm):
            shutil.copyfile(ppm, os.path.join(d, name + '.ppm'))
        shutil.rmtree(tmp, ignore_errors=True)
    with open(os.path.join(d, name + '.screen'), 'w') as f:
        f.write('\n'.join(l.replace('\0', '?') for l in lines or []) + '\n')
    text = open(log, errors='replace').read() if serial and os.path.isfile(log) else ''
    if why is None:
        shown = [l.replace('\0', '?') for l in lines]
        unknown = [l for l in lines if '\0' in l]
        missing = [p for p in want if not any(re.search(p, l) for l in shown)]
        if unknown:
            why = 'cells that are no glyph of the font, e.g. in: ' + unknown[0].replace('\0', '?')
        elif missing:
            why = 'the screen lacks /%s/' % '/, /'.join(missing)
    return lines, text, why


def main():
    if not shutil.which(QEMU64):
        print('SKIP fbscreen: %s not found' % QEMU64)
        return 0
    for f in (CODE, VARS, FONT):
        if not os.path.isfile(f):
            print('SKIP fbscreen: %s not found (tools/deps.sh installs ovmf, xfonts-base)' % f)
            return 0
    rc = 0
    # With COM1: the screen scrolled, and shows exactly the last lines COM1 got.
    name = 'fbscreen-serial'
    lines, text, why = boot(name, True, ['t_spawn100', 't_child'], 'skip=t_child',
                           [r'^spawn100: \d+ cycles, .*: ok', r'^KLOS-EXIT 0$'])
    if why is None:
        klos = text[text.find('KLOS: ring-3 OS running'):].replace('\r', '').split('\n')
        wrapped = [l[i:i + 128] for l in klos for i in range(0, max(len(l), 1), 128)]
        shown = lines[:]
        while shown and shown[-1] == '':
            shown.pop()
        tail = [l.rstrip() for l in wrapped if l != ''][-len(shown):] if shown else []
        if 'KLOS: screen: 1024x768 framebuffer' not in text:
            why = 'COM1 does not name the framebuffer'
        elif any('KLOS: screen' in l for l in shown):
            why = 'the screen did not scroll (its first line is still there)'
        elif shown != tail:
            diff = next(i for i in range(len(shown)) if i >= len(tail) or shown[i] != tail[i])
            why = 'screen line %d is %r, COM1 has %r' % (diff, shown[diff],
                                                        tail[diff] if diff < len(tail) else None)
    rc |= report.verdict(name, why, [l.replace('\0', '?') for l in lines or []], tail=50)
    # No serial port: the screen alone.
    name = 'fbscreen-noserial'
    lines, _, why = boot(name, False, ['hello'], '',
                         [r'^KLOS: screen: 1024x768 framebuffer, 32 bits per pixel',
                          r'^hello from pid \d+ via Design B$', r'^KLOS: all apps have ended',
                          r'^KLOS-EXIT 0$'])
    rc |= report.verdict(name, why, [l.replace('\0', '?') for l in lines or []], tail=50)
    return rc


if __name__ == '__main__':
    sys.exit(main())
