#!/usr/bin/env python3
"""String instructions in OS code.  The stubs swap DS only, so inside a
service ES is the app's; only lib/string.c's memcpy and memset may use string
instructions, and they load ES from DS themselves.  tools/check/strscan.py checks the image
at build time; this checks the checker and the routines.

  strops-kernel     build/klos.elf is clean; the test kernel is clean but for the
                    esfault test's deliberate stosd (es_stosd), which --allow names
  strops-planted    the scanner is not blind: each string opcode (MOVS, CMPS, STOS,
                    LODS, SCAS, INS, OUTS; with REP/REPNE, operand-size and ES override
                    prefixes) planted at sys_uptime in a copy of klos.elf is reported
                    there, naming sys_uptime and the address, and --check fails; one
                    planted in the event core (ring 0, exempt) and a MOVSX (0F BE, not a
                    string instruction) are not reported
  strops-es-routine memcpy with its ES load removed (8E C1 -> 89 C9) is reported: an
                    ES routine must load ES before its string instructions and after
  strops-native     lib/string.c built for i686 and run natively (strops_native.c):
                    right for every size and alignment, works with a null ES on entry
                    and gives it back, and a bare rep movsb through a null ES faults

Prints PASS/FAIL/SKIP lines; exit status 1 on a failure.  Environment: KLOS_KERNEL,
KLOS_BUILD_DIR, KLOS_ROOT, CC (default i686-linux-gnu-gcc).
"""
import contextlib
import io
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report  # noqa: E402
from report import ROOT, BUILD, KERNEL  # noqa: E402
sys.path.insert(0, os.path.join(ROOT, 'tools', 'check'))
import sealscan  # noqa: E402
import strscan  # noqa: E402

failed = 0


def result(name, errors):
    global failed
    failed += report.result(name, errors)


def scan(path, allow=(), at=None):
    """(exit status, printed lines) of strscan on path (only 96 bytes from at, if
    given: a planted copy differs from the checked image only there)."""
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        rc = strscan.scan(path, False, None, set(allow), (at, at + 96) if at else None)
    return rc, buf.getvalue().splitlines()


def file_offset(elf, va):
    for (typ, off, vaddr, _pa, filesz, _m, _f, _a) in elf.segments():
        if typ == 1 and vaddr <= va < vaddr + filesz:
            return off + va - vaddr
    raise ValueError('%#x is in no loaded segment' % va)


def planted(elf, va, code, tmp, name):
    img = bytearray(elf.img)
    at = file_offset(elf, va)
    img[at:at + len(code)] = code
    p = os.path.join(tmp, name)
    with open(p, 'wb') as f:
        f.write(img)
    return p


def main():
    global failed
    if not strscan.find_objdump():
        print('SKIP strops: no objdump')
        return 0
    test_kernel = os.path.join(os.path.dirname(KERNEL), 'klos-test.elf')
    errs = []
    rc, out = scan(KERNEL)
    if rc != 0:
        errs += ['%s: %s' % (os.path.basename(KERNEL), l) for l in out] or ['status %d' % rc]
    if os.path.exists(test_kernel):
        rc, out = scan(test_kernel, ['es_stosd'])
        if rc != 0:
            errs += ['klos-test.elf: %s' % l for l in out] or ['status %d' % rc]
        rc, out = scan(test_kernel)
        if rc != 1 or len(out) != 1 or ' in es_stosd+' not in out[0]:
            errs.append('klos-test.elf without --allow: want only es_stosd, got %r' % out)
    else:
        errs.append('%s missing' % test_kernel)
    result('strops-kernel', errs)

    try:
        elf = sealscan.Elf(KERNEL)
    except (OSError, ValueError) as ex:
        print('FAIL strops-planted: cannot read %s: %s' % (KERNEL, ex))
        return 1
    syms = dict((n, a) for a, n in elf.symbols())
    plants = [(b'\xa4', 'movsb'), (b'\xf3\xa5', 'rep movsd'), (b'\x66\xa5', 'movsw'),
              (b'\xf3\xa6', 'repe cmpsb'), (b'\xa7', 'cmpsd'), (b'\xaa', 'stosb'),
              (b'\xf3\xab', 'rep stosd'), (b'\xac', 'lodsb'), (b'\xad', 'lodsd'),
              (b'\xf2\xae', 'repne scasb'), (b'\xaf', 'scasd'), (b'\x6c', 'insb'),
              (b'\xf3\x6d', 'rep insd'), (b'\x6e', 'outsb'), (b'\x66\x6f', 'outsw'),
              (b'\x26\xa4', 'movsb, ES override'), (b'\x3e\xf3\xa4', 'rep movsb, DS override')]
    errs = []
    with tempfile.TemporaryDirectory() as tmp:
        va = syms.get('sys_uptime')
        ec = syms.get('ec_common')
        mc = syms.get('memcpy')
        if va is None or ec is None or mc is None:
            result('strops-planted', ['no sys_uptime, ec_common or memcpy in %s' % KERNEL])
            return 1
        for k, (code, what) in enumerate(plants):
            p = planted(elf, va, code + b'\x90' * (5 - len(code)), tmp, 'p%d.elf' % k)
            rc, out = scan(p, at=va)
            hit = [l for l in out if 'at 0x%08x in sys_uptime' % va in l]
            if rc != 1 or len(out) != 1 or not hit:
                errs.append('%s planted at sys_uptime (%#x): %r' % (what, va, out))
        # ring 0 is exempt; MOVSX is no string instruction
        p = planted(elf, ec, b'\xf3\xa4\x90', tmp, 'ec.elf')
        rc, out = scan(p, at=ec)
        if rc != 0:
            errs.append('rep movsb in the event core reported: %r' % out)
        p = planted(elf, va, b'\x0f\xbe\xc0\x90\x90', tmp, 'movsx.elf')
        rc, out = scan(p, at=va)
        if rc != 0:
            errs.append('movsbl (0F BE) reported: %r' % out)
        result('strops-planted', errs)

        # memcpy without its ES load
        errs = []
        code = elf.img[file_offset(elf, mc):file_offset(elf, mc) + 64]
        i = code.find(b'\x8e\xc1')
        if i < 0:
            errs.append('memcpy has no mov es, ecx (8E C1) to remove')
        else:
            p = planted(elf, mc + i, b'\x89\xc9', tmp, 'noes.elf')
            rc, out = scan(p, at=mc)
            if rc != 1 or not any(' in memcpy+' in l and 'ES not loaded from DS' in l
                                  for l in out):
                errs.append('memcpy without its ES load: %r' % out)
        result('strops-es-routine', errs)

        # lib/string.c natively
        cc = os.environ.get('CC', 'i686-linux-gnu-gcc')
        if not shutil.which(cc):
            print('SKIP strops-native: no %s' % cc)
            return 1 if failed else 0
        names = ['memcpy', 'memset', 'memmove', 'memcmp', 'strlen', 'strcmp', 'strncmp',
                 'strchr', 'strncpy', 'strstr']
        exe = os.path.join(tmp, 'strops_native')
        lib = os.path.join(tmp, 'string.o')
        cmd1 = [cc, '-m32', '-march=pentium', '-O2', '-fno-pie', '-ffreestanding',
                '-fno-tree-loop-distribute-patterns', '-fomit-frame-pointer', '-ffixed-ebp',
                '-Wall', '-Wextra', '-Werror', '-I', os.path.join(ROOT, 'lib'), '-c',
                os.path.join(ROOT, 'lib', 'string.c'), '-o', lib] + \
               ['-D%s=k_%s' % (n, n) for n in names]
        cmd2 = [cc, '-m32', '-static', '-O1', '-fno-pie', '-no-pie', '-Wall', '-Wextra',
                '-Werror', '-o', exe, os.path.join(ROOT, 'tests', 'extra', 'strops_native.c'),
                lib]
        for cmd in (cmd1, cmd2):
            r = subprocess.run(cmd, capture_output=True, text=True)
            if r.returncode != 0:
                print('FAIL strops-native: %s: %s' % (' '.join(cmd[:1]), r.stderr.strip()[-400:]))
                return 1
        try:
            r = subprocess.run([exe], capture_output=True, text=True, timeout=60)
        except OSError as ex:
            print('SKIP strops-native: cannot run a 32-bit process here: %s' % ex)
            return 1 if failed else 0
        print(r.stdout, end='')
        if r.returncode != 0:
            failed += 1
            if 'strops-native' not in r.stdout:
                print('FAIL strops-native: exit status %d %s' % (r.returncode, r.stderr[-200:]))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
