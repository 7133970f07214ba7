"""Hostile apps (tests/attacks/a_*), bad boot inputs and the soak test."""
#
# Every hostile app prints one machine-readable line per attack:
#     ATTACK name=<attack> key=value ... result=<contained|FOUND|HIJACKED|BREACH|PASS|FAIL>
# QEMU TCG checks neither segment limits nor execute-only code (docs/DESIGN.md §12), so every
# attack whose containment rests on those runs under Bochs; QEMU runs the quick sanity
# versions and the attacks the OS itself must refuse (pointers, memory, scheduling).
#
# Run one:  python3 tests/run.py --kernel build/klos.elf --modules-dir build/apps --only NAME

import re

from .helpers import END, HELLO, dsos_candidates
# No attack line may report a breach.  (Plain Design B's stack race hijacks only in
# the control run with plainb=open: tests/attacks/a_stackrace.c.)
NO_BREACH = [r'^ATTACK .*result=(BREACH|FOUND|FAIL|ERROR|INCOMPLETE|HIJACKED|REACHED)',
             r'KLOS-FAULT in the OS', r'unhandled fault']
# The stack race (docs/DESIGN.md §5.3): a process with a second thread, or with shared
# memory, has no plain Design B: its call faults on the absent stub page (the
# fetch of the stub's first byte: EIP = CR2) and the OS ends it before any
# service ran; through hardened B the race finds nothing of the OS's.
STACKRACE = [
    r'^KLOS-FAULT pid \d+ \(a_stackrace\.t\): #PF \(vector 14\) err=4 eip=(008\w+) .* cr2=\1: ',
    r'^KLOS: pid \d+ \(a_stackrace\.t\) ended: plain Design B or Design A called by a process '
    r'with threads or shared memory',
    r'^ATTACK name=stackrace_plainB_stopped status=142 result=contained$',
    r'^ATTACK name=stackrace_hardB os_text_words=0 .* ds_in_hijack=0x23 .*result=contained$',
    r'^KLOS-FAULT pid \d+ \(a_stackrace\): #PF \(vector 14\) err=4 eip=(008\w+) .* cr2=\1: ',
    r'^ATTACK name=stackrace_shm_stopped status=142 result=contained$',
    r'^ATTACK name=stackrace_shmA_stopped status=142 result=contained$',
]
# The control: plainb=open keeps plain B and A in such processes; the race hijacks.
STACKRACE_OPEN = [
    r'^ATTACK name=stackrace_plainB .*result=HIJACKED$',
    r'^ATTACK name=stackrace_hardB .* ds_in_hijack=0x23 .*result=contained$',
    r'^ATTACK name=stackrace_shm plain_b_returned=\d+ result=REACHED$',
    r'^ATTACK name=stackrace_shmA a_returned=\d+ result=REACHED$',
]

# The seven containment attacks, one after another in one boot, then a bystander.
CONTAINED_MODS = ['a_sgdt', 'a_readstub', 'a_midstub', 'a_midstub1', 'a_ports', 'a_ptrs',
                  'a_stackrace', 'a_oom', 'hello']
CONTAINED_EXPECT = [
    r'^ATTACK name=sgdt tables_in_os_region=yes .* succeeded=0 .*result=contained$',
    r'^ATTACK name=readstub .* read_ok=0 .*result=contained$',
    # every offset its own worker, which keeps plain B and A (no shared memory):
    # some entries must run through the stub and return
    r'^ATTACK name=midstub attempts=263 returned=[1-9]\d* .* leaks=0 .*result=contained$',
    r'^ATTACK name=ports .*result=contained$',
    r'^ATTACK name=ptrs .* accepted=0 sbrk_wrap=refused .*result=contained$',
] + STACKRACE + [
    r'^ATTACK name=oom_hog .* spawn_when_full=-\d+ ',
    r'not started: (out of memory|no free process slot or memory)',
    r'^ATTACK name=oom .*result=contained$',
    HELLO, END,
]

BRUTE_PASS = (r'^ATTACK name=brute guesses=\d{6,} successes=\d+ .* revisits=(\d+) revisit_np=\1 '
              r'stale=0 .*result=PASS$')   # >= 10^5 guesses; every revisit #NP at the load
NPKILL = [r'ended: more than 3 segment-not-present faults',
          r'^ATTACK name=brute_npkill runs=500 killed=\d+ np_per_run=3 .*result=PASS$', END]


def noreloc(task):
    """Relocation off: one scan of every candidate slot finds DSOS."""
    return [r'relocation OFF',
            r'^ATTACK name=brute_run .*budget=%d .*result=FOUND$' % dsos_candidates(task),
            r'^ATTACK name=brute_proof .* present=1 dpl=3 limit=0xffffffff.* reads=ok$',
            r'^ATTACK name=brute_revisit sel=0x[0-9a-f]+ np_between=3 moved=0 again=FOUND$', END]


TFGATE_BACK = r'^ATTACK name=tfgate .* gatebench=back,.* int50=back,.*result=contained$'
TFGATE_FAULT = (r'^ATTACK name=tfgate gate=fault,db=0 gatebench=fault,db=0 sysenter=fault,db=0 '
                r'int50=fault,db=0 result=contained$')


def dsos_moves(policy):
    """The OS's closing line 'DSOS moved N times (M #NP faults)': with the policy N is
    1 (the move at boot) + M/3; with relocation off N is 1 whatever M is."""
    rx = re.compile(r'^KLOS: DSOS moved (\d+) times \((\d+) #NP faults\)$')

    def check(lines):
        m = [rx.match(l) for l in lines]
        m = [x for x in m if x]
        if not m:
            return False, 'no "DSOS moved N times (M #NP faults)" line'
        moves, np = int(m[-1].group(1)), int(m[-1].group(2))
        ok = abs(3 * (moves - 1) - np) <= 3 if policy else moves == 1
        want = 'about 1 + M/3' if policy else '1 (relocation off)'
        return ok, '' if ok else 'DSOS moved %d times in %d #NP faults, expected %s' % (
            moves, np, want)
    return check

FAULTESP = [r'^ATTACK name=faultesp_%s esp=[0-9a-f]+ status=134 result=contained$' % c
            for c in ('stub', 'iobitmap', 'limit', 'top', 'wrap', 'zero', 'below', 'wrap4')] + [
    r'^ATTACK name=faultesp_below esp=8000003b ', r'^ATTACK name=faultesp_wrap4 esp=4 ',
    r'^KLOS: .*a_faultesp.* ended by #UD', r'^ATTACK name=faultesp cases=8 breached=0 result=contained$',
    HELLO, END]

TESTS = [
    # ---- the paper's brute-force DSOS discovery (§2.3.3) -------------------------------
    # Relocation on: >= 10^5 guesses; successes within the 99.9% bound of the prediction.
    dict(name='attack-brute-bochs', emu='bochs', cmdline='skip=a_brute',
         modules=['a_brute', 'a_brutedrv'], timeout=300,
         expect=[BRUTE_PASS, END], forbid=[r'unhandled fault'], check=dsos_moves(True)),
    dict(name='attack-brute-qemu', emu='qemu', cmdline='skip=a_brute',
         modules=['a_brute', 'a_brutedrv'], timeout=120,
         expect=[BRUTE_PASS, END], forbid=[r'unhandled fault'], check=dsos_moves(True)),
    # Relocation off: one scan of the candidate slots must find DSOS.
    dict(name='attack-brute-norelocate-bochs', emu='bochs', cmdline='dsos_move=off',
         modules=['a_brute'], timeout=120, expect=noreloc(False), check=dsos_moves(False),
         task=dict(expect=noreloc(True))),
    dict(name='attack-brute-norelocate-qemu', emu='qemu', cmdline='dsos_move=off',
         modules=['a_brute'], timeout=60, expect=noreloc(False), check=dsos_moves(False),
         task=dict(expect=noreloc(True))),
    # Second policy: a process with more than K=3 #NPs is ended; 500 attackers.
    dict(name='attack-npkill-bochs', emu='bochs', cmdline='np_kill=3 skip=a_brute',
         modules=['a_brute', 'a_brutenpk'], timeout=300, expect=NPKILL,
         check=dsos_moves(True)),
    dict(name='attack-npkill-qemu', emu='qemu', cmdline='np_kill=3 skip=a_brute',
         modules=['a_brute', 'a_brutenpk'], timeout=120, expect=NPKILL,
         check=dsos_moves(True)),

    # ---- containment: SGDT & co, reading stubs, mid-stub entry, privileged ops, OS
    # pointers, the stack race, OOM -- then hello must still run ----------------------
    dict(name='attack-contained-bochs', emu='bochs', cmdline='skip=a_midstub1',
         modules=CONTAINED_MODS, timeout=300, expect=CONTAINED_EXPECT, forbid=NO_BREACH),
    # The subset that does not rest on segment limits / execute-only, under QEMU.
    dict(name='attack-contained-qemu', emu='qemu', cmdline='',
         modules=['a_ports', 'a_ptrs', 'a_stackrace', 'a_oom', 'hello'], timeout=60,
         expect=[r'^ATTACK name=ports .*result=contained$',
                 r'^ATTACK name=ptrs .*result=contained$',
                 r'^ATTACK name=oom .*result=contained$', HELLO, END] + STACKRACE,
         forbid=NO_BREACH),
    # The control for the stack race: with plainb=open it still hijacks.
    dict(name='attack-stackrace-open-qemu', emu='qemu', cmdline='plainb=open',
         modules=['a_stackrace', 'hello'], timeout=60,
         expect=STACKRACE_OPEN + [HELLO, END], forbid=[r'stackrace_\w+_stopped']),
    dict(name='attack-stackrace-open-bochs', emu='bochs', cmdline='plainb=open',
         modules=['a_stackrace', 'hello'], timeout=120,
         expect=STACKRACE_OPEN + [HELLO, END], forbid=[r'stackrace_\w+_stopped']),
    # An app spinning without service calls cannot starve a bystander (apps=par).
    dict(name='attack-spin-qemu', emu='qemu', cmdline='apps=par',
         modules=['a_spin', 'a_spinby', 'hello'], timeout=60,
         expect=[r'^bystander pid \d+ finished',
                 r'^ATTACK name=spin spin_ticks=\d+ bystander_done_first=1 .*result=contained$',
                 HELLO, END]),
    # sbrk with a negative increment that wraps the break into the OS region
    # (os/svc/sys_proc.c): refused.
    dict(name='attack-sbrkwrap-qemu', emu='qemu', cmdline='',
         modules=['a_sbrkwrap', 'hello'], timeout=30,
         expect=[r'^ATTACK name=sbrkwrap .*result=contained$', HELLO, END], forbid=NO_BREACH),

    # A fault with a handler registered and ESP in the OS region (a stub, the I/O bitmap),
    # across DSAPP's limit, near 4 GiB, wrapping below 0: the OS must not write the fault
    # frame there.  Each case is a child; then the parent and hello still print through
    # the Design B write stub.
    dict(name='attack-faultesp-qemu', emu='qemu', cmdline='',
         modules=['a_faultesp', 'hello'], timeout=30, expect=FAULTESP, forbid=NO_BREACH),
    dict(name='attack-faultesp-bochs', emu='bochs', cmdline='',
         modules=['a_faultesp', 'hello'], timeout=60, expect=FAULTESP, forbid=NO_BREACH),

    # ---- beyond the paper: non-faulting ways to DSOS --------------------------------
    # Single-stepping into a stub: a #DB after "mov ax, DSOS" must not show EAX to the
    # app's handler (DS is still DSAPP there: the segment registers alone do not tell).
    dict(name='attack-trapflag-bochs', emu='bochs', cmdline='',
         modules=['a_trapflag', 'hello'], timeout=60,
         expect=[r'^ATTACK name=trapflag .*result=contained$', HELLO, END], forbid=NO_BREACH),
    # SYSENTER from an app: SYSEXIT returns with a readable flat CS and a 4 GiB SS.
    dict(name='attack-sysenter-bochs', emu='bochs', cmdline='',
         modules=['a_sysenter', 'hello'], timeout=60,
         expect=[r'^ATTACK name=sysenter .*result=contained$', HELLO, END], forbid=NO_BREACH),
    # A call gate or SYSENTER entered with EFLAGS.TF set (neither clears TF): the
    # single-step #DB arrives on the first ring-0 instruction.  The machine must go on.
    # bench=a_tfgate gives it the benchmark entries (os/bench/rights.c), so the benchmark
    # gate and int 50 are entered too.
    # With events=task no ring-0 entry exists: every one faults, the bench's too.
    dict(name='attack-tfgate-bochs', emu='bochs', cmdline='bench=a_tfgate',
         modules=['a_tfgate', 'hello'], timeout=60, expect=[TFGATE_BACK, HELLO, END],
         task=dict(expect=[TFGATE_FAULT, HELLO, END]), forbid=NO_BREACH),
    dict(name='attack-tfgate-qemu', emu='qemu', cmdline='bench=a_tfgate',
         modules=['a_tfgate', 'hello'], timeout=30, expect=[TFGATE_BACK, HELLO, END],
         task=dict(expect=[TFGATE_FAULT, HELLO, END]), forbid=NO_BREACH),
    # LAR reads the P bit of every DPL-3 descriptor without faulting: DSOS is the one
    # present 4 GiB data segment besides DSAPP.  The sealed layout (docs/DESIGN.md §2)
    # makes it impossible to run: a_lar is refused at load (its text holds LAR), and
    # no app can write LAR anywhere it can execute (a_sealjump).
    dict(name='attack-lar-bochs', emu='bochs', cmdline='',
         modules=['a_lar', 'hello'], timeout=60,
         expect=[r'^KLOS: module a_lar refused: not sealed: LAR \(0F 02\) at 010\w+ ', HELLO, END],
         forbid=[r'^ATTACK name=lar', r'started a_lar']),
    # LAR/LSL/VERR/VERW written into the heap, the stack, static data and shared
    # memory: each jump there is a #GP at the call (CS limit), the app goes on.
    dict(name='attack-sealjump-bochs', emu='bochs', cmdline='',
         modules=['a_sealjump', 'hello'], timeout=60,
         expect=[r'^ATTACK name=sealjump_first at=0x8\w+ vec=13 err=0 eip=(10\w+) call_site=\1$',
                 r'^ATTACK name=sealjump tries=16 gp_at_call=16 ran=0 other=0 .*result=contained$',
                 HELLO, END], forbid=NO_BREACH),
    # The control: with seal=off the same app loads, and finds DSOS with no #NP.
    dict(name='attack-lar-sealoff-bochs', emu='bochs', cmdline='seal=off',
         modules=['a_lar', 'hello'], timeout=60,
         expect=[r'^KLOS: module a_lar is not sealed \(LAR \(0F 02\) at 010\w+\); loaded anyway',
                 r'^ATTACK name=lar scanned=16384 .* candidates=1 .* reads_gdt=yes .* '
                 r'np_faults=0 .*result=FOUND$', HELLO, END]),

    # ---- bad boot inputs: each says so and ends cleanly ------------------------------
    dict(name='badboot-nomodules', emu='qemu', cmdline='', modules=[], timeout=20,
         expect=[r'^KLOS: no modules were loaded', END]),
    dict(name='badboot-random-module', emu='qemu', cmdline='', timeout=20,
         modules=['bad_random', 'hello'],
         expect=[r'^KLOS: module bad_random refused: not an ELF file', HELLO, END]),
    dict(name='badboot-huge-module', emu='qemu', cmdline='', timeout=30,
         modules=['bad_huge', 'hello'], qemu_args=['-m', '32'],
         expect=[r'^KLOS: 3\d MiB of RAM',
                 r'^KLOS: module bad_huge not started: out of memory', HELLO, END]),
    dict(name='badboot-16m', emu='qemu', cmdline='', timeout=20,
         modules=['hello'], qemu_args=['-m', '16'],
         expect=[r'^KLOS: 1\d MiB of RAM', HELLO, END]),
    dict(name='badboot-3584m', emu='qemu', cmdline='', timeout=30,
         modules=['hello'], qemu_args=['-m', '3584'],
         expect=[r'MiB above 768 MiB not used', HELLO, END]),
    dict(name='badboot-unknown-options', emu='qemu', cmdline='frobnicate=1 zap apps=seq',
         timeout=20, modules=['hello'],
         expect=[r"^KLOS: unknown command-line option 'frobnicate' ignored$",
                 r"^KLOS: unknown command-line option 'zap' ignored$", HELLO, END]),
    # (no serial port: tests/extra/noserial.py reads the VGA screen instead)

    # ---- soak: 10,000 launches, half of them faulting; no frame may leak -------------
    dict(name='soak-qemu', emu='qemu', cmdline='skip=a_tiny', timeout=120,
         modules=['a_soak', 'a_tiny'],
         expect=[r'^SOAK launches=10000 .* frames_before=(\d+) frames_after=\1 .*result=PASS$',
                 END]),
]

# ---- NT: POPF sets it at CPL 3; IRET with NT=1 is a task return to the app task's
# back link, which is 0: #TS in the app.  An event raised with NT=1 returns it clear.
for _emu in ('qemu', 'bochs'):
    TESTS.append(dict(
        name='attack-ntiret-' + _emu, emu=_emu, cmdline='', modules=['a_ntiret', 'hello'],
        timeout=60,
        expect=[r'^ATTACK name=ntiret tries=10 ts=10 returned=0 other=0 '
                r'nt_cleared_by_event=10 result=contained$', HELLO, END],
        forbid=NO_BREACH))
