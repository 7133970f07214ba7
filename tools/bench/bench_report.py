#!/usr/bin/env python3
"""bench_report.py LOG OUTDIR: turn BENCHINFO/BENCH lines into a CSV and a chart.

LOG is a serial log or the native harness's output; the lines may carry a
prefix (a timestamp).  Writes OUTDIR/<stem>.csv and OUTDIR/<stem>.png, the
chart drawn by gnuplot like the paper's Figure 4: one group per case
(best, average, worst), one bar per mechanism, the mean with its 98% CI.
"""
import math
import os
import re
import subprocess
import sys

PAIR = re.compile(r'(\w+)=("([^"]*)"|\S+)')
COLS = ['where', 'mech', 'case', 'unit', 'mean', 'ci98', 'min', 'median', 'pilot', 'n',
        'converged', 'run']
MECH_ORDER = ['near', 'designB', 'designB-paper', 'designBh', 'designA', 'gate', 'trap',
              'sysenter']
CASE_ORDER = ['best', 'avg-warm', 'avg', 'worst']
CASE_NAME = {'best': 'best', 'avg-warm': 'average (warm)', 'avg': 'average', 'worst': 'worst'}
UNIT_NAME = {'cycles': 'TSC cycles', 'tsc-ticks': 'TSC ticks',
             'instructions': 'instructions (emulated)'}


def pairs(text):
    return {k: (q if q is not None and v.startswith('"') else v)
            for k, v, q in PAIR.findall(text)}


def parse(path):
    infos, rows = [], []
    where = 'unknown'
    with open(path, errors='replace') as f:
        for line in f:
            m = re.search(r'BENCHINFO\s(.*)', line)
            if m:
                info = pairs(m.group(1))
                where = info.get('where', 'unknown')
                infos.append(info)
                continue
            m = re.search(r'BENCH\s(mech=.*)', line)
            if m:
                r = pairs(m.group(1))
                r['where'] = where
                if 'mech' in r and 'case' in r and 'mean' in r:
                    rows.append(r)
    return infos, rows


def ordered(names, order):
    seen = []
    for n in names:
        if n not in seen:
            seen.append(n)
    return [n for n in order if n in seen] + [n for n in seen if n not in order]


def num(s, default=0.0):
    try:
        return float(s)
    except (TypeError, ValueError):
        return default


# One colour per series (gnuplot's default cycle has 8 and repeats them);
# past these, the colours repeat with a hatched fill.
COLOURS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b',
           '#e377c2', '#7f7f7f', '#bcbd22', '#17becf', '#000080', '#ffd700']
HYPERVISOR = {'TCGTCGTCGTCG': 'QEMU TCG', 'KVMKVMKVM': 'KVM', 'Microsoft_Hv': 'Hyper-V',
              'VMwareVMware': 'VMware', 'XenVMMXenVMM': 'Xen', 'VBoxVBoxVBox': 'VirtualBox',
              'bhyve_bhyve_': 'bhyve'}
TSC_NAME = {'real-cycles': 'RDTSC counts cycles',
            'emulated-instructions': 'RDTSC counts instructions',
            'not-meaningful': 'RDTSC counts neither cycles nor instructions'}


def ran_where(info):
    """What ran where, from a BENCHINFO line: 'KLOS booted under QEMU TCG
    -icount shift=0, CPU GenuineIntel family 6 model 7 (RDTSC counts ...)'."""
    hv = info.get('hypervisor', 'none')
    host = HYPERVISOR.get(hv, hv if hv not in ('', 'none') else '')
    tsc = info.get('tsc', '')
    if info.get('where') == 'klos':
        what = 'KLOS booted'
        if host:
            what += ' under ' + host
            if info.get('icount') == '1' and tsc == 'emulated-instructions':
                what += ' -icount shift=0'
        elif tsc == 'real-cycles':
            what += ' on real hardware'
        elif tsc == 'emulated-instructions':
            what += ' under an emulator (Bochs?)'
    elif info.get('where') == 'native-linux':
        what = 'native harness in a Linux process' + (' under ' + host if host else '')
    else:
        what = info.get('where', 'unknown')
    brand = info.get('brand', '')
    cpu = '%s family %s model %s' % (info.get('vendor', '?'), info.get('family', '?'),
                                     info.get('model', '?'))
    if brand and brand != 'unknown':
        cpu = '%s (%s)' % (brand, cpu)
    what += ', CPU ' + cpu
    if tsc in TSC_NAME:
        what += ' (%s)' % TSC_NAME[tsc]
    return what


def chart(infos, rows, dat, png):
    # several runs (the native harness): the run whose mean is the median
    byk = {}
    for r in rows:
        byk.setdefault((r['mech'], r['case']), []).append(r)
    last = {k: sorted(v, key=lambda r: num(r['mean']))[(len(v) - 1) // 2]
            for k, v in byk.items()}
    mechs = ordered([r['mech'] for r in rows], MECH_ORDER)
    cases = ordered([r['case'] for r in rows], CASE_ORDER)
    with open(dat, 'w') as f:
        for c in cases:
            f.write('"%s"' % CASE_NAME.get(c, c))
            for mch in mechs:
                r = last.get((mch, c))
                f.write(' %s %s' % ((r['mean'], r.get('ci98', '0')) if r else ('NaN', 'NaN')))
            f.write('\n')

    units = ordered([r.get('unit', '?') for r in rows], [])
    runs = ordered([ran_where(i) for i in infos], []) or ['where: no BENCHINFO line']
    title = 'KLOS service calls\\n' + '\\n'.join(runs)
    ylabel = 'mean per call, %s (log scale), 98%% CI' % \
        ', '.join(UNIT_NAME.get(u, u) for u in units)
    means = [num(r['mean']) for r in rows if num(r['mean']) > 0]
    ymin = 10 ** math.floor(math.log10(min(means))) if means else 1

    try:
        r = subprocess.run(['gnuplot'], input='set terminal\n',
                           capture_output=True, text=True)
    except OSError:
        return 'gnuplot not found'
    term = 'pngcairo' if 'pngcairo' in r.stdout + r.stderr else 'png'
    plots = []
    for i, mch in enumerate(mechs):
        src = "'%s'" % dat if i == 0 else "''"
        xt = ':xtic(1)' if i == 0 else ''
        colour = COLOURS[i % len(COLOURS)]
        fill = 'solid 0.8' if i < len(COLOURS) else 'pattern %d' % (1 + i // len(COLOURS))
        plots.append("%s using %d:%d%s title '%s' lc rgb '%s' fs %s border -1" %
                     (src, 2 + 2 * i, 3 + 2 * i, xt, mch, colour, fill))
    script = '\n'.join([
        'set terminal %s size 1000,600' % term,
        "set output '%s'" % png,
        'set title "%s"' % title.replace('"', "'"),
        "set ylabel '%s'" % ylabel,
        'set style data histogram',
        'set style histogram errorbars gap 2 lw 1',
        'set style fill solid 0.8 border -1',
        'set boxwidth 0.9',
        'set logscale y',
        'set yrange [%g:*]' % (ymin / 2.0),
        'set grid ytics',
        'set key outside right top',
        'plot ' + ', '.join(plots),
    ]) + '\n'
    r = subprocess.run(['gnuplot'], input=script, capture_output=True, text=True)
    os.remove(dat)
    if r.returncode != 0:
        return r.stderr.strip()
    return None


def main():
    if len(sys.argv) != 3:
        sys.stderr.write('usage: bench_report.py LOG OUTDIR\n')
        sys.exit(2)
    log, outdir = sys.argv[1], sys.argv[2]
    infos, rows = parse(log)
    if not rows:
        sys.stderr.write('bench_report: no BENCH lines in %s\n' % log)
        sys.exit(1)
    os.makedirs(outdir, exist_ok=True)
    stem = os.path.splitext(os.path.basename(log))[0]
    csv = os.path.join(outdir, stem + '.csv')
    with open(csv, 'w') as f:
        f.write(','.join(COLS) + '\n')
        for r in rows:
            f.write(','.join(r.get(c, '') for c in COLS) + '\n')
    png = os.path.join(outdir, stem + '.png')
    err = chart(infos, rows, os.path.join(outdir, stem + '.dat'), png)
    if err:
        sys.stderr.write('bench_report: no chart: %s\n' % err)
        sys.exit(1)
    print('%s (%d rows), %s' % (csv, len(rows), png))


if __name__ == '__main__':
    main()
