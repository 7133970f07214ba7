#!/usr/bin/env python3
"""Modules for the bad-boot tests (tests/boot/attack.py).

    mkjunk.py random OUT          OUT = 64 KiB of (seeded, so reproducible) random bytes:
                                  not an ELF at all
    mkjunk.py huge IN.elf OUT     OUT = IN with 64 MiB added to the memory size of its last
                                  writable PT_LOAD segment (its .bss): a valid ELF that needs
                                  more memory than a 32 MiB machine has

Standard library only."""
import random
import struct
import sys

PT_LOAD, PF_W = 1, 2
EXTRA = 64 << 20


def junk(out):
    rnd = random.Random(0x4B4C4F53)     # "KLOS"
    data = bytearray(rnd.getrandbits(8) for _ in range(64 << 10))
    if data[:4] == b'\x7fELF':          # (it is not, with this seed; be sure)
        data[0] ^= 0xFF
    with open(out, 'wb') as f:
        f.write(data)


def huge(src, out):
    img = bytearray(open(src, 'rb').read())
    if img[:4] != b'\x7fELF' or img[4] != 1 or img[5] != 1:
        raise SystemExit('mkjunk: %s is not a 32-bit little-endian ELF' % src)
    phoff, = struct.unpack_from('<I', img, 28)
    phentsize, phnum = struct.unpack_from('<HH', img, 42)
    last = None
    for i in range(phnum):
        off = phoff + i * phentsize
        p_type, _, vaddr, _, _, memsz, flags = struct.unpack_from('<7I', img, off)
        if p_type == PT_LOAD and flags & PF_W:
            last = (off, vaddr, memsz)
    if last is None:
        raise SystemExit('mkjunk: %s has no writable PT_LOAD segment' % src)
    off, vaddr, memsz = last
    struct.pack_into('<I', img, off + 20, memsz + EXTRA)
    with open(out, 'wb') as f:
        f.write(img)


def main():
    if len(sys.argv) == 3 and sys.argv[1] == 'random':
        junk(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == 'huge':
        huge(sys.argv[2], sys.argv[3])
    else:
        raise SystemExit(__doc__)


if __name__ == '__main__':
    main()
