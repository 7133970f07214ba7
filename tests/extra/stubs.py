#!/usr/bin/env python3
"""Check the service stubs in the kernel image (build/klos.elf), on the host.

  stubs-b-layout    every svcB_NAME is at SVC_B_BASE + n*4096 (n = SVC_NAME from
                    build/gen/klos_svc.h), one per service, none extra
  stubs-h-layout    the same for the hardened stubs at SVC_H_BASE
  stubs-a-entry     the Design A trampoline svcA_entry is at SVC_A_BASE
  stubs-own-page    each B/H stub's page holds only that stub: from its ret to the
                    page end only 0xCC padding, and no other global symbol
  stubs-readonly    the stub sections are allocated, executable, not writable
  stubs-dsos-sites  svc_patch_dsos (bytes read from the image) lists exactly the
                    .dsos label + 2 of every stub and of the trampoline; each address
                    holds SEL_DSOS_INIT inside 'mov ax, imm16' (66 B8) followed by
                    'mov ds, ax' (8E D8)
  stubs-dsapp-sites svc_patch_dsapp likewise: SEL_DSAPP inside 'mov cx, imm16' (66 B9)
                    followed by 'mov ds, cx' (8E D9)
  stubs-no-stray-dsos  no 'mov ax, SEL_DSOS_INIT' in the stub sections that the patch
                    table misses (it would keep a stale selector after relocation)
  stubs-cld         every B/H stub and the trampoline begins with cld (FC) and its
                    .dsos load follows at once: the OS's C code assumes DF=0 and an
                    app may call with DF=1 (the Design B path is then 10 instructions)
  stubs-p-page      the paper's four-load Design B (svcBp_null, the benchmark's row) is
                    at SVC_P_BASE, alone on its page, in the patch tables like the rest
  stubs-ds-only     no B/H stub and not the trampoline loads ES (mov es, pop es, les),
                    uses an ES override or a string instruction: they swap DS only and
                    the app gets its ES back; the paper's stub loads ES exactly twice
                    (disassembled with objdump, as tools/strscan.py does)

Prints PASS/FAIL lines (tests/run.py's extra format); exit status 1 on a failure.
Environment: KLOS_KERNEL (default build/klos.elf), KLOS_BUILD_DIR (default build),
KLOS_ROOT.  Standard library only.
"""
import os
import re
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report  # noqa: E402
from report import ROOT, BUILD, KERNEL, KLOS  # noqa: E402
sys.path.insert(0, os.path.join(ROOT, 'tools', 'check'))
import strscan  # noqa: E402

SECTIONS = ('.svc_b', '.svc_h', '.svc_a', '.svc_p')

failed = 0


def result(name, errors):
    global failed
    failed += report.result(name, errors)


def defines(path):
    d = {}
    with open(path) as f:
        for line in f:
            m = re.match(r'\s*#define\s+(\w+)\s+(0x[0-9A-Fa-f]+|\d+)\b', line)
            if m:
                d[m.group(1)] = int(m.group(2), 0)
    return d


class Elf:
    def __init__(self, path):
        self.b = open(path, 'rb').read()
        b = self.b
        if b[:4] != b'\x7fELF' or b[4] != 1 or b[5] != 1:
            raise ValueError('%s: not a 32-bit little-endian ELF' % path)
        shoff, = struct.unpack_from('<I', b, 32)
        shentsize, shnum, shstrndx = struct.unpack_from('<HHH', b, 46)
        raw = [struct.unpack_from('<10I', b, shoff + i * shentsize) for i in range(shnum)]
        stroff = raw[shstrndx][4]
        self.sections = {}
        for s in raw:
            name = self.cstr(stroff + s[0])
            self.sections[name] = dict(type=s[1], flags=s[2], addr=s[3], offset=s[4], size=s[5],
                                       link=s[6], entsize=s[9])
        phoff, = struct.unpack_from('<I', b, 28)
        phnum, = struct.unpack_from('<H', b, 44)
        self.loads = [struct.unpack_from('<8I', b, phoff + 32 * i) for i in range(phnum)]
        self.loads = [p for p in self.loads if p[0] == 1]
        st = self.sections['.symtab']
        strtab = list(self.sections.values())[st['link']]['offset']
        self.syms = {}
        self.globals = []
        for i in range(st['size'] // 16):
            name, value, size, info, other, shndx = struct.unpack_from('<IIIBBH', b,
                                                                      st['offset'] + 16 * i)
            n = self.cstr(strtab + name)
            if n:
                self.syms[n] = value
                if info >> 4 == 1:
                    self.globals.append((value, n))

    def cstr(self, off):
        return self.b[off:self.b.index(b'\0', off)].decode()

    def read(self, va, n, upto=False):
        """n bytes at virtual address va (file bytes of a PT_LOAD), or None;
        with upto, as many of them as the segment holds."""
        for p in self.loads:
            if p[2] <= va < p[2] + p[4]:
                if va + n > p[2] + p[4]:
                    if not upto:
                        return None
                    n = p[2] + p[4] - va
                return self.b[p[1] + va - p[2]:p[1] + va - p[2] + n]
        return None


def main():
    try:
        elf = Elf(KERNEL)
        k = KLOS
        svc = defines(os.path.join(BUILD, 'gen', 'klos_svc.h'))
    except (OSError, ValueError, KeyError) as e:
        print('FAIL stubs: cannot read the image or headers (run make first): %s' % e)
        return 1
    nsvc = svc.pop('SVC_COUNT')
    num = {n[4:]: v for n, v in svc.items() if n.startswith('SVC_') and n[4:] not in
           ('B_BASE', 'H_BASE', 'A_BASE', 'MAX')}
    if sorted(num.values()) != list(range(nsvc)):
        result('stubs-b-layout', ['klos_svc.h: SVC_* numbers are not 0..SVC_COUNT-1'])
        return 1
    S = elf.syms
    sel_dsos, sel_dsapp = k['SEL_DSOS_INIT'], k['SEL_DSAPP']

    for kind, base in (('B', k['SVC_B_BASE']), ('H', k['SVC_H_BASE'])):
        errs = []
        for n, i in sorted(num.items(), key=lambda x: x[1]):
            want = base + i * 4096
            got = S.get('svc%s_%s' % (kind, n))
            if got is None:
                errs.append('svc%s_%s missing' % (kind, n))
            elif got != want:
                errs.append('svc%s_%s at %#x, expected %#x' % (kind, n, got, want))
        extra = [s for s in S if s.startswith('svc%s_' % kind) and '.' not in s and
                 s[5:] not in num]
        errs += ['%s is not a service of klos_svc.h' % s for s in extra]
        result('stubs-%s-layout' % kind.lower(), errs)

    result('stubs-a-entry', [] if S.get('svcA_entry') == k['SVC_A_BASE'] else
           ['svcA_entry at %#x, expected %#x' % (S.get('svcA_entry', 0), k['SVC_A_BASE'])])

    # The epilogue after .dsapp: mov cx, DSAPP; mov ds, cx; then ret (B), mov ss, cx;
    # mov esp, edx; ret (H), or mov es, cx; ret (the paper's B).
    dsapp = bytes([0x66, 0xB9]) + struct.pack('<H', sel_dsapp) + bytes([0x8E, 0xD9])
    tails = {'B': dsapp + b'\xC3', 'H': dsapp + bytes([0x8E, 0xD1, 0x89, 0xD4, 0xC3]),
             'Bp': dsapp + bytes([0x8E, 0xC1, 0xC3])}

    def own_page(kind, n, errs):
        start = S.get('svc%s_%s' % (kind, n))
        d = S.get('svc%s_%s.dsapp' % (kind, n))
        if start is None or d is None:
            return
        if start & 0xFFF:
            errs.append('svc%s_%s not page aligned' % (kind, n))
            return
        page_end = start + 4096
        tail = tails[kind]
        code = elf.read(d, len(tail), upto=True)
        if code != tail:
            errs.append('svc%s_%s: unexpected code at .dsapp' % (kind, n))
            return
        end = d + len(tail)
        if end > page_end:
            errs.append('svc%s_%s runs past its page' % (kind, n))
            return
        pad = elf.read(end, page_end - end, upto=True) or b''   # last page: what the file holds
        if pad.strip(b'\xCC'):
            errs.append('svc%s_%s: its page holds other bytes after the stub' % (kind, n))
        others = [g for v, g in elf.globals if start <= v < page_end and
                  g != 'svc%s_%s' % (kind, n) and not re.match(r'_svc_._end$', g)]
        if others:                      # (the previous section's end, linker.ld)
            errs.append('svc%s_%s shares its page with %s' % (kind, n, ', '.join(others)))

    errs = []
    for kind in 'BH':
        for n in num:
            own_page(kind, n, errs)
    result('stubs-own-page', errs)

    errs = []
    if S.get('svcBp_null') != k['SVC_P_BASE']:
        errs.append('svcBp_null at %#x, expected %#x' % (S.get('svcBp_null', 0), k['SVC_P_BASE']))
    own_page('Bp', 'null', errs)
    extra = [s for s in S if s.startswith('svcBp_') and '.' not in s and s != 'svcBp_null']
    errs += ['%s: only the null service has a paper stub' % s for s in extra]
    result('stubs-p-page', errs)

    errs = []
    for sec in SECTIONS:
        s = elf.sections.get(sec)
        if not s:
            errs.append('%s missing' % sec)
        elif s['flags'] & 7 != 6:       # SHF_ALLOC | SHF_EXECINSTR, not SHF_WRITE
            errs.append('%s flags %#x' % (sec, s['flags']))
    for p in elf.loads:
        for sec in SECTIONS:
            s = elf.sections.get(sec)
            if s and p[2] <= s['addr'] < p[2] + max(p[5], 1) and p[6] & 2:
                errs.append('%s lies in a writable segment' % sec)
    result('stubs-readonly', errs)

    def table(name):
        cnt = elf.read(S[name + '_count'], 4)
        n, = struct.unpack('<I', cnt)
        raw = elf.read(S[name], 4 * n)
        return list(struct.unpack('<%dI' % n, raw))

    labels = ['svc%s_%s' % (kd, n) for kd in 'BH' for n in num] + ['svcA_entry', 'svcBp_null']
    for name, lab, opc, sel in (('svc_patch_dsos', '.dsos', (0x66, 0xB8, 0x8E, 0xD8), sel_dsos),
                                ('svc_patch_dsapp', '.dsapp', (0x66, 0xB9, 0x8E, 0xD9), sel_dsapp)):
        errs = []
        try:
            sites = table(name)
        except (KeyError, TypeError, struct.error) as e:
            result('stubs-%s-sites' % name[10:], ['cannot read %s: %r' % (name, e)])
            continue
        want = set(S[l + lab] + 2 for l in labels if l + lab in S)
        missing = [l for l in labels if l + lab not in S]
        errs += ['no label %s%s' % (l, lab) for l in missing]
        if len(sites) != 2 * nsvc + 2:
            errs.append('%d sites, expected %d' % (len(sites), 2 * nsvc + 2))
        if set(sites) != want:
            errs.append('table and stub labels differ: %d unlisted, %d extra' %
                        (len(want - set(sites)), len(set(sites) - want)))
        for a in sites:
            b = elf.read(a - 2, 6)
            if b is None or b[0] != opc[0] or b[1] != opc[1] or b[4] != opc[2] or b[5] != opc[3]:
                errs.append('%#x: not mov %s, imm16 / mov ds, %s' % (a, 'ax' if opc[1] == 0xB8
                                                                   else 'cx', 'ax' if opc[1] == 0xB8 else 'cx'))
            elif struct.unpack('<H', b[2:4])[0] != sel:
                errs.append('%#x holds %#x, expected %#x' % (a, struct.unpack('<H', b[2:4])[0], sel))
        result('stubs-%s-sites' % name[10:], errs)

    errs = []
    try:
        listed = set(table('svc_patch_dsos'))
    except (KeyError, TypeError, struct.error):
        listed = set()
    pat = bytes([0x66, 0xB8]) + struct.pack('<H', sel_dsos)
    for sec in SECTIONS:
        s = elf.sections.get(sec)
        if not s:
            continue
        data = elf.b[s['offset']:s['offset'] + s['size']]
        for m in re.finditer(re.escape(pat), data):
            a = s['addr'] + m.start() + 2
            if a not in listed:
                errs.append('%s: unlisted mov ax, %#x at %#x' % (sec, sel_dsos, a - 2))
    result('stubs-no-stray-dsos', errs)

    errs = []
    for l in labels:
        a = S.get(l)
        b = elf.read(a, 1) if a is not None else None
        if b != b'\xFC':
            errs.append('%s does not begin with cld' % l)
        elif S.get(l + '.dsos') != a + 1:
            errs.append('%s: .dsos is not right after the cld' % l)
    result('stubs-cld', errs)

    errs = []
    objdump = strscan.find_objdump()
    try:
        insns = strscan.disassemble(KERNEL, objdump) if objdump else None
    except (OSError, ValueError) as e:
        insns, objdump = None, None
        errs.append('objdump: %s' % e)
    if not objdump:
        errs.append('no objdump to disassemble the stubs with')
    else:
        paper_es = 0
        for sec, fn, _fa, va, raw, text in insns:
            if sec not in SECTIONS:
                continue
            op, i = strscan.opcode(raw)
            what = ('loads ES' if strscan.loads_es(raw) else
                    'string instruction' if strscan.is_string(raw) else
                    'ES override' if 0x26 in raw[:i] else None)
            if sec == '.svc_p' and what == 'loads ES':
                paper_es += 1
            elif what and op != 0xCC:
                errs.append('%s %s at %#x (%s): %s' % (sec, fn, va, text, what))
        if paper_es != 2:
            errs.append('svcBp_null loads ES %d times, the paper\'s Design B twice' % paper_es)
    result('stubs-ds-only', errs)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
