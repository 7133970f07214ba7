#!/usr/bin/env python3
"""events=task: read the live IDT, GDT and LDT from outside the guest, through the
QEMU monitor, and check that ring 0 holds only the #NM stub (ec_nm: clts; iretd).

KLOS boots under TCG with the shell, which waits for a line on COM1 (a pair of FIFOs).  At its
prompt the monitor gives IDTR, GDTR and LDTR (`info registers`) and the tables' bytes (`x`,
linear through the CPU's current paging, as the CPU itself reads them).  Decoded after SDM
3.4.5 and 6.11, they must show: IDT limit NVEC*8-1; #NM a present 32-bit interrupt gate, DPL 0,
to SEL_KCODE:0 (ec_nm); the same bytes in ec_idt and ec_idt_bench (the IDT_VA page of every
process, the bench's included); every other vector a present task gate to TEV_SEL(v), whose GDT descriptor is a
32-bit TSS (DPL 0, limit 103) whose saved CS is ring 3; no call, interrupt or trap gate in the
GDT or any LDT; every DPL-0 code descriptor within [ec_nm, ec_nm_end), where the bytes are
0F 06 CF.  Then `exit` ends the shell and the OS ends QEMU (isa-debug-exit).  The same check
on a boot without events=task (the event core: interrupt gates, a flat KCODE) must fail, so
the test cannot pass vacuously.  On both boots the sealed layout's two fixed app selectors
(docs/DESIGN.md §2) must read as built: CSOS a present DPL-3 32-bit execute-only code segment,
base 0, limit CSOS_LIMIT (the end of the code region: nothing an app can write runs), and
DSAPP a present DPL-3 read/write expand-down data segment, base 0, limit DSAPP_LIMIT, B=1
(offsets DSAPP_LIMIT+1 .. 4 GiB-1: no code, no OS data).  Prints PASS/FAIL/SKIP lines for
tests/run.py."""
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report  # noqa: E402
from report import ROOT, BUILD, KERNEL, MODS, QEMU, KLOS  # noqa: E402

NVEC, VEC_NM, SEL_KCODE, SEL_TEV0 = KLOS['NVEC'], KLOS['VEC_NM'], KLOS['SEL_KCODE'], KLOS['SEL_TEV0']
SEL_CSOS, SEL_DSAPP = KLOS['SEL_CSOS'], KLOS['SEL_DSAPP']
CSOS_LIMIT, DSAPP_LIMIT = KLOS['CSOS_LIMIT'], KLOS['DSAPP_LIMIT']
TSS_LIMIT = KLOS['TSS_SIZE'] - 1
LOG = []


class Monitor:
    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.settimeout(20)
        self.s.connect(path)
        self.cmd(None)

    def cmd(self, line):
        if line:
            self.s.sendall(line.encode() + b'\n')
        buf = b''
        while not buf.endswith(b'(qemu) '):
            d = self.s.recv(1 << 20)
            if not d:
                raise OSError('monitor closed')
            buf += d
        return buf.decode('latin-1').replace('\r', '')

    def mem(self, addr, n, unit='w'):
        """n bytes (n a multiple of 4 for words) at linear addr."""
        out, size = self.cmd('x /%d%sx 0x%x' % (n // (4 if unit == 'w' else 1), unit, addr)), 0
        data = []
        for l in out.splitlines():
            m = re.match(r'^([0-9a-f]+):\s+(.*)$', l.strip())
            if m:
                data += [int(x, 16) for x in re.findall(r'0x([0-9a-f]+)', m.group(2))]
        size = 4 if unit == 'w' else 1
        if len(data) * size != n:
            raise OSError('x at 0x%x: %s' % (addr, out.strip()[-120:]))
        return struct.pack('<%d%s' % (len(data), 'I' if size == 4 else 'B'), *data)


def desc(raw, i):
    lo, hi = struct.unpack_from('<II', raw, 8 * i)
    d = {'lo': lo, 'hi': hi, 'p': hi >> 15 & 1, 'dpl': hi >> 13 & 3, 's': hi >> 12 & 1,
         'type': hi >> 8 & 15, 'sel': lo >> 16, 'off': (hi & 0xFFFF0000) | (lo & 0xFFFF),
         'base': (lo >> 16) | (hi & 0xFF) << 16 | (hi & 0xFF000000)}
    lim = (lo & 0xFFFF) | (hi & 0xF0000)
    d['limit'] = (lim << 12 | 0xFFF) if hi >> 23 & 1 else lim
    d['db'] = hi >> 22 & 1
    return d


def segments(gdt):
    """The errors in CSOS's and DSAPP's live descriptors (SDM 3.4.5.1: type bit 3 code,
    for code bit 2 conforming and bit 1 readable, for data bit 2 expand-down and bit 1
    writable; bit 0 is 'accessed', set by the CPU)."""
    errs = []
    c, d = desc(gdt, SEL_CSOS >> 3), desc(gdt, SEL_DSAPP >> 3)
    LOG.append('CSOS %08x %08x: type %#x limit %#x; DSAPP %08x %08x: type %#x limit %#x B=%d'
               % (c['hi'], c['lo'], c['type'], c['limit'], d['hi'], d['lo'], d['type'],
                  d['limit'], d['db']))
    if not (c['p'] and c['s'] and c['dpl'] == 3 and c['db'] and c['type'] & 0xE == 0x8):
        errs.append('CSOS (%#x) is not a present DPL-3 32-bit execute-only code segment '
                    '(type %#x)' % (SEL_CSOS, c['type']))
    if c['base'] != 0 or c['limit'] != CSOS_LIMIT:
        errs.append('CSOS covers %#x..%#x, not 0..%#x' % (c['base'], c['base'] + c['limit'],
                                                          CSOS_LIMIT))
    if not (d['p'] and d['s'] and d['dpl'] == 3 and d['type'] & 0xE == 0x6):
        errs.append('DSAPP (%#x) is not a present DPL-3 read/write expand-down data segment '
                    '(type %#x)' % (SEL_DSAPP, d['type']))
    if d['base'] != 0 or d['limit'] != DSAPP_LIMIT or not d['db']:
        errs.append('DSAPP covers %#x..%s, not %#x..0xffffffff' % (
            d['base'] + d['limit'] + 1, '0xffffffff' if d['db'] else '0xffff', DSAPP_LIMIT + 1))
    return errs


def inspect(mon, syms):
    """The errors found in the live tables, the ring-0 bytes (a list of ranges), and the
    errors in CSOS's and DSAPP's descriptors."""
    regs = mon.cmd('info registers')
    errs, ring0 = [], []
    m = {k: re.search(k + r'=\s*(?:[0-9a-f]{4} )?([0-9a-f]{8}) ([0-9a-f]{8})', regs)
         for k in ('IDT', 'GDT')}
    if not all(m.values()):
        return ['no IDT=/GDT= in info registers'], ring0, ['no GDT= in info registers']
    idt_base, idt_lim = (int(x, 16) for x in m['IDT'].groups())
    gdt_base, gdt_lim = (int(x, 16) for x in m['GDT'].groups())
    LOG.append('IDTR %08x/%x GDTR %08x/%x' % (idt_base, idt_lim, gdt_base, gdt_lim))
    if idt_lim != NVEC * 8 - 1:
        errs.append('IDT limit %#x, not %#x' % (idt_lim, NVEC * 8 - 1))
    idt = mon.mem(idt_base, min(idt_lim + 1, NVEC * 8) & ~7)
    gdt = mon.mem(gdt_base, (gdt_lim + 1) & ~7)
    ngdt = len(gdt) // 8
    seg = segments(gdt)

    def gdt_at(sel):
        return desc(gdt, sel >> 3) if (sel >> 3) < ngdt and not sel & 4 else None
    for v in range(len(idt) // 8):
        g = desc(idt, v)
        if v == VEC_NM:
            kc = gdt_at(g['sel'])
            if not (g['p'] and g['type'] == 0xE and g['dpl'] == 0 and g['sel'] == SEL_KCODE
                    and kc and kc['base'] + g['off'] == syms['ec_nm']):
                errs.append('#NM: not a DPL-0 interrupt gate to KCODE at ec_nm (%08x %08x)'
                            % (g['hi'], g['lo']))
            continue
        want = SEL_TEV0 + 8 * v
        if not (g['p'] and g['type'] == 5 and g['sel'] == want):
            errs.append('IDT[%d] not a task gate to %#x (%08x %08x)' % (v, want, g['hi'], g['lo']))
            continue
        t = gdt_at(want)
        if not (t and t['p'] and t['s'] == 0 and t['type'] in (9, 0xB) and t['dpl'] == 0
                and t['limit'] == TSS_LIMIT):
            errs.append('GDT %#x not a DPL-0 32-bit TSS of limit 103' % want)
            continue
        cs = struct.unpack_from('<I', mon.mem(t['base'] + 76, 4))[0] & 0xFFFF
        c = gdt_at(cs) if not cs & 4 else None
        if cs & 3 != 3 or not (c and c['s'] and c['type'] & 8 and c['dpl'] == 3):
            errs.append('task %#x: saved CS %#x is not ring-3 code' % (want, cs))
    for sym in ('ec_idt', 'ec_idt_bench'):          # a process's IDT is one of these two
        if mon.mem(syms[sym], len(idt)) != idt:
            errs.append('%s differs from the live IDT' % sym)
    # every table a selector can name: the GDT and each LDT it holds (SDM 3.5.1)
    tables = [('GDT', gdt)]
    for i in range(ngdt):
        d = desc(gdt, i)
        if d['p'] and not d['s'] and d['type'] == 2:
            tables.append(('LDT@%#x' % (i * 8), mon.mem(d['base'], (d['limit'] + 1) & ~7)))
    for name, tab in tables:
        for i in range(len(tab) // 8):
            d = desc(tab, i)
            if not d['p']:
                continue
            if not d['s'] and d['type'] in (4, 6, 7, 0xC, 0xE, 0xF):
                errs.append('%s[%#x]: a gate (type %d)' % (name, i * 8, d['type']))
            if d['s'] and d['type'] & 8 and d['dpl'] == 0:
                lo, hi = d['base'], d['base'] + d['limit'] + 1
                ring0.append((lo, hi))
                if lo < syms['ec_nm'] or hi > syms['ec_nm_end']:
                    errs.append('%s[%#x]: DPL-0 code covers %#x..%#x' % (name, i * 8, lo, hi))
    code = mon.mem(syms['ec_nm'], 3, 'b')
    if code != b'\x0f\x06\xcf':
        errs.append('ec_nm holds %s, not 0F 06 CF (clts; iretd)' % code.hex())
    LOG.append('%d IDT entries, %d GDT slots, %d LDT(s); DPL-0 code: %s' % (
        len(idt) // 8, ngdt, len(tables) - 1,
        ', '.join('%#x..%#x' % r for r in ring0) or 'none'))
    return errs, ring0, seg


def boot(name, cmdline, syms):
    """Boot the shell with cmdline; inspect at its prompt; exit.  Returns (errors, ring0,
    segment errors, why)."""
    tmp = tempfile.mkdtemp(prefix='klos-taskdesc.', dir='/tmp')
    iso, pipe, sock = (os.path.join(tmp, f) for f in ('t.iso', 'com1', 'mon'))
    os.mkfifo(pipe + '.in')
    os.mkfifo(pipe + '.out')
    r = subprocess.run([os.path.join(ROOT, 'tools', 'mkiso.sh'), iso, KERNEL, cmdline,
                        os.path.join(MODS, 'shell')],
                       stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)
    if r.returncode:
        return None, None, 'mkiso failed: ' + r.stderr.strip()[-200:]
    qemu = subprocess.Popen([QEMU, '-display', 'none', '-no-reboot', '-m', '64',
                             '-chardev', 'pipe,id=com1,path=' + pipe, '-serial', 'chardev:com1',
                             '-monitor', 'unix:%s,server=on,wait=off' % sock,
                             '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04', '-cdrom', iso],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    out, errs, ring0, seg, why = [], None, None, None, None
    rd = open(pipe + '.out', 'rb')
    wr = open(pipe + '.in', 'wb', buffering=0)

    def reader():
        while True:
            b = rd.read1(4096)
            if not b:
                return
            out.append(b)
    threading.Thread(target=reader, daemon=True).start()
    text = lambda: b''.join(out).decode('latin-1').replace('\r', '')
    t0 = time.time()
    try:
        end = t0 + 60
        while 'klos> ' not in text() and time.time() < end and qemu.poll() is None:
            time.sleep(0.2)
        if 'klos> ' not in text():
            why = 'no shell prompt'
        else:
            errs, ring0, seg = inspect(Monitor(sock), syms)
            wr.write(b'exit\n')
            while time.time() < end and qemu.poll() is None:
                time.sleep(0.2)
            if 'KLOS-EXIT 0' not in text() or qemu.poll() is None:
                why = 'the shell\'s exit did not end QEMU through the guest (KLOS-EXIT 0)'
            elif re.search(r'PANIC|EVENTCORE', text()):
                why = 'the log shows a panic'
    except OSError as e:
        why = 'monitor: %s' % e
    finally:
        if qemu.poll() is None:
            qemu.kill()
        qemu.wait()
        wr.close()
        LOG.append('%s: %.1f s' % (name, time.time() - t0))
        with open(os.path.join(BUILD, 'tests', name + '.log'), 'w') as f:
            f.write(text() + '\n--- taskdesc.py\n' + '\n'.join(LOG) + '\n'
                    + '\n'.join((errs or []) + (seg or [])) + '\n')
        shutil.rmtree(tmp, ignore_errors=True)
    return errs, ring0, seg, why


def main():
    if not shutil.which(QEMU):
        print('SKIP taskdesc: %s not found' % QEMU)
        return 0
    os.makedirs(os.path.join(BUILD, 'tests'), exist_ok=True)
    nm = subprocess.run(['nm', KERNEL], capture_output=True, text=True).stdout
    syms = {s: int(a, 16) for a, _, s in (l.split() for l in nm.splitlines() if l.count(' ') == 2)
            if s in ('ec_nm', 'ec_nm_end', 'ec_idt', 'ec_idt_bench')}
    if len(syms) != 4:
        print('FAIL taskdesc-task: no ec_nm, ec_nm_end, ec_idt, ec_idt_bench in %s' % KERNEL)
        return 1
    fails = 0
    errs, ring0, seg, why = boot('taskdesc-task', 'events=task', syms)
    if not why and not ring0:
        why = 'no DPL-0 code descriptor at all: #NM could not clear CR0.TS'
    if not why and not errs:
        n = len(set(a for lo, hi in ring0 for a in range(lo, hi)))
        print('taskdesc: ring 0 holds %d bytes (ec_nm..ec_nm_end = %#x..%#x)'
              % (n, syms['ec_nm'], syms['ec_nm_end']))
    fails += report.verdict('taskdesc-task', why, []) if why else report.result('taskdesc-task',
                                                                               errs + seg)
    LOG.clear()
    errs, ring0, seg, why = boot('taskdesc-eventcore', '', syms)
    fails += report.verdict('taskdesc-eventcore-segments', why, []) if why else report.result(
        'taskdesc-eventcore-segments', seg)
    if not why and not errs:
        why = 'the checker passed the event core\'s tables: it would pass anything'
    elif not why and not (any('task gate' in e for e in errs)
                          and any('DPL-0 code covers' in e for e in errs)):
        why = 'rejected, but not for interrupt gates and a flat KCODE: ' + '; '.join(errs[:3])
    if not why:
        print('taskdesc: the event core is rejected: %d errors, e.g. %s' % (len(errs), errs[0]))
    fails += report.verdict('taskdesc-eventcore-rejected', why, [])
    return 1 if fails else 0


if __name__ == '__main__':
    sys.exit(main())
