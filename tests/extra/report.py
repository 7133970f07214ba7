"""The PASS/FAIL lines of the tests/extra scripts (imported by them; not executable, so
tests/run.py does not run it)."""


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
