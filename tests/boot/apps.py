# Boot tests of the app-facing mechanisms (issues 4 and 5), for tests/run.py.
# Same dict format as tests/boot_tests.py (documented at its top).  Apps are in
# apps/t_*/ (test-only) plus hello, hello_a; bad_* images come from
# tools/mkbadelf.py (apps/apps.mk).
#
# Without test= on the command line the OS runs every module in order (apps=par:
# all at once) and ends with 'KLOS: all apps have ended, F frames free' and
# 'KLOS-EXIT 0'; every test below expects that end, so an OS that dies halfway
# fails even if the lines before it look right.

END = r'^KLOS: all apps have ended, \d+ frames free$'
NOFAULT = [r'KLOS-FAULT', r'refused', r'not started']


def started(name, pid):
    return r'^KLOS: started %s as pid %d$' % (name, pid)


def exited(name, pid, code):
    return r'^KLOS: pid %d \(%s\) exited with code %d$' % (pid, name, code)


def hello(pid):
    """hello ran completely as pid PID (after whatever came before it)."""
    return [started('hello', pid), r'^hello from pid %d via Design B$' % pid,
            r'^hello: klos_write direct$', exited('hello', pid, 0)]


def gp_end(name, pid, meaning):
    """PID was ended by a #GP whose meaning (os/fault.c) is MEANING."""
    return [r'^KLOS-FAULT pid %d \(%s\): #GP \(vector 13\) err=\S+ eip=\S+ .*: %s' % (pid, name, meaning),
            r'^KLOS: pid %d \(%s\) ended by #GP: %s' % (pid, name, meaning),
            exited(name, pid, 128 + 13)]


TESTS = []

# ---- issue 4: services through Design B and Design A -----------------------
for emu in ('qemu', 'bochs'):
    TESTS.append(dict(
        name='apps-hello-' + emu, emu=emu, cmdline='', modules=['hello', 'hello_a'],
        expect=hello(1) + [started('hello_a', 2), r'^hello from pid 2 via Design A$',
                           exited('hello_a', 2, 0), END],
        forbid=NOFAULT))

# ---- issue 4: the CPU, not the OS, keeps apps out of OS memory and stub code.
# Bochs only: QEMU TCG checks neither segment limits nor execute-only CS.
TESTS += [
    dict(name='apps-csread-bochs', emu='bochs', cmdline='', modules=['t_csread', 'hello'],
         expect=[r'^t_csread: reading c0401000 through CS$'] +
         gp_end('t_csread', 1, r'read through execute-only CS') + hello(2) + [END],
         forbid=[r'NOT STOPPED', r'in a service', r'PANIC']),
    dict(name='apps-osread-bochs', emu='bochs', cmdline='', modules=['t_osread', 'hello'],
         expect=[r'^t_osread: reading 0xC0000000 through DS$'] +
         gp_end('t_osread', 1, r"app access above DSAPP's limit") + hello(2) + [END],
         forbid=[r'NOT STOPPED', r'in a service']),
]

# ---- issue 4: services refuse pointers an app could not use itself ----------
for emu in ('qemu', 'bochs'):
    TESTS.append(dict(
        name='apps-badptr-' + emu, emu=emu, cmdline='', modules=['t_badptr', 'hello'],
        expect=[r'^badptr: control write$',
                r'^badptr: write B  0xC0100000 len 16 \(OS code\) +-> -14 ok$',
                r'^badptr: write B  0xBFFFFFF0 len 0x40000020 \(wraps\) +-> -14 ok$',
                r'^badptr: write A  0xBFFFFFF0 len 0x40000020 \(wraps\) +-> -14 ok$',
                r'^badptr: write H  0xC0100000 len 16 +-> -14 ok$',
                r'^badptr: write B  NULL len 16 +-> -14 ok$',
                r'^badptr: all 24 refused$', exited('t_badptr', 1, 0)] + hello(2) + [END],
        forbid=NOFAULT + [r'WRONG', r'NOT refused']))

# ---- issue 4: malformed ELF modules are refused; the next module still runs --
TESTS.append(dict(
    name='apps-badelf', emu='qemu', cmdline='',
    modules=['bad_trunc', 'bad_truncph', 'bad_machine', 'bad_oshigh', 'bad_wrap', 'hello'],
    expect=[r'^KLOS: module bad_trunc refused: truncated: a segment runs past the end of the file$',
            r'^KLOS: module bad_truncph refused: truncated: program headers past the end of the file$',
            r'^KLOS: module bad_machine refused: wrong machine: not i386$',
            r'^KLOS: module bad_oshigh refused: segment reaches into the OS region',
            r'^KLOS: module bad_wrap refused: segment reaches into the OS region'] +
    hello(1) + [END],
    forbid=[r'started bad_', r'KLOS-FAULT']))
