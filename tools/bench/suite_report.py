#!/usr/bin/env python3
"""suite_report.py KLOSLOG NATIVELOG OUTDIR: the whole-system suite (apps/bench/suite.c).

Reads the SUITE lines of a make run / make bench serial log (instructions under
QEMU -icount shift=0) and, where there is one, the native harness's output
(tools/bench/native: each design's null call in TSC ticks on this machine's CPU,
and core_cycles_per_tsc_tick).  Writes OUTDIR/suite.csv, OUTDIR/suite.png
(per-row bars per design, log scale, drawn by gnuplot) and OUTDIR/suite-model.md:
the table with a MODEL column per design,

    model = (total - calls x icount per-call cost) + calls x native per-call cycles,

i.e. the instructions outside the call mechanism counted as one cycle each and
the mechanism at what it costs natively.  A model, not a measurement: icount
counts a segment load, INT and IRET as one instruction each, and a real CPU
runs the rest at some IPC other than 1.  T's native cost is Linux's fastest
system call on this CPU (the harness's sysenter row: the vDSO entry) plus
Design B's, since T is a trap around a Design B call.
"""
import os
import re
import statistics
import subprocess
import sys

PAIR = re.compile(r'(\w+)=("([^"]*)"|\S+)')
DESIGNS = ['B', 'Bh', 'A', 'T']
NATIVE_MECH = {'B': ['designB'], 'Bh': ['designBh'], 'A': ['designA'],
               'T': ['sysenter', 'designB']}


def pairs(text):
    return {k: (q if v.startswith('"') else v) for k, v, q in PAIR.findall(text)}


def parse_suite(path):
    rows, percall = [], {}
    with open(path, errors='replace') as f:
        for line in f:
            m = re.search(r'SUITE row=(.*)', line)
            if m:
                rows.append(pairs('row=' + m.group(1)))
            m = re.search(r'SUITE-PERCALL design=(\S+) mech=(\S+)', line)
            if m:
                percall[m.group(1)] = float(m.group(2))
    return rows, percall


def parse_native(path):
    """{mech: median over runs of the best-case mean} in core cycles, or {}."""
    if not path or not os.path.exists(path):
        return {}, None
    means, ratio = {}, None
    with open(path, errors='replace') as f:
        for line in f:
            m = re.search(r'BENCHCLOCK core_cycles_per_tsc_tick=(\S+)', line)
            if m:
                ratio = float(m.group(1))
            m = re.search(r'BENCH\s(mech=.*)', line)
            if m:
                r = pairs(m.group(1))
                if r.get('case') == 'best':
                    means.setdefault(r['mech'], []).append(float(r['mean']))
    if not means:
        return {}, None
    k = ratio or 1.0
    return {m: statistics.median(v) * k for m, v in means.items()}, ratio


def main():
    if len(sys.argv) != 4:
        sys.stderr.write('usage: suite_report.py KLOSLOG NATIVELOG OUTDIR\n')
        sys.exit(2)
    log, nat, out = sys.argv[1:]
    rows, percall = parse_suite(log)
    if not rows:
        sys.stderr.write('suite_report: no SUITE lines in %s\n' % log)
        sys.exit(1)
    os.makedirs(out, exist_ok=True)
    native, ratio = parse_native(nat)
    names = []
    cell = {}
    for r in rows:
        if r['row'] not in names:
            names.append(r['row'])
        cell[r['row'], r['design']] = r
    with open(os.path.join(out, 'suite.csv'), 'w') as f:
        f.write('row,design,ops,calls,total,mech,mech_pct,idle,unit\n')
        for r in rows:
            f.write(','.join(r.get(c, '') for c in
                             ('row', 'design', 'ops', 'calls', 'total', 'mech', 'mech_pct',
                              'idle', 'unit')) + '\n')

    # the model table
    nat_cost = {}
    for d in DESIGNS:
        if all(m in native for m in NATIVE_MECH[d]):
            nat_cost[d] = sum(native[m] for m in NATIVE_MECH[d])
    md = []
    w = md.append
    if nat_cost:
        w('Per-call cost of each design: icount instructions (the null row less the floor) and'
          ' native core cycles (the harness, best case, median of its runs; T = Linux vDSO'
          ' syscall + Design B; core cycles = TSC ticks x %.2f)' % (ratio or 1.0))
        w('')
        w('| design | icount | native cycles |')
        w('| --- | ---: | ---: |')
        for d in DESIGNS:
            w('| %s | %.0f | %s |' % (d, percall.get(d, 0),
                                      '%.0f' % nat_cost[d] if d in nat_cost else '-'))
        w('')
    hdr = '| row | calls | ' + ' | '.join('%s | %s mech%%' % (d, d) for d in DESIGNS)
    if nat_cost:
        hdr += ' | ' + ' | '.join('%s MODEL' % d for d in DESIGNS)
    w(hdr + ' |')
    w('| --- ' * (2 + 2 * len(DESIGNS) + (len(DESIGNS) if nat_cost else 0)) + '|')
    for n in names:
        b = cell.get((n, 'B'))
        line = '| %s | %.1f' % (n, float(b['calls']) if b else 0)
        for d in DESIGNS:
            c = cell.get((n, d))
            line += (' | %.0f | %s%%' % (float(c['total']), c['mech_pct'])) if c else ' | - | -'
        if nat_cost:
            for d in DESIGNS:
                c = cell.get((n, d))
                if not c or d not in nat_cost:
                    line += ' | -'
                    continue
                calls, total = float(c['calls']), float(c['total'])
                model = total - calls * percall.get(d, 0) + calls * nat_cost[d]
                line += ' | %.0f (%.0f%%)' % (model, 100 * calls * nat_cost[d] / model)
        w(line + ' |')
    if nat_cost:
        w('')
        w('MODEL: instructions outside the call mechanism counted as one cycle each, the'
          ' mechanism at its native cost; in brackets its share. A model, not a measurement.')
    with open(os.path.join(out, 'suite-model.md'), 'w') as f:
        f.write('\n'.join(md) + '\n')
    print('\n'.join(md))

    # the chart: one group per row, one bar per design, log scale
    dat = os.path.join(out, 'suite.dat')
    with open(dat, 'w') as f:
        f.write('row ' + ' '.join(DESIGNS) + '\n')
        for n in names:
            f.write('"%s" %s\n' % (n, ' '.join(
                cell[n, d]['total'] if (n, d) in cell else '-' for d in DESIGNS)))
    png = os.path.join(out, 'suite.png')
    unit = rows[0].get('unit', 'instructions')
    gp = '\n'.join([
        'set terminal png size 1600,700 noenhanced',
        'set output "%s"' % png,
        'set title "KLOS whole-system suite: %s per operation (per KiB for the 1 MiB reads),'
        ' QEMU -icount shift=0"' % unit,
        'set style data histograms', 'set style histogram clustered gap 1',
        'set style fill solid 0.8 border -1', 'set logscale y', 'set yrange [1:*]',
        'set ylabel "%s (log scale)"' % unit, 'set xtics rotate by -45 scale 0',
        'set key top left', 'set grid ytics', 'set datafile missing "-"',
        'plot "%s" using 2:xtic(1) title "B", "" using 3 title "Bh", "" using 4 title "A",'
        ' "" using 5 title "T"' % dat, ''])
    try:
        subprocess.run(['gnuplot'], input=gp.encode(), check=True, capture_output=True)
        print('suite_report: %s, %s, %s' % (os.path.join(out, 'suite.csv'), png,
                                            os.path.join(out, 'suite-model.md')))
    except (OSError, subprocess.CalledProcessError) as e:
        sys.stderr.write('suite_report: no chart: %s\n' % e)
        sys.exit(1)


if __name__ == '__main__':
    main()
