#!/usr/bin/env python3
"""Find string instructions in the OS image that do not load ES from DS first.

    strscan.py [--check] [--objdump PROG] [--allow FUNC]... ELF...

Every service stub swaps DS only (os/svc/stubs.inc): inside a service ES is
whatever the app called with.  The string instructions address through ES
implicitly (SDM vol. 1, 7.3.9: MOVS, STOS, INS write ES:EDI; CMPS, SCAS read
it), so OS code may use one only where it loads ES from DS itself: the
rule checked here is that every MOVS, STOS, LODS, CMPS, SCAS, INS or OUTS
-- with or without a REP/REPE/REPNE prefix or a segment override -- lies in
a function that, before it, loads ES from DS (MOV r, DS directly followed
by MOV ES, r; or PUSH DS; POP ES) with no other ES load in between, and
loads ES again after it (puts the caller's back).  That is lib/string.c's
memcpy and memset and the inline copy_words of lib/string.h, nothing else;
a compiler emits bare string instructions for struct copies and for
memset/memcpy of locals unless told not to (the OS is built with
-mstringop-strategy=libcall).  LODS and OUTS read through DS only, but
they are held to the rule too: simple to check and to keep.  On QEMU TCG a
string instruction through ES = DSAPP at an OS address passes unnoticed
(TCG checks no segment limits); on a PC or Bochs it is a #GP inside the OS.

Exempt, by section: the ring-0 code, which never runs with an app's ES --
.boot (boot/, before any app exists) and .eventcore (eventcore/, which loads
ES = KDATA itself on every entry, eventcore/entry.inc).  Events reach OS
code with DS = ES = DSOS (the event core's IRET frame, or a handler task's
TSS with events=task), but OS event handlers get no exemption: the same
functions run inside services.

Instructions come from objdump -d (the linked image's own disassembly), in
address order within each function; each one's bytes are decoded past its
prefixes (F0 F2 F3 2E 36 3E 26 64 65 66 67): opcodes 6C-6F (INS, OUTS),
A4-A7 (MOVS, CMPS), AA-AF (STOS, LODS, SCAS) are string instructions --
nothing else in 32-bit code has those opcodes.  ES loads are 8E /0 (MOV ES,
r/m16), 07 (POP ES) and C4 (LES).  For each offence prints

    strscan: FILE: string instruction 'rep stos %al,%es:(%edi)' (f3 aa) at 0x0010a1c3 in sys_ps+0x33: ES not loaded from DS before it

Exit status: 0 if clean, 1 if not, 2 on a bad file or no objdump.  --check
prints at most the first 5 offences of each file (for the build).  --allow
FUNC passes FUNC's string instructions: the test kernel's esfault test runs
one with ES = DSAPP on purpose (tests/os/modes_asm.asm: es_stosd).
"""
import os
import re
import shutil
import subprocess
import sys

EXEMPT_SECTIONS = {
    '.boot': 'ring 0, boot only: runs before any app, with its own flat ES',
    '.eventcore': 'ring 0: the event core loads ES = KDATA on every entry',
}
PREFIXES = {0xF0, 0xF2, 0xF3, 0x2E, 0x36, 0x3E, 0x26, 0x64, 0x65, 0x66, 0x67}
STRING_OPS = {0x6C, 0x6D, 0x6E, 0x6F, 0xA4, 0xA5, 0xA6, 0xA7,
              0xAA, 0xAB, 0xAC, 0xAD, 0xAE, 0xAF}

SECTION = re.compile(r'^Disassembly of section (\S+):')
FUNC = re.compile(r'^([0-9a-f]+) <(.+)>:$')
INSN = re.compile(r'^\s*([0-9a-f]+):\t((?:[0-9a-f]{2} )+)\s*\t?(.*)$')


def opcode(raw):
    """The first byte after the prefixes, or None if there are only prefixes."""
    for b in raw:
        if b not in PREFIXES:
            return b, raw.index(b)
    return None, len(raw)


def is_string(raw):
    op, _ = opcode(raw)
    return op in STRING_OPS


def loads_es(raw):
    op, i = opcode(raw)
    if op in (0x07, 0xC4):                          # pop es, les
        return True
    return op == 0x8E and i + 1 < len(raw) and (raw[i + 1] >> 3) & 7 == 0     # mov es, r/m16


def es_from_ds(prev, raw):
    """True if prev then raw load ES from DS: mov r, ds; mov es, r -- or push ds; pop es."""
    if prev is None:
        return False
    if prev == b'\x1e' and raw == b'\x07':
        return True
    po, pi = opcode(prev)
    ro, ri = opcode(raw)
    if po != 0x8C or ro != 0x8E or pi + 1 >= len(prev) or ri + 1 >= len(raw):
        return False
    pm, rm = prev[pi + 1], raw[ri + 1]
    return (pm >> 6 == 3 and (pm >> 3) & 7 == 3 and            # mov r, ds
            rm >> 6 == 3 and (rm >> 3) & 7 == 0 and pm & 7 == rm & 7)   # mov es, r


def base_name(fn):
    return fn.split('.')[0].split('+')[0]


def find_objdump(prog=None):
    for p in ([prog] if prog else []) + [os.environ.get('OBJDUMP'), 'i686-elf-objdump',
                                         'i686-linux-gnu-objdump', 'objdump']:
        if p and shutil.which(p):
            return p
    return None


def disassemble(path, objdump, span=None):
    """[(section, function, address, bytes, text)] of every instruction in the
    executable sections of path (only [start, stop) if span is given)."""
    rng = ['--start-address=%#x' % span[0], '--stop-address=%#x' % span[1]] if span else []
    out = subprocess.run([objdump, '-d', '-w', '--insn-width=16'] + rng + [path],
                         capture_output=True, text=True)
    if out.returncode != 0:
        raise ValueError(out.stderr.strip() or 'objdump failed')
    insns, sec, fn, fn_addr = [], None, '?', 0
    for line in out.stdout.splitlines():
        m = SECTION.match(line)
        if m:
            sec, fn = m.group(1), '?'
            continue
        m = FUNC.match(line)
        if m:
            fn_addr, fn = int(m.group(1), 16), m.group(2)
            continue
        m = INSN.match(line)
        if m and sec:
            raw = bytes(int(x, 16) for x in m.group(2).split())
            insns.append((sec, fn, fn_addr, int(m.group(1), 16), raw, m.group(3).strip()))
    return insns


def scan(path, first_only=False, objdump=None, allow=(), span=None):
    """Print the offences of one image (in span, [start, stop), if given);
    return 0 (clean), 1 (not) or 2."""
    objdump = find_objdump(objdump)
    if not objdump:
        print('%s: strscan: no objdump found' % path)
        return 2
    try:
        insns = disassemble(path, objdump, span)
    except (OSError, ValueError) as ex:
        print('%s: strscan: cannot disassemble: %s' % (path, ex))
        return 2
    bad, funcs = [], {}
    for sec, fn, fa, va, raw, text in insns:
        if sec not in EXEMPT_SECTIONS and base_name(fn) not in allow:
            funcs.setdefault((fn, fa), []).append((va, raw, text))
    for (fn, fa), body in funcs.items():
        from_ds = False                 # ES holds DS since the last ES load
        pending = []                    # string instructions since then, awaiting ES back
        prev = None
        for va, raw, text in body:
            if loads_es(raw):
                from_ds = es_from_ds(prev, raw)
                pending = []
            elif is_string(raw):
                where = 'string instruction %r (%s) at 0x%08x in %s%s' % (
                    text, raw.hex(' '), va, fn, '+0x%x' % (va - fa) if va != fa else '')
                if not from_ds:
                    bad.append('%s: %s: ES not loaded from DS before it' % (path, where))
                else:
                    pending.append(where)
            prev = raw
        bad += ['%s: %s: ES not put back after it' % (path, w) for w in pending]
    if not bad:
        return 0
    for line in bad[:5] if first_only else bad:
        print('strscan: ' + line)
    if first_only and len(bad) > 5:
        print('strscan: %s: %d more (tools/check/strscan.py %s lists them)' % (path, len(bad) - 5,
                                                                         path))
    return 1


def main():
    args = sys.argv[1:]
    first_only, objdump, allow = False, None, set()
    while args and args[0].startswith('--'):
        if args[0] == '--check':
            first_only = True
            args = args[1:]
        elif args[0] in ('--objdump', '--allow') and len(args) > 1:
            if args[0] == '--objdump':
                objdump = args[1]
            else:
                allow.add(args[1])
            args = args[2:]
        else:
            sys.exit(__doc__)
    if not args:
        sys.exit(__doc__)
    sys.exit(max(scan(p, first_only, objdump, allow) for p in args))


if __name__ == '__main__':
    main()
