# Boot tests of the benchmark app (apps/bench).
#
# Under QEMU TCG with -icount shift=0 RDTSC advances one per guest instruction,
# so every figure is a deterministic instruction count: the run converges at
# the minimum sample count and takes ~10 s (most of it waiting for timer ticks
# for the irq figure: 10 M instructions per tick).  The bench app itself
# compares Design B's best-case mean with a budget compiled into it
# (DESIGNB_BUDGET_MILLI in apps/bench/bench.c, measured + 10%: the paper's
# four-load stub fails it) and prints 'BENCH-CHECK designB-null-budget
# PASS|FAIL'; hardened B and Design A have budgets of +10% too, and
# 'designB-ds-only' checks that Design B is exactly the paper's Design B
# (designB-paper, the same macro with ES swapped too) less its two ES loads.

# The four mechanisms with 50 distinct services have every case; the others
# (one entry, or one path) have best and worst only.
AVG_MECHS = ['near', 'designB', 'designBh', 'designA']
ONE_MECHS = ['designB-paper', 'gate', 'trap', 'sysenter', 'upcall', 'ctxswitch', 'ipc-sendrecv',
             'ipc', 'irq-plain', 'irq-resched']
MECHS = AVG_MECHS + ONE_MECHS
CASES = ['best', 'avg-warm', 'avg', 'worst']
NUM = r'\d+\.\d{3}'


def bench_line(mech, case, unit):
    return (r'^BENCH mech=%s case=%s unit=%s mean=%s ci98=%s min=\d+ median=\d+ pilot=\d+ '
            r'n=\d+ converged=[01]$' % (mech, case, unit, NUM, NUM))


def all_lines(unit):
    return ([bench_line(m, c, unit) for m in AVG_MECHS for c in CASES]
            + [bench_line(m, c, unit) for m in ONE_MECHS for c in ('best', 'worst')])


NO_AVG = [r'^BENCH mech=(%s) case=avg' % '|'.join(ONE_MECHS)]


BENCH_TASK = 'measures the event core; make run EVENTS=task compares both deliveries'
TESTS = [dict(t, task=BENCH_TASK)
         for t in [
    dict(name='bench-icount', emu='qemu', cmdline='icount', modules=['bench'],
         qemu_args=['-icount', 'shift=0', '-rtc', 'clock=vm', '-cpu', 'pentium3'], timeout=90,
         expect=[r'^BENCHINFO where=klos vendor=\S+ brand="[^"]*" family=\d+ model=\d+ sep=1 '
                 r'hypervisor=\S+ tsc=emulated-instructions ']
                + all_lines('instructions')
                + [r'^# stopping: fixed n after a pilot',
                   r'^BENCH-CHECK designB-null-budget PASS \(10\.000 <= 11\.000 ',
                   r'^BENCH-CHECK designB-ds-only PASS \(designB 10\.000 = designB-paper '
                   r'12\.000 - 2: ']
                + [r'^BENCH-CHECK %s-budget PASS ' % m
                   for m in ('designBh', 'designA', 'upcall', 'ctxswitch', 'ipc-sendrecv', 'ipc',
                             'irq-plain', 'irq-resched')]
                + [
                   r'^BENCH-DONE$',
                   r'^KLOS: pid 1 \(bench\) exited with code 0$'],
         forbid=[r'BENCH-CHECK .* FAIL', r'BENCH-SKIP', r'converged=0', r'skipped'] + NO_AVG),

    # The scaling rows: the same figures with 2, 8, 32, 62 live processes must stay
    # within 1.1x (every path is O(1) in the number of processes).
    dict(name='bench-scale', emu='qemu', cmdline='icount', modules=['bench_scale'],
         qemu_args=['-icount', 'shift=0', '-rtc', 'clock=vm', '-cpu', 'pentium3'], timeout=120,
         expect=[r'^SCALE live=%d upcall=%s ctxswitch=%s ipc=%s irq-plain=%s irq-resched=%s$'
                 % (n, NUM, NUM, NUM, NUM, NUM) for n in (2, 8, 32, 62)]
                + [r'^SCALE-CHECK %s flat PASS ' % c
                   for c in ('upcall', 'ctxswitch', 'ipc', 'irq-plain', 'irq-resched')]
                + [r'^SCALE-DONE$', r'^KLOS: pid 1 \(bench_scale\) exited with code 0$'],
         forbid=[r'SCALE-CHECK .* FAIL', r'SCALE-SKIP', r'skipped', r'KLOS-FAULT']),

    # Bochs enforces segment limits and execute-only code (QEMU TCG does not), so this
    # checks that every path -- SYSENTER's CS/SS reload included -- runs with the real
    # protection.  Bochs's RDTSC advances exactly one per instruction as well (the app
    # detects it: tsc_instr_exact=1), so its figures are instruction counts too.
    dict(name='bench-bochs', emu='bochs', cmdline='', modules=['bench'], timeout=120,
         expect=[r'^BENCHINFO where=klos .* sep=1 ']
                + all_lines(r'\w+')
                + [r'^BENCH-DONE$', r'^KLOS: pid 1 \(bench\) exited with code 0$'],
         forbid=[r'BENCH-SKIP', r'skipped', r'KLOS-FAULT'] + NO_AVG),
    # A P5 (no SEP): SYSENTER is left out, with a reason; everything else runs.
    dict(name='bench-bochs-p5', emu='bochs', cmdline='', modules=['bench'], bochs_cpu='pentium',
         timeout=120,
         expect=[r'^BENCHINFO where=klos .* family=5 .* sep=0 ',
                 r'^BENCH-SKIP mech=sysenter reason=no-sep$',
                 bench_line('designB', 'best', r'\w+'), bench_line('irq-resched', 'worst', r'\w+'),
                 r'^BENCH-DONE$'],
         forbid=[r'^BENCH mech=sysenter', r'KLOS-FAULT']),
]]
