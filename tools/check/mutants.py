#!/usr/bin/env python3
"""make mutants: apply each mutant of tests/mutants/mutants.txt in turn, build, run the
tests it should break (tests/run.py --only NAME) and say whether they killed it.

    python3 tools/check/mutants.py [--spec tests/mutants/mutants.txt] [--only NAME] [--list]
    python3 tools/check/mutants.py --check     (make test: every mutant still applies)

A mutant is killed when at least one of its tests fails (a mutant that does not build
counts apart).  A test named build:TEXT is the build itself: it kills the mutant when the
build fails and its log holds TEXT (a build check's message, e.g. build:strscan), and
passes when the build succeeds; the other tests then run as usual.  Every changed file is put back afterwards -- also on an error or Ctrl-C --
and the tree is rebuilt.  Prints one line per mutant and 'N mutants: K killed, S survived'
(plus 'B did not build'); exit status 1 if any survived.  The spec format is described at
the top of the spec file.  Standard library only.
"""

import argparse
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MAKE = ['make', '-j2', 'all', 'unit']
RUN = [sys.executable, 'tests/run.py', '--kernel', 'build/klos.elf',
       '--test-kernel', 'build/klos-test.elf', '--modules-dir', 'build/apps']


class Mutant:
    def __init__(self, name, where):
        self.name, self.where = name, where
        self.why, self.tests, self.edits = '', [], []    # edits: [file, anchor, old, new]


def parse(path):
    mutants, m, cur_file, anchor = [], None, None, None
    with open(path) as f:
        for n, raw in enumerate(f, 1):
            line = raw.rstrip('\n')
            where = '%s:%d' % (os.path.relpath(path, ROOT), n)
            s = line.strip()
            if not s or s.startswith('#'):
                continue
            if s.startswith('[') and s.endswith(']'):
                m = Mutant(s[1:-1], where)
                mutants.append(m)
                cur_file = anchor = None
                continue
            if m is None:
                raise SystemExit('%s: text before the first [name]' % where)
            if s.startswith('why:'):
                m.why = s[4:].strip()
            elif s.startswith('file:'):
                cur_file, anchor = s[5:].strip(), None
            elif s.startswith('at:'):
                anchor = s[3:].strip()
            elif s.startswith('tests:'):
                m.tests = s[6:].split()
            elif line.startswith('-'):
                if cur_file is None:
                    raise SystemExit('%s: "-" line before file:' % where)
                m.edits.append([cur_file, anchor, line[1:].strip(), None])
            elif line.startswith('+'):
                if not m.edits or m.edits[-1][3] is not None:
                    raise SystemExit('%s: "+" line without a "-" line before it' % where)
                m.edits[-1][3] = line[1:].strip()
            else:
                raise SystemExit('%s: cannot read %r' % (where, line))
    for m in mutants:
        if not m.edits or not m.tests or any(e[3] is None for e in m.edits):
            raise SystemExit('%s: [%s] needs -/+ lines and tests:' % (m.where, m.name))
    return mutants


def mutate(texts, m):
    """The texts with m applied ({path: text} in, a new dict out).  Raises ValueError
    if a line is not where the spec says: the only line equal to it, or, after an
    'at:' line, the first one after the only line equal to the anchor."""
    new = dict(texts)
    for path, anchor, old, rep in m.edits:
        lines = new[path].split('\n')
        start = 0
        if anchor is not None:
            at = [i for i, l in enumerate(lines) if l.strip() == anchor]
            if len(at) != 1:
                raise ValueError('%s: %d lines read the anchor %r' % (path, len(at), anchor))
            start = at[0] + 1
        hits = [i for i, l in enumerate(lines) if i >= start and l.strip() == old]
        if not hits or (anchor is None and len(hits) != 1):
            raise ValueError('%s: %d lines read %r' % (path, len(hits), old))
        i = hits[0]
        indent = lines[i][:len(lines[i]) - len(lines[i].lstrip())]
        if rep:
            lines[i] = indent + rep
        else:
            del lines[i]
        new[path] = '\n'.join(lines)
    return new


def read_texts(m):
    texts = {}
    for path, _, _, _ in m.edits:
        if path not in texts:
            with open(os.path.join(ROOT, path)) as f:
                texts[path] = f.read()
    return texts


def apply(m):
    """Change the files; return {path: original text}.  Raises ValueError (the files
    are then left as they were)."""
    texts = read_texts(m)
    new = mutate(texts, m)
    for path, text in new.items():
        with open(os.path.join(ROOT, path), 'w') as f:
            f.write(text)
    return texts


def test_names():
    """Everything tests/run.py --only can pick: boot tests, unit binaries, extra scripts."""
    sys.path.insert(0, os.path.join(ROOT, 'tests'))
    import boot
    names = [t['name'] for t in boot.TESTS]
    names += os.listdir(os.path.join(ROOT, 'tests', 'extra'))
    unit = os.path.join(ROOT, 'tests', 'unit')
    for dirpath, _, files in os.walk(unit):
        for f in files:
            if f.endswith('.c'):            # a binary, and the check names its lines print
                names.append(f[:-2])
                names.append(open(os.path.join(dirpath, f), errors='replace').read())
    return names


def known(t, names):
    """t names a test: a boot test or script, or a unit check's line (whose name a
    unit source may build from parts: fs.%u.orphan)."""
    if any(t in n for n in names):
        return True
    parts = [p for p in t.split('.') if not p.isdigit()]
    return len(parts) > 1 and any(all(p in n for p in parts) for n in names)


def check(mutants):
    """Each mutant still applies to the tree and names tests that exist: a refactor
    cannot retire one silently.  PASS/FAIL lines for tests/run.py."""
    names, bad = test_names(), 0
    for m in mutants:
        why = ''
        try:
            mutate(read_texts(m), m)
        except (ValueError, OSError) as e:
            why = str(e)
        missing = [t for t in m.tests if not t.startswith('build:') and not known(t, names)]
        if not why and missing:
            why = 'no test is named %s' % ' '.join(missing)
        print(('FAIL mutant-%s: %s' % (m.name, why)) if why else 'PASS mutant-%s' % m.name)
        bad += bool(why)
    return 1 if bad else 0


def restore(texts):
    for path, text in texts.items():
        with open(os.path.join(ROOT, path), 'w') as f:
            f.write(text)


def run(cmd, log):
    with open(log, 'w') as f:
        return subprocess.run(cmd, cwd=ROOT, stdout=f, stderr=subprocess.STDOUT,
                              stdin=subprocess.DEVNULL).returncode


def main():
    ap = argparse.ArgumentParser(description='KLOS mutation testing')
    ap.add_argument('--spec', default=os.path.join(ROOT, 'tests', 'mutants', 'mutants.txt'))
    ap.add_argument('--only', metavar='NAME', help='only the mutants whose name contains NAME')
    ap.add_argument('--list', action='store_true')
    ap.add_argument('--check', action='store_true', help='only check that each mutant applies')
    args = ap.parse_args()
    mutants = [m for m in parse(args.spec) if not args.only or args.only in m.name]
    if args.check:
        return check(mutants)
    if args.list:
        for m in mutants:
            print('%-16s %-40s %s' % (m.name, ', '.join(sorted({e[0] for e in m.edits})),
                                      ' '.join(m.tests)))
        return 0
    logdir = os.path.join(ROOT, 'build', 'mutants')
    os.makedirs(logdir, exist_ok=True)
    if run(MAKE, os.path.join(logdir, 'build.log')) != 0:
        print('the unmutated tree does not build: see build/mutants/build.log')
        return 2
    killed = survived = stillborn = 0
    try:
        for m in mutants:
            t0 = time.time()
            texts = {}
            try:
                texts = apply(m)
            except ValueError as e:
                print('ERROR    %-16s %s (the spec is out of date)' % (m.name, e))
                stillborn += 1
                continue
            try:
                log = os.path.join(logdir, m.name + '.log')
                by = []
                if run(MAKE, log) != 0:
                    text = open(log, errors='replace').read()
                    by = [t for t in m.tests if t.startswith('build:') and t[6:] in text]
                    if not by:
                        print('NOBUILD  %-16s did not build (%s)' % (m.name,
                                                                 os.path.relpath(log, ROOT)))
                        stillborn += 1
                        continue
                for t in m.tests if not by else []:
                    if t.startswith('build:'):
                        continue
                    tlog = os.path.join(logdir, m.name + '.' + t + '.log')
                    if run(RUN + ['--only', t], tlog):
                        by.append(t)
                    elif open(tlog).read().rstrip().endswith('0 passed, 0 failed'):
                        raise SystemExit('[%s]: no test is named %s' % (m.name, t))
            finally:
                restore(texts)
            if by:
                killed += 1
                print('KILLED   %-16s by %s [%.0fs]' % (m.name, ' '.join(by), time.time() - t0))
            else:
                survived += 1
                print('SURVIVED %-16s %s passed: %s [%.0fs]' % (m.name, ' '.join(m.tests), m.why,
                                                               time.time() - t0))
            sys.stdout.flush()
    finally:
        run(MAKE, os.path.join(logdir, 'build.log'))
    s = '%d mutants: %d killed, %d survived' % (killed + survived + stillborn, killed, survived)
    if stillborn:
        s += ', %d did not build or apply' % stillborn
    print(s)
    return 1 if survived or stillborn else 0


if __name__ == '__main__':
    sys.exit(main())
