#!/usr/bin/env python3
"""Make malformed app images from a good one, for the loader's refusal tests.

    mkbadelf.py GOOD_APP_ELF OUT_DIR

Writes into OUT_DIR (each must be refused by os/proc/elf.c's elf_check):
  bad_trunc     cut in the middle of the first PT_LOAD segment's file bytes
  bad_truncph   cut in the middle of the program header table
  bad_machine   e_machine = 62 (x86-64)
  bad_oshigh    a non-executable PT_LOAD moved to vaddr 0x10000000 (the OS data region)
  bad_wrap      a PT_LOAD at 0xFFFFF000 whose memory size wraps past 4 GiB
  bad_codew     the text PT_LOAD made writable (a writable segment in the code region)
  bad_datax     a data PT_LOAD made executable (an executable one in the data region)
  bad_lar       LAR (0F 02) planted in the text at APP_TEXT_BASE + 0x10: not sealed
                (elf_seal_check; the other checks pass)
Standard library only.
"""
import os
import struct
import sys

PT_LOAD = 1


def die(msg):
    sys.exit('mkbadelf: ' + msg)


def phdrs(img):
    """[(file offset of the phdr, (type, offset, vaddr, paddr, filesz, memsz, flags, align))]"""
    if img[:4] != b'\x7fELF' or img[4] != 1 or img[5] != 1:
        die('not a 32-bit little-endian ELF')
    phoff, = struct.unpack_from('<I', img, 28)
    phentsize, phnum = struct.unpack_from('<HH', img, 42)
    if phentsize != 32 or not phnum:
        die('unexpected program header table')
    return [(phoff + 32 * i, struct.unpack_from('<8I', img, phoff + 32 * i))
            for i in range(phnum)]


def loads(img):
    return [(at, ph) for at, ph in phdrs(img) if ph[0] == PT_LOAD and ph[5] > 0]


def set_vaddr(img, at, ph, vaddr, memsz=None):
    ph = list(ph)
    ph[2] = ph[3] = vaddr
    if memsz is not None:
        ph[5] = memsz
    struct.pack_into('<8I', img, at, *ph)


def main():
    if len(sys.argv) != 3:
        die('usage: mkbadelf.py GOOD_APP_ELF OUT_DIR')
    good = bytearray(open(sys.argv[1], 'rb').read())
    out = sys.argv[2]
    os.makedirs(out, exist_ok=True)
    lds = loads(good)
    if not lds:
        die('no PT_LOAD segment with contents')
    # A segment that does not hold the entry point, so the entry check passes
    # and the address check is what refuses it.
    data = [x for x in lds if not x[1][6] & 1] or lds[-1:]
    at0, ph0 = lds[0]
    if ph0[4] < 2:
        die('first segment too small to cut in the middle')
    phoff, = struct.unpack_from('<I', good, 28)

    bad = {}
    bad['bad_trunc'] = good[:ph0[1] + ph0[4] // 2]
    bad['bad_truncph'] = good[:phoff + 32 + 16]
    m = bytearray(good)
    struct.pack_into('<H', m, 18, 62)
    bad['bad_machine'] = m
    h = bytearray(good)
    at, ph = data[0]
    set_vaddr(h, at, ph, 0x10000000 | (ph[2] & 0xFFF))
    bad['bad_oshigh'] = h
    w = bytearray(good)
    set_vaddr(w, at, ph, 0xFFFFF000 | (ph[2] & 0xFFF), max(ph[5], 0x2000))
    bad['bad_wrap'] = w
    text = [x for x in lds if x[1][6] & 1]
    if not text or text[0][1][4] < 0x12:
        die('no text segment to plant in')
    tat, tph = text[0]
    c = bytearray(good)
    struct.pack_into('<I', c, tat + 24, tph[6] | 2)
    bad['bad_codew'] = c
    x = bytearray(good)
    struct.pack_into('<I', x, at + 24, ph[6] | 1)
    bad['bad_datax'] = x
    lar = bytearray(good)
    lar[tph[1] + 0x10:tph[1] + 0x13] = b'\x0f\x02\xc0'        # lar eax, eax
    bad['bad_lar'] = lar
    for name, img in bad.items():
        with open(os.path.join(out, name), 'wb') as f:
            f.write(img)


if __name__ == '__main__':
    main()
