"""Boot tests of what apps see: services through Design B and Design A, the
CPU keeping apps out of OS memory and stub code, pointers refused, malformed
ELF modules refused, faults contained (and handled by an app's own handler),
preemption, a process's life cycle leaking nothing, IPC, drivers' ports, the
software events and gates, x87 state.  Apps are tests/apps/t_*.c plus hello,
hello_a; bad_* images come from tests/fixtures/mkbadelf.py (apps/apps.mk).

Without test= on the command line the OS runs every module in order (apps=par:
all at once) and ends with 'KLOS: all apps have ended, F frames free' and
'KLOS-EXIT 0'; every test below expects that end, so an OS that dies halfway
fails even if the lines before it look right."""

from .helpers import END, NOFAULT, started, exited, hello, gp_end


TESTS = []

# ---- services through Design B and Design A -----------------------
for emu in ('qemu', 'bochs'):
    TESTS.append(dict(
        name='apps-hello-' + emu, emu=emu, cmdline='', modules=['hello', 'hello_a'],
        expect=hello(1) + [started('hello_a', 2), r'^hello from pid 2 via Design A$',
                           exited('hello_a', 2, 0), END],
        forbid=NOFAULT))

# ---- the CPU, not the OS, keeps apps out of OS memory and stub code.
# Bochs only: QEMU TCG checks neither segment limits nor execute-only CS.
TESTS += [
    dict(name='apps-csread-bochs', emu='bochs', cmdline='', modules=['t_csread', 'hello'],
         expect=[r'^t_csread: reading 801000 through CS$'] +
         gp_end('t_csread', 1, r'read through execute-only CS') + hello(2) + [END],
         forbid=[r'NOT STOPPED', r'in a service', r'PANIC']),
    dict(name='apps-osread-bochs', emu='bochs', cmdline='', modules=['t_osread', 'hello'],
         expect=[r'^t_osread: reading 0x10000000 through DS$'] +
         gp_end('t_osread', 1, r"app access outside DSAPP") + hello(2) + [END],
         forbid=[r'NOT STOPPED', r'in a service']),
]

# ---- services refuse pointers an app could not use itself ----------
for emu in ('qemu', 'bochs'):
    TESTS.append(dict(
        name='apps-badptr-' + emu, emu=emu, cmdline='', modules=['t_badptr', 'hello'],
        expect=[r'^badptr: control write$',
                r'^badptr: write B  0x00100000 len 16 \(OS code\) +-> -14 ok$',
                r'^badptr: write B  0xFFFFFFF0 len 0x20 \(wraps\) +-> -14 ok$',
                r'^badptr: write A  0xFFFFFFF0 len 0x20 \(wraps\) +-> -14 ok$',
                r'^badptr: write H  0x00100000 len 16 +-> -14 ok$',
                r'^badptr: write B  NULL len 16 +-> -14 ok$',
                r'^badptr: all 24 refused$', exited('t_badptr', 1, 0)] + hello(2) + [END],
        forbid=NOFAULT + [r'WRONG', r'NOT refused']))

# ---- malformed ELF modules are refused; the next module still runs --
TESTS.append(dict(
    name='apps-badelf', emu='qemu', cmdline='',
    modules=['bad_trunc', 'bad_truncph', 'bad_machine', 'bad_oshigh', 'bad_wrap', 'bad_codew',
             'bad_datax', 'bad_lar', 'hello'],
    expect=[r'^KLOS: module bad_trunc refused: truncated: a segment runs past the end of the file$',
            r'^KLOS: module bad_truncph refused: truncated: program headers past the end of the file$',
            r'^KLOS: module bad_machine refused: wrong machine: not i386$',
            r'^KLOS: module bad_oshigh refused: segment in the OS data region',
            r'^KLOS: module bad_wrap refused: segment above the app image area',
            # the sealed layout (docs/DESIGN.md §2)
            r'^KLOS: module bad_codew refused: writable segment in the code region',
            r'^KLOS: module bad_datax refused: executable segment in the data region',
            r'^KLOS: module bad_lar refused: not sealed: LAR \(0F 02\) at 01000010 '] +
    hello(1) + [END],
    forbid=[r'started bad_', r'KLOS-FAULT']))

# ---- every app fault is contained -----------------------------------
# t_faults spawns `t_fault KIND` once per kind and checks each ends with 128 +
# vector; t_bystander (in parallel) recomputes one hash until the drivers end;
# hello runs beside them.  Run alone (apps-faults-seq-qemu) t_faults also checks
# that no fault costs a frame.  #SS, reads outside DSAPP and through CS
# only under Bochs (t_segfaults).
FAULT_KINDS = [('de', 0), ('bp', 3), ('of', 4), ('br', 5), ('ud', 6), ('np', 11),
               ('cli', 13), ('sti', 13), ('hlt', 13), ('lgdt', 13), ('cr3', 13),
               ('rdmsr', 13), ('in', 13), ('out', 13), ('int80', 13), ('iopl', 13),
               ('pf', 14), ('stack', 14)]
# the sealed layout (docs/DESIGN.md §2): NULL, the stubs, OS data and the app's own
# text all lie below DSAPP (expand-down): each read is a #GP
SEG_KINDS = [('ss', 12), ('osread', 13), ('csread', 13), ('null', 13), ('stubread', 13),
             ('textread', 13)]


def fault_lines(tag, kinds, alone=False):
    """alone: the driver ran by itself, so its free-frame count must not move."""
    return [r'^%s: %-6s pid \d+ exit %d \(want %d\) ok, frames %s$' %
            (tag, k, 128 + v, 128 + v, '0' if alone else r'-?\d+') for k, v in kinds] + \
        [r'^%s: free frames before (\d+) after \1 ok$' % tag if alone else
         r'^%s: free frames before \d+ after \d+ \(other apps ran: not compared\)$' % tag,
         r'^%s: all %d contained$' % (tag, len(kinds))]


FAULT_MEANINGS = [r'\(t_fault\) ended by #DE: divide error',
                  r'\(t_fault\) ended by #BP: breakpoint',
                  r'\(t_fault\) ended by #OF: overflow',
                  r'\(t_fault\) ended by #BR: bound range exceeded',
                  r'\(t_fault\) ended by #UD: invalid opcode',
                  r'\(t_fault\) ended by #NP: segment not present',
                  r'\(t_fault\) ended by #GP: privileged instruction at CPL 3',
                  r'\(t_fault\) ended by #GP: port I/O not permitted by the I/O bitmap',
                  r'\(t_fault\) ended by #GP: software interrupt to a vector apps may not raise',
                  r'\(t_fault\) ended by #PF: page not present']
SEG_MEANINGS = [r'\(t_fault\) ended by #SS: stack segment fault',
                r"\(t_fault\) ended by #GP: app access outside DSAPP",
                r'\(t_fault\) ended by #GP: read through execute-only CS']
FAULT_FORBID = [r'NOT STOPPED', r'WRONG', r'LEAK', r'NOT contained', r'unknown kind',
                r'in a service', r'^KLOS: module .* refused', r'not started']
BYSTANDER_OK = r'^bystander: \d+ rounds over \d+ ticks while %d fault drivers ran, hash \w+: ok$'

TESTS += [
    # One after another: t_faults alone, so no frame may be lost to any fault.
    dict(name='apps-faults-seq-qemu', emu='qemu', cmdline='skip=t_fault',
         modules=['t_faults', 'hello', 't_fault'],
         expect=fault_lines('faults', FAULT_KINDS, alone=True) + FAULT_MEANINGS +
         [exited("t_faults", 1, 0)] + hello(20) + [END],
         forbid=FAULT_FORBID),
    dict(name='apps-faults-qemu', emu='qemu', cmdline='apps=par skip=t_fault',
         modules=['t_faults', 't_bystander', 'hello', 't_fault'],
         expect=fault_lines('faults', FAULT_KINDS) + FAULT_MEANINGS +
         [exited('t_faults', 1, 0), BYSTANDER_OK % 1, exited('t_bystander', 2, 0),
          r'^hello from pid 3 via Design B$', exited('hello', 3, 0), END],
         forbid=FAULT_FORBID),
    dict(name='apps-faults-bochs', emu='bochs', cmdline='apps=par skip=t_fault',
         modules=['t_faults', 't_segfaults', 't_bystander', 'hello', 't_fault'],
         expect=fault_lines('faults', FAULT_KINDS) + fault_lines('segfaults', SEG_KINDS) +
         FAULT_MEANINGS + SEG_MEANINGS +
         [exited('t_faults', 1, 0), exited('t_segfaults', 2, 0), BYSTANDER_OK % 2,
          exited('t_bystander', 3, 0), r'^hello from pid 4 via Design B$',
          exited('hello', 4, 0), END],
         forbid=FAULT_FORBID, timeout=120),
]

# ---- an app's own handler repairs a #GP and goes on -----------------
TESTS.append(dict(
    name='apps-handler', emu='qemu', cmdline='', modules=['t_handler', 't_hfault', 'hello'],
    expect=[r'^handler: cli skipped after 2 faults, IOPL now 0: ok$',
            r'^handler: in al,0x60 emulated, al=5a: ok$',
            r'^handler: 100 cli skipped, 100 faults: ok$',
            r'^handler: registers across a fault ebx=11111111 esi=22222222 edi=33333333 '
            r'ebp=44444444: ok$',
            r'^handler: now a #PF the handler declines$',
            r'^pid 1: unhandled fault vec 14 err \w+ cr2 a0000000 ',
            exited('t_handler', 1, 142),
            r'^hfault: handler got vector 6, now faulting inside it$',
            r'^KLOS-FAULT pid 2 \(t_hfault\): #PF \(vector 14\) .*cr2=00000000: null pointer',
            exited('t_hfault', 2, 142)] + hello(3) + [END],
    forbid=[r'WRONG', r'NOT STOPPED', r'in a service', r'KLOS-FAULT pid 1 ']))

# ---- preemption ------------------------------------------------------
# Two pure busy loops (t_spin), an app that sleeps between lines (t_sleeper) and
# one that spins with null data selectors (t_nullds), all at once.  Without a
# preempting timer the first spinner would hold the CPU to its LIMIT and every
# line below would say NOT/WRONG (or the test times out).
TESTS.append(dict(
    name='apps-preempt', emu='qemu', cmdline='apps=par',
    modules=['t_spin', 't_spin', 't_sleeper', 't_nullds'],
    expect=[r'^spin 0 start$', r'^spin 1 start$',
            r'^sleeper round 1: spinner 0 \+\d+, spinner 1 \+\d+$',
            r'^sleeper round 5: spinner 0 \+\d+, spinner 1 \+\d+$',
            r'^sleeper: both spinners ran in 5 of 5 rounds: ok$',
            r'^nullds: DS was 0 during the loop; spinners advanced \+\d+ \+\d+ meanwhile: preempt ok$',
            r'^spin 0 done after \d+ iterations: the other spinner advanced \d+ times while this '
            r'loop ran: preempt ok$',
            r'^spin 1 done after \d+ iterations: .*: preempt ok$',
            exited('t_spin', 1, 0), exited('t_spin', 2, 0), exited('t_sleeper', 3, 0),
            exited('t_nullds', 4, 0), END],
    forbid=[r'NOT preempted', r'WRONG', r'did not run', r'KLOS-FAULT', r'no shared region'],
    timeout=60))

# ---- process life cycle leaks nothing ------------------------------
TESTS.append(dict(
    name='apps-spawn100', emu='qemu', cmdline='skip=t_child', modules=['t_spawn100', 't_child'],
    expect=[exited('t_child', 2, 0), exited('t_child', 101, 49),
            r'^spawn100: wait again -\d+, wait for a non-child -\d+: ok$',
            r'^spawn100: 101 cycles, free frames before (\d+) after \1: ok$',
            exited('t_spawn100', 1, 0), END],
    forbid=[r'WRONG', r'KLOS-FAULT', r'^KLOS: module .* refused', r'not started'],
    timeout=60))

# ---- IPC -----------------------------------------------------------------
TESTS.append(dict(
    name='apps-ipc', emu='qemu', cmdline='skip=t_pong', modules=['t_ping', 't_pong'],
    expect=[r'^ping: 10000 round trips \(20000 messages\) in \d+ ticks, in order: ok$',
            r'^pong: 10000 messages in order from pid 1; region ok$',
            r'^ping: child read my 12288-byte region \(ok\) and wrote its own, read back: ok$',
            exited('t_pong', 2, 0), r'^ping: t_pong exit 0$', exited('t_ping', 1, 0), END],
    forbid=[r'WRONG', r'KLOS-FAULT', r'failed'],
    timeout=60))

# ---- ring-3 drivers get only their ports ----------------------------
# t_driver gets CMOS ports 0x70-0x71 (which the OS never uses), writes and reads
# back a CMOS RAM byte with no #GP; port 0x72 stays closed to it; t_nodriver
# (not named in drivers=) is refused ioperm and ended by #GP on 0x71.
def driver_ok(name, first, last, not_granted, after):
    return [r'^KLOS: pid 1 \(%s\) granted ports %x-%x$' % (name, first, last),
            r'^driver: ioperm\(%x, %d\) = 0, ioperm\(ffff, 2\) = -\d+: ok$' % (first, last - first + 1),
            r'^driver: scratch byte: wrote 5a a5, read 5a a5, 0 #GP: ok$',
            r'^driver: port %x \(not granted\) raised #GP 1 time\(s\): ok$' % not_granted,
            r'^driver: %s: wrote 5a a5, read 5a a5, 0 #GP: ok$' % after,
            exited(name, 1, 0)]


NODRIVER_END = [r'^nodriver: ioperm\(70, 2\) = -1: ok$',
                r'^nodriver: the driver holds its ports; reading 71 now$'] + \
    gp_end('t_nodriver', 2, r'port I/O not permitted by the I/O bitmap')
DRIVER_FORBID = [r'WRONG', r'NOT STOPPED', r'KLOS-FAULT pid 1 ', r'granted ports .*t_nodriver']
TESTS += [
    # One after the other: the grant ends with the driver.
    dict(name='apps-driver-seq', emu='qemu', cmdline='drivers=t_driver',
         modules=['t_driver', 't_nodriver'],
         expect=driver_ok('t_driver', 0x70, 0x71, 0x72, 'after sleeping') +
         [r'^nodriver: ioperm\(70, 2\) = -1: ok$'] +
         gp_end('t_nodriver', 2, r'port I/O not permitted by the I/O bitmap') + [END],
         forbid=DRIVER_FORBID),
    # At the same time: the CR3 load switches the I/O bitmap both ways.
    dict(name='apps-driver-par', emu='qemu', cmdline='apps=par drivers=t_driver',
         modules=['t_driver', 't_nodriver'],
         expect=driver_ok('t_driver', 0x70, 0x71, 0x72, 'after t_nodriver tried') +
         NODRIVER_END + [END],
         forbid=DRIVER_FORBID),
    dict(name='apps-driver-par-bochs', emu='bochs', cmdline='apps=par drivers=t_driver',
         modules=['t_driver', 't_nodriver'],
         expect=driver_ok('t_driver', 0x70, 0x71, 0x72, 'after t_nodriver tried') +
         NODRIVER_END + [END],
         forbid=DRIVER_FORBID),
]

# ---- the DPL-3 software events and call gates are harmless to raise -----------
# 100,000 times each: a timer interrupt that arrives while the CPU is in ring 0
# on the app's behalf (trap gate, call gates keep IF=1) must not stop the OS.
# With events=task there is no ring-0 entry to call: the upcall gate is gone too,
# so an lcall through it raises #GP (err=30, its selector) instead of returning.
GATE_STRAY = r'^swint: 100000 stray calls through the upcall gate returned, last with ds=0 es=0$'
GATE_GP = r'^swint: events=task: lcall the upcall gate: 10 of 10 raised #GP err=30, went on$'


def swint_expect(gate):
    return [r'^swint: 10000 x int 48 and int 49: still running$',
            r'^swint: int 51 \(WBINVD \+ CR3 reload\): 10 of 10 raised #GP err=19a, went on$',
            r'^swint: int 50 \(ring-0 benchmark trap\): 10 of 10 raised #GP err=192, went on$',
            r'^swint: lcall the benchmark gate: 10 of 10 raised #GP err=48, went on$', gate,
            r'^swint: services still answer: ok$', exited('t_swint', 1, 0)] + hello(2) + [END]


for emu in ('qemu', 'bochs'):
    TESTS.append(dict(
        name='apps-swint-' + emu, emu=emu, cmdline='', modules=['t_swint', 'hello'],
        expect=swint_expect(GATE_STRAY), task=dict(expect=swint_expect(GATE_GP)),
        forbid=NOFAULT + [r'WRONG', r'software event .* ignored'],
        timeout=120 if emu == 'bochs' else 30))


# The same app named by bench= on the command line holds the benchmark entries: no #GP
# (with events=task there are none to hold: every one raises #GP, the bench's too).
def benchgrant_expect(raised):
    return [r'^swint: int 51 \(WBINVD \+ CR3 reload\): %d of 10 raised' % raised,
            r'^swint: int 50 \(ring-0 benchmark trap\): %d of 10 raised' % raised,
            r'^swint: lcall the benchmark gate: %d of 10 raised' % raised,
            r'^swint: services still answer: ok$', exited('t_swint', 1, 0)] + hello(2) + [END]


TESTS.append(dict(
    name='apps-swint-benchgrant-qemu', emu='qemu', cmdline='bench=t_swint',
    modules=['t_swint', 'hello'], expect=benchgrant_expect(0),
    task=dict(expect=benchgrant_expect(10) + [GATE_GP]),
    forbid=NOFAULT + [r'WRONG'], timeout=30))

# ---- x87 state survives preemption and yields (the scheduler FNSAVEs it) ----
TESTS += [
    dict(name='apps-fpu', emu='qemu', cmdline='', modules=['t_fpu'],
         expect=[r'^t_fpu peer: x87 registers intact$', r'^t_fpu main: x87 registers intact$',
                 r'^t_fpu: peer exited with 0$', r'KLOS: pid \d+ \(t_fpu\) exited with code 0', END],
         forbid=[r'CORRUPTED']),
]
