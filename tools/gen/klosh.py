#!/usr/bin/env python3
"""The one reader of include/klos.h for the build's and the tests' Python.

    python3 tools/gen/klosh.py NAME      prints the value of NAME (the Makefile's NVEC)

From Python: `import klosh; k = klosh.defines()` gives every '#define NAME
VALUE' of include/klos.h whose value is an integer expression of numbers and
other such names (GDT_FIXED_TASK = 10 + NVEC), evaluated.  Standard library
only.
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HEADER = os.path.join(ROOT, 'include', 'klos.h')
DEFINE = re.compile(r'^\s*#\s*define\s+([A-Za-z_]\w*)\s+(.+?)\s*$')
SAFE = re.compile(r'^[\w\s()+\-*/<>|&~^]*$')


def defines(path=HEADER):
    raw = {}
    for line in open(path):
        line = re.sub(r'/\*.*?\*/|//.*$', '', line)
        m = DEFINE.match(line)
        if m and '(' not in m.group(1):
            raw[m.group(1)] = m.group(2)
    out = {}

    def value(name, depth=0):
        if name in out:
            return out[name]
        expr = raw[name]
        if depth > 20 or not SAFE.match(expr):
            raise ValueError(name)
        expr = re.sub(r'\b(0[xX][0-9A-Fa-f]+|\d+)[uUlL]*\b', r'\1', expr)
        expr = re.sub(r'\b([A-Za-z_]\w*)\b',
                      lambda m: str(value(m.group(1), depth + 1)), expr)
        out[name] = int(eval(expr.replace('/', '//'), {'__builtins__': {}}))
        return out[name]

    for name in raw:
        try:
            value(name)
        except (ValueError, KeyError, SyntaxError):
            pass
    return out


def main():
    if len(sys.argv) != 2:
        sys.exit('usage: klosh.py NAME')
    print(defines()[sys.argv[1]])


if __name__ == '__main__':
    main()
