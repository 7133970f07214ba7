"""Robustness: faults inside OS handlers, DF at every entry, size arithmetic, the
port policy, read-only app pages (each against a bystander), the CPU check at
boot, and a fuzzer over every service and vector."""
from .helpers import END, HELLO, exited
OS_FAULT = [r'KLOS-FAULT in the OS', r'KLOS-FAULT in an OS event handler', r'OS bug',
            r'NOT STOPPED', r'result=(BREACH|FAIL)', r'WRONG', r'unhandled fault']


# An OS event handler that faults (forced by the boot test), at depth 2 and at depth
# 4: reported as an OS bug, the app it ran for ended, every level unwound.  Later
# processes run (on their own page directories), HSTACK_DEPTH nested events fit
# again (the event core's depth is back to 0), no frame lost.
TESTS = [
    dict(name='robust-oshandler-' + emu, emu=emu, cmdline='test=oshandler',
         modules=['t_oshfault', 'hello'],
         expect=[r'^KLOS-FAULT in an OS event handler: #PF .* cr2=00000008',
                 r'^KLOS: OS bug: an event handler faulted at depth 2; .* pid 1 \(t_oshfault\)',
                 exited('t_oshfault', 1, 142), exited('hello', 2, 0),
                 r'^KLOS: OS bug: an event handler faulted at depth 4; .* pid 3 \(t_oshfault\)',
                 exited('t_oshfault', 3, 142), exited('hello', 4, 0),
                 r'^oshandler: depth now 0, 6 nested events fit again, frames (\d+) before, \1 after$',
                 r'KLOS-TEST oshandler PASS'],
         forbid=[r'NOT STOPPED'])
    for emu in ('qemu', 'bochs')
]

BYST_OK = r'^bystander: \d+ rounds while 1 attacker\(s\) ran; registers intact, memory intact: ok$'


# The attacker and a_byst run side by side; hello is there for attackers to spawn (skip=hello:
# nothing else may allocate or free frames while an attacker counts them).
def attack(name, emu, mod, expect, cmdline='apps=par skip=hello', timeout=None, extra=()):
    d = dict(name=name, emu=emu, cmdline=cmdline, modules=[mod, 'a_byst', 'hello'] + list(extra),
             expect=expect + [BYST_OK, END], forbid=OS_FAULT)
    if timeout:
        d['timeout'] = timeout
    return d


# Break 1: the fault reporter read past EIP into the event core's supervisor page.
# On the sealed layout the bytes just below the event core are boot code, itself
# supervisor-only, so the jump faults on the fetch (#PF, protection) and the reporter
# does not decode them (it reads EIP's bytes only through uvm_copy, which checks U).
# This edge no longer reaches the old bug; containment is what is left to check here,
# and a fault inside an OS handler is forced directly by robust-oshandler.
ECEDGE = [r'^ATTACK name=ecedge target=0x[0-9a-f]+ tries=4 ended=4 later_child=0 '
          r'frames_before=(\d+) frames_after=\1 result=contained$']
TESTS += [
    attack('robust-ecedge-bochs', 'bochs', 'a_ecedge',
           ECEDGE + [r'^KLOS-FAULT pid \d+ \(a_ecedge\): #PF .* eip=(\w+) .* cr2=\1: page protection violation$']),
    attack('robust-ecedge-qemu', 'qemu', 'a_ecedge', ECEDGE),
]

# Break 2: DF=1 into a service made the OS's memcpy run backwards through the direct map.
DFCOPY = [r'^dfcopy: this line was written with DF=1 and came out whole$',
          r'^ATTACK name=dfcopy calls=28 wrong=0 frames_before=(\d+) frames_after=\1 result=contained$']
TESTS += [
    attack('robust-dfcopy-qemu', 'qemu', 'a_dfcopy', DFCOPY),
    attack('robust-dfcopy-bochs', 'bochs', 'a_dfcopy', DFCOPY),
]

# No CPUID / no TSC: a clear message on serial and VGA, then a clean halt (never #UD).
# QEMU TCG runs RDTSC whatever the CPU model says: the check must go by the CPUID bit.
TESTS += [
    dict(name='robust-notsc-qemu', emu='qemu', cmdline='', modules=['hello'],
         qemu_args=['-cpu', 'pentium,-tsc'], exit_code=1,
         expect=[r'^KLOS boot: KLOS needs a Pentium-class CPU: no time-stamp counter '
                 r'\(CPUID.1:EDX.TSC is 0\)$', r'^KLOS-EXIT 1$'],
         forbid=[r'ring-3 OS running', HELLO], task='halts in boot/ before events exist'),
    dict(name='robust-486-notsc-qemu', emu='qemu', cmdline='', modules=['hello'],
         qemu_args=['-cpu', '486,-tsc'], exit_code=1,
         expect=[r'^KLOS boot: KLOS needs a Pentium-class CPU: ', r'^KLOS-EXIT 1$'],
         forbid=[r'ring-3 OS running', HELLO], task='halts in boot/ before events exist'),
]

# Breaks 3 and 4: ioperm's 32-bit range end wrapped; a driver got the ports the OS drives.
IOPERM = [r'^KLOS: pid 1 \(a_ioperm\) refused ports 20-21: they include the master PIC',
          r'^KLOS: pid 1 \(a_ioperm\) refused ports 3f8-3ff: they include COM1',
          r'^KLOS: pid 1 \(a_ioperm\) granted ports 70-71$',
          r'^ATTACK name=ioperm asked=27 granted=0 os_ports_open=0 cmos=0/open '
          r'frames_before=(\d+) frames_after=\1 result=contained$']
TESTS += [
    attack('robust-ioperm-qemu', 'qemu', 'a_ioperm', IOPERM,
           cmdline='apps=par skip=hello drivers=a_ioperm'),
    attack('robust-ioperm-bochs', 'bochs', 'a_ioperm', IOPERM,
           cmdline='apps=par skip=hello drivers=a_ioperm'),
]

# Copies into app memory honour the page's W bit.
ROWRITE = [r'^KLOS: pid \d+ \(a_rowrite\) ended by #UD',
           r'^ATTACK name=rowrite calls=9 refused=9 page=unchanged child_status=134 '
           r'frames_before=(\d+) frames_after=\1 result=contained$']
TESTS += [
    attack('robust-rowrite-qemu', 'qemu', 'a_rowrite', ROWRITE),
]

# The fuzzer: random EFLAGS (DF AC TF NT RF ID) and registers into every service (B, H, A)
# and every DPL-3 vector.  A fault the OS takes in a service is a finding -- except the #DB
# of TF=1 into a stub, which ends the child by design.
FUZZ = [r'^ATTACK name=fuzz calls=\d{5,} services=\d+ vectors=\d+ .* later_child=0 .*'
        r'frames_before=(\d+) frames_after=\1 result=contained$']
FUZZ_FORBID = OS_FAULT + [r'KLOS-FAULT in a service: #(?!DB)', r'KLOS-FAULT pid']
TESTS += [
    dict(attack('robust-fuzz-qemu', 'qemu', 'a_fuzz', FUZZ,
                cmdline='apps=par skip=hello drivers=a_fuzz'), timeout=300, forbid=FUZZ_FORBID),
    dict(attack('robust-fuzz-bochs', 'bochs', 'a_fuzz', FUZZ,
                cmdline='apps=par skip=hello drivers=a_fuzz'), timeout=600, forbid=FUZZ_FORBID),
]
