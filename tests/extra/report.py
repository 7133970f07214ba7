"""What the tests/extra scripts share: where things are (tests/run.py sets the KLOS_*
variables; the defaults serve a run by hand) and their PASS/FAIL lines.  Imported by
them; not executable, so tests/run.py does not run it."""

import os
import sys

ROOT = os.environ.get('KLOS_ROOT') or os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
BUILD = os.environ.get('KLOS_BUILD_DIR') or os.path.join(ROOT, 'build')
KERNEL = os.environ.get('KLOS_KERNEL') or os.path.join(BUILD, 'klos.elf')
MODS = os.environ.get('KLOS_MODULES_DIR') or os.path.join(BUILD, 'apps')
QEMU = os.environ.get('KLOS_QEMU', 'qemu-system-i386')

sys.path.insert(0, os.path.join(ROOT, 'tools', 'gen'))
import klosh  # noqa: E402  (include/klos.h, read once for every script)
KLOS = klosh.defines()


def result(name, errors):
    """One line for a check that collected a list of errors; returns 1 if it failed."""
    if errors:
        more = ' (and %d more)' % (len(errors) - 3) if len(errors) > 3 else ''
        print('FAIL %s: %s%s' % (name, '; '.join(errors[:3]), more))
        return 1
    print('PASS %s' % name)
    return 0


def verdict(name, why, lines, tail=25):
    """PASS, or FAIL with the reason and the last lines seen; returns the exit status."""
    if why:
        print('FAIL %s: %s' % (name, why))
        for l in (lines or ['(nothing read)'])[-tail:]:
            print('    | ' + l)
        return 1
    print('PASS %s' % name)
    return 0
