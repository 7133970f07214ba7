#!/usr/bin/env python3
"""Find LAR, LSL, VERR and VERW in the executable bytes of an ELF file.

    sealscan.py [--check] ELF...

KLOS's sealed layout (docs/DESIGN.md §2) needs every byte that CSOS can reach to
be free of the encodings 0F 02 (LAR), 0F 03 (LSL) and 0F 00 /4, /5 (VERR,
VERW) at EVERY byte offset: a jump may land in the middle of an instruction,
so a disassembly is not enough.  Scans each PT_LOAD segment with the
execute flag, bytes past its file size read as zero (what the loader maps
there).  For each hit prints

    FILE: LAR (0F 02) at 0x010013b5 in probe_lar+0x15 (file offset 0x23b5)

naming the function (the nearest symbol of the .symtab at or below it).
Exit status: 0 if every file is sealed, 1 if any is not, 2 on a bad file.
--check prints only the first hit of each unsealed file (for the build).
The same rule as os/proc/seal.c (the loader's check).  Standard library only.
"""
import struct
import sys

PT_LOAD, PF_X = 1, 1


def seal_at(b, i):
    if b[i] != 0x0F:
        return None
    op = b[i + 1] if i + 1 < len(b) else 0
    modrm = b[i + 2] if i + 2 < len(b) else 0
    if op == 0x02:
        return 'LAR (0F 02)'
    if op == 0x03:
        return 'LSL (0F 03)'
    if op == 0x00 and (modrm >> 3) & 7 == 4:
        return 'VERR (0F 00 /4)'
    if op == 0x00 and (modrm >> 3) & 7 == 5:
        return 'VERW (0F 00 /5)'
    return None


def find(b):
    """[(offset, what)] for every forbidden sequence in the bytes b."""
    out = []
    i = b.find(b'\x0f')
    while i >= 0:
        w = seal_at(b, i)
        if w:
            out.append((i, w))
        i = b.find(b'\x0f', i + 1)
    return out


class Elf:
    def __init__(self, path):
        self.img = open(path, 'rb').read()
        img = self.img
        if img[:4] != b'\x7fELF' or img[4] != 1 or img[5] != 1:
            raise ValueError('not a 32-bit little-endian ELF')
        (self.phoff, self.shoff) = struct.unpack_from('<II', img, 28)
        (self.phentsize, self.phnum, self.shentsize, self.shnum) = \
            struct.unpack_from('<HHHH', img, 42)

    def segments(self):
        for i in range(self.phnum):
            yield struct.unpack_from('<8I', self.img, self.phoff + i * self.phentsize)

    def symbols(self):
        """[(addr, name)] of the .symtab's defined symbols, sorted."""
        img, syms = self.img, []
        sh = [struct.unpack_from('<10I', img, self.shoff + i * self.shentsize)
              for i in range(self.shnum)] if self.shoff else []
        for s in sh:
            if s[1] != 2:                       # SHT_SYMTAB
                continue
            strtab = sh[s[6]]
            for k in range(s[5] // 16):
                name, value, size, info, other, shndx = struct.unpack_from(
                    '<IIIBBH', img, s[4] + 16 * k)
                if shndx == 0 or (info & 0xF) in (3, 4):    # undefined, section, file
                    continue
                end = img.index(b'\0', strtab[4] + name)
                n = img[strtab[4] + name:end].decode('ascii', 'replace')
                if n and not n.startswith('.L') and not n.startswith('$'):
                    syms.append((value, n))
        syms.sort()
        return syms


def where(syms, va):
    best = None
    for a, n in syms:
        if a <= va:
            best = (a, n)
        else:
            break
    if not best:
        return '?'
    return best[1] + ('+0x%x' % (va - best[0]) if va != best[0] else '')


def scan(path, first_only):
    hits = []
    try:
        e = Elf(path)
        for (typ, off, vaddr, _pa, filesz, _memsz, flags, _al) in list(e.segments()):
            if typ == PT_LOAD and flags & PF_X:
                for i, what in find(e.img[off:off + filesz]):
                    hits.append((vaddr + i, off + i, what))
    except (OSError, ValueError, struct.error) as ex:
        print('%s: cannot read: %s' % (path, ex))
        return 2
    if not hits:
        return 0
    syms = e.symbols()
    for va, off, what in hits[:1] if first_only else hits:
        print('%s: %s at 0x%08x in %s (file offset 0x%x)' % (path, what, va, where(syms, va), off))
    if first_only and len(hits) > 1:
        print('%s: %d more (tools/check/sealscan.py %s lists them)' % (path, len(hits) - 1, path))
    return 1


def main():
    args = sys.argv[1:]
    first_only = bool(args) and args[0] == '--check'
    if first_only:
        args = args[1:]
    if not args:
        sys.exit(__doc__)
    sys.exit(max(scan(p, first_only) for p in args))


if __name__ == '__main__':
    main()
