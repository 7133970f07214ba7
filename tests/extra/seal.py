#!/usr/bin/env python3
"""Sealing on the host (docs/DESIGN.md §2): no byte that CSOS can reach may start LAR
(0F 02), LSL (0F 03), VERR or VERW (0F 00 /4, /5), at any byte offset.

  seal-kernel       every executable PT_LOAD byte of build/klos.elf is clean
  seal-apps         the same for every app the build links (build/apps/*, except
                    the hostile apps that must be refused: a_lar, bad_*)
  seal-planted      the scanner is not blind: each of the four encodings planted
                    into a copy of klos.elf at an odd offset of its text (mid-
                    instruction) is found at exactly that address, and one planted
                    in a non-executable segment is not reported
  seal-edges        a sequence that ends exactly where the bytes end is found: LAR and LSL
                    in the last two bytes, VERR and VERW in the last three (find()), and
                    LAR planted in the last two bytes of klos.elf's executable segments is
                    reported by sealscan.py itself at exactly that address; a byte past the
                    end never counts
  seal-layout       the image's executable segments lie in the code region (below
                    CODE_END), its writable ones above it; every app likewise,
                    with its writable/data segments in the app data region

Uses tools/check/sealscan.py (the scanner the build runs).  Prints PASS/FAIL lines;
exit status 1 on a failure.  Environment: KLOS_KERNEL, KLOS_BUILD_DIR, KLOS_ROOT.
"""
import contextlib
import io
import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report  # noqa: E402
from report import ROOT, BUILD, KERNEL, KLOS  # noqa: E402
sys.path.insert(0, os.path.join(ROOT, 'tools', 'check'))
import sealscan  # noqa: E402

EXEMPT = {'a_lar'}
failed = 0


def result(name, errors):
    global failed
    failed += report.result(name, errors)


def hits(path):
    e = sealscan.Elf(path)
    out = []
    for (typ, off, vaddr, _pa, filesz, _m, flags, _a) in e.segments():
        if typ == 1 and flags & 1:
            out += [(vaddr + i, w) for i, w in sealscan.find(e.img[off:off + filesz])]
    return e, out


def main():
    try:
        kern, khits = hits(KERNEL)
    except (OSError, ValueError) as ex:
        print('FAIL seal-kernel: cannot read %s (run make first): %s' % (KERNEL, ex))
        return 1
    result('seal-kernel', ['%s at %#x' % (w, va) for va, w in khits])

    apps_dir = os.path.join(BUILD, 'apps')
    apps = sorted(n for n in os.listdir(apps_dir)
                  if os.path.isfile(os.path.join(apps_dir, n)) and not n.startswith('bad_')
                  and n not in EXEMPT)
    errs = []
    for n in apps:
        try:
            _e, h = hits(os.path.join(apps_dir, n))
        except (OSError, ValueError) as ex:
            errs.append('%s: %s' % (n, ex))
            continue
        errs += ['%s: %s at %#x' % (n, w, va) for va, w in h]
    if len(apps) < 10:
        errs.append('only %d apps found in %s' % (len(apps), apps_dir))
    result('seal-apps', errs)

    # Plant each encoding mid-instruction in a copy of the kernel's text.
    errs = []
    text = [s for s in kern.segments() if s[0] == 1 and s[6] & 1]
    data = [s for s in kern.segments() if s[0] == 1 and not s[6] & 1 and s[4] > 64]
    seq = [(b'\x0f\x02', 'LAR'), (b'\x0f\x03', 'LSL'), (b'\x0f\x00\x20', 'VERR'),
           (b'\x0f\x00\x2d', 'VERW')]
    with tempfile.TemporaryDirectory() as tmp:
        for k, (b, name) in enumerate(seq):
            img = bytearray(kern.img)
            seg = text[k % len(text)]
            at = seg[1] + (seg[4] // 2 | 1) + 2 * k
            img[at:at + len(b)] = b
            if data:
                d = data[0]
                img[d[1] + 33:d[1] + 35] = b'\x0f\x02'      # data: not CSOS's, not reported
            p = os.path.join(tmp, 'planted%d.elf' % k)
            open(p, 'wb').write(img)
            _e, h = hits(p)
            want = seg[2] + at - seg[1]
            found = [va for va, w in h if w.startswith(name)]
            if found != [want]:
                errs.append('%s planted at %#x: scanner reported %s' %
                            (name, want, ['%#x %s' % x for x in h] or 'nothing'))
            with contextlib.redirect_stdout(io.StringIO()):
                rc = sealscan.scan(p, True)
            if rc != 1:
                errs.append('%s planted: sealscan.py --check did not fail' % name)
    result('seal-planted', errs)

    # The edges: the last bytes of a run of bytes, and of an executable segment.
    errs = []
    for b, at, name in ((b'\x90\x90\x0f\x02', 2, 'LAR'), (b'\x90\x0f\x03', 1, 'LSL'),
                        (b'\x0f\x02', 0, 'LAR'), (b'\x90\x0f\x00\xe0', 1, 'VERR'),
                        (b'\x0f\x00\x28', 0, 'VERW')):
        got = sealscan.find(b)
        if [(i, w.split()[0]) for i, w in got] != [(at, name)]:
            errs.append('%s at the end of %s: find() gave %s' % (name, b.hex(), got))
    for b in (b'\x90\x0f', b'\x0f\x00', b'\x90\x0f\x00'):     # 0F 00 00 is SLDT
        if sealscan.find(b):
            errs.append('%s: a byte past the end was read as not zero' % b.hex())
    ends = [s for s in text if s[4] >= 2]
    if not ends:
        errs.append('klos.elf has no executable segment to plant into')
    with tempfile.TemporaryDirectory() as tmp:
        for k, seg in enumerate(ends):
            img = bytearray(kern.img)
            end = seg[1] + seg[4]
            img[end - 2:end] = b'\x0f\x02'
            p = os.path.join(tmp, 'end%d.elf' % k)
            open(p, 'wb').write(img)
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                rc = sealscan.scan(p, False)
            want = 'LAR (0F 02) at 0x%08x ' % (seg[2] + seg[4] - 2)
            if rc != 1 or want not in out.getvalue():
                errs.append('LAR in the last two bytes of the segment at %#x: sealscan.py '
                            'said %r' % (seg[2], out.getvalue().strip()[-160:] or 'nothing'))
    result('seal-edges', errs)

    code_end, app_data = KLOS['CODE_END'], KLOS['APP_DATA_BASE']
    errs = []
    for (typ, _o, vaddr, _pa, _f, memsz, flags, _a) in kern.segments():
        if typ != 1:
            continue
        if flags & 1 and vaddr + memsz > code_end:
            errs.append('klos.elf: executable segment at %#x past the code region' % vaddr)
        if not flags & 1 and vaddr < code_end:
            errs.append('klos.elf: data segment at %#x in the code region' % vaddr)
    for n in apps:
        for (typ, _o, vaddr, _pa, _f, memsz, flags, _a) in sealscan.Elf(
                os.path.join(apps_dir, n)).segments():
            if typ != 1 or not memsz:
                continue
            if flags & 1 and (flags & 2 or vaddr + memsz > code_end):
                errs.append('%s: executable segment at %#x writable or past the code region'
                            % (n, vaddr))
            if not flags & 1 and vaddr < app_data:
                errs.append('%s: data segment at %#x below the app data region' % (n, vaddr))
    result('seal-layout', errs)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
