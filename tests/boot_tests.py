# Boot tests for tests/run.py (make test).
#
# Each entry is a dict:
#   name        unique test name; files go to build/tests/NAME.{iso,log,...}
#   emu         'qemu' (TCG, fast: no segment-limit / execute-only checks) or
#               'bochs' (enforces segment limits, execute-only code, the P5 CPU model)
#   cmdline     multiboot command line given to the kernel, e.g. 'test=cpl'
#   modules     list of module basenames taken from --modules-dir (default [])
#   expect      regexes that must each match (re.search) some line of COM1 output
#   forbid      regexes that must match no line; the runner always adds r'PANIC',
#               r'EVENTCORE', r'triple fault', and r'KLOS-TEST \S+ FAIL' (the last one
#               not when allow_fail is True)
#   allow_fail  True for negative controls that are expected to print 'KLOS-TEST x FAIL'
#               (also accepts any KLOS-EXIT code)
#   exit_code   the KLOS-EXIT code required (default 0; None = any)
#   timeout     seconds (default 20 for qemu, 60 for bochs)
#   qemu_args   extra QEMU arguments, e.g. ['-cpu', 'pentium']
#   bochs_cpu   Bochs CPU model ('pentium', ...; `bochs --help cpu` lists them), None = default
#   boot        'cdrom' (default) or 'usb' (QEMU only: the hybrid ISO as a USB stick on EHCI)
#   firmware    'bios' (default), 'ovmf64' (qemu-system-x86_64 + Debian ovmf) or 'ovmf32'
#               (qemu-system-i386 -M q35 + ovmf-ia32): UEFI boots of the same hybrid ISO
#   grub        list of lines added to grub.cfg before the menu entry (tools/mkiso.sh -g),
#               e.g. ['cutmem 15M 16M'] for a hole in the memory map
#   hybrid      True: boot the product's hybrid image (BIOS + UEFI GRUB) under BIOS too; by
#               default a BIOS boot gets a BIOS-only image, quicker to make (mkiso.sh -B)
#   skip_unless optional callable returning (ok, reason); the test is skipped when not ok
#   kernel      'test' (build/klos-test.elf: the product plus os/tests/) or 'product'
#               (build/klos.elf); default: 'test' when cmdline has test=NAME, else 'product'
#   check       optional callable(lines) -> (ok, reason): a judgement a regex cannot make
#
# Every test passes only if the OS printed 'KLOS-EXIT <code>' (it then ends the emulator
# itself: port 0xf4 for QEMU, 'Shutdown' to port 0x8900 for Bochs).

import functools
import shutil
import subprocess


@functools.lru_cache(maxsize=None)
def _qemu_devices():
    qemu = shutil.which('qemu-system-i386')
    if not qemu:
        return ''
    try:
        return subprocess.run([qemu, '-device', 'help'], stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        return ''


def qemu_has_usb_storage():
    devs = _qemu_devices()
    missing = [d for d in ('"usb-ehci"', '"usb-storage"') if d not in devs]
    if missing:
        return False, 'qemu-system-i386 lacks ' + ', '.join(m.strip('"') for m in missing)
    return True, ''


TESTS = [
    # Ring 3 reached: the OS runs at CPL 3.
    dict(name='cpl-qemu', emu='qemu', cmdline='test=cpl',
         expect=[r'CPL=3', r'KLOS-TEST cpl PASS']),
    dict(name='cpl-bochs', emu='bochs', cmdline='test=cpl',
         expect=[r'CPL=3', r'KLOS-TEST cpl PASS']),

    # Timer interrupts reach the ring-3 OS.
    dict(name='timer', emu='qemu', cmdline='test=timer',
         expect=[r'KLOS-TEST timer PASS']),

    # Segment-limit, execute-only and I/O-bitmap protection: Bochs only (QEMU TCG does not
    # check limits or execute-only on ordinary accesses).
    dict(name='probe-bochs', emu='bochs', cmdline='test=probe',
         expect=[r'#GP.*outside DSAPP', r'#GP.*execute-only', r'#GP.*port I/O',
                 r'KLOS-TEST probe PASS']),
    # DSOS relocation never unseals a stub (os/svc/svc.c, DESIGN.md §10).
    dict(name='sealpatch', emu='qemu', cmdline='test=sealpatch',
         expect=[r'^seal: patching the stubs with 20f -> refused$',
                 r'^seal: patching the stubs with 30f -> refused$',
                 r'^seal: 4000 DSOS moves, 0 onto an unsealing selector, stubs clean$',
                 r'KLOS-TEST sealpatch PASS'], forbid=[r'in a stub page']),
    # Negative control: with DSAPP's limit raised to 4 GiB the probe must FAIL.
    dict(name='probe-bochs-dsapp4g', emu='bochs', cmdline='test=probe dsapp=4g',
         allow_fail=True,
         expect=[r'KLOS-TEST probe FAIL']),

    # Faults taken while handling a fault.
    dict(name='nested', emu='qemu', cmdline='test=nested',
         expect=[r'nested #PF handled', r'nested #GP handled', r'KLOS-TEST nested PASS']),

    # The event core sanitises every frame before IRET: a ring-3 handler that writes CS/SS
    # with RPL 0, then IOPL 3 and NT, then VM, resumes at CPL 3 with IOPL 0 each time.
    dict(name='sanitise-qemu', emu='qemu', cmdline='test=sanitise',
         expect=[r'CS/SS with RPL 0 -> resumed at CPL 3 .*: sanitised$',
                 r'IOPL 3 and NT -> resumed at CPL 3 .* IOPL 0 NT 0: sanitised$',
                 r'VM -> resumed at CPL 3 .*: sanitised$', r'KLOS-TEST sanitise PASS']),
    dict(name='sanitise-bochs', emu='bochs', cmdline='test=sanitise',
         expect=[r'CS/SS with RPL 0 -> resumed at CPL 3 .*: sanitised$',
                 r'IOPL 3 and NT -> resumed at CPL 3 .* IOPL 0 NT 0: sanitised$',
                 r'VM -> resumed at CPL 3 .*: sanitised$', r'KLOS-TEST sanitise PASS']),
    # OS code is not preempted (sched.c in_os), under QEMU too.
    dict(name='ospreempt-qemu', emu='qemu', cmdline='test=ospreempt', modules=['hello'],
         expect=[r'^ospreempt: OS code spun \d+ ticks with pid \d+ runnable: not preempted$',
                 r'^hello from pid \d+ via Design B$', r'KLOS-TEST ospreempt PASS']),

    # P5 CPU models: no CMOV (QEMU and Bochs), no SYSENTER (Bochs).
    dict(name='pentium-qemu', emu='qemu', cmdline='test=cpl', qemu_args=['-cpu', 'pentium'],
         expect=[r'CPL=3', r'KLOS-TEST cpl PASS']),
    dict(name='pentium-bochs', emu='bochs', cmdline='test=cpl', bochs_cpu='pentium',
         expect=[r'CPL=3', r'KLOS-TEST cpl PASS']),

    # The image users boot has no test code: test= and dsapp= are unknown options there,
    # and the modules run as usual.
    dict(name='product-no-test-modes', emu='qemu', cmdline='test=cpl dsapp=4g',
         kernel='product', modules=['hello'],
         expect=[r"^KLOS: unknown command-line option 'test' ignored$",
                 r"^KLOS: unknown command-line option 'dsapp' ignored$",
                 r'^hello from pid \d+ via Design B$', r'^KLOS: all apps have ended'],
         forbid=[r'KLOS-TEST', r'probe:']),

    # The hybrid ISO boots as a USB disk.
    dict(name='usb-boot', emu='qemu', cmdline='test=cpl', boot='usb', hybrid=True,
         skip_unless=qemu_has_usb_storage,
         expect=[r'CPL=3', r'KLOS-TEST cpl PASS']),
]

# Each area's boot tests live in tests/boot/AREA.py, each defining TESTS.
import glob as _glob
import os as _os
for _f in sorted(_glob.glob(_os.path.join(_os.path.dirname(_os.path.abspath(__file__)), 'boot', '*.py'))):
    _ns = {'__file__': _f, '__name__': 'boot_' + _os.path.basename(_f)[:-3]}
    with open(_f) as _fh:
        exec(compile(_fh.read(), _f, 'exec'), _ns)
    TESTS += _ns['TESTS']

# ---- events=task (issue 13): the same boot tests with IDT task gates and no event core.
# Every test runs again with 'events=task' on the command line, named NAME-task, except
# those that measure or probe the event core itself, or that end before the mode matters.
TASK_SKIP = {
    'product-no-test-modes': 'about the product image, not event delivery',
    'usb-boot': 'about the boot medium',
    # issue 19: the boot medium and firmware, the memory map (the OOM run under OVMF is
    # long), boot/'s RAM check -- none of it depends on how events are delivered
    'pc-holes-ovmf64': 'about the firmware\'s memory map, not event delivery',
    'pc-7m-qemu': 'halts in boot/ before events exist',
    'pc-bios-usb-qemu': 'about the boot medium',
    'pc-bios-bochs': 'about the boot medium',
    'pc-ovmf64-usb': 'about the boot medium',
    'pc-ovmf32-cd': 'about the boot medium',
    'pc-ovmf32-usb': 'about the boot medium',
    'robust-notsc-qemu': 'halts in boot/ before events exist',
    'robust-486-notsc-qemu': 'halts in boot/ before events exist',
    'cr2check-qemu': 'compares the rebuilt CR2 with the CPU\'s, which only the event core has',
    'cr2check-bochs': 'compares the rebuilt CR2 with the CPU\'s, which only the event core has',
}


# What differs on purpose with events=task: no ring-0 entry exists to call (the upcall
# gate, the benchmark's gate, trap and flush are #GP for everyone, the bench too), and
# the handler tasks' TSS descriptors take GDT slots 10..10+NVEC-1 from DSOS's candidates.
def _klos_define(name):
    import re as _re
    with open(_os.path.join(_os.path.dirname(_os.path.abspath(__file__)), '..', 'include',
                            'klos.h')) as f:
        return int(_re.search(r'^#define %s\s+(\w+)' % name, f.read(), _re.M).group(1), 0)


_NCAND = 2 * 8192 - _klos_define('GDT_FIXED')          # DSOS's candidate slots: GDT and LDT
_NCAND_TASK = _NCAND - _klos_define('NVEC')            # less the handler tasks' (GDT_FIXED_TASK)
_GATE_GP = r'^swint: events=task: lcall the upcall gate: 10 of 10 raised #GP err=30, went on$'
_STRAY = r'^swint: 100000 stray calls through the upcall gate returned, last with ds=0 es=0$'
_TFGATE = (r'^ATTACK name=tfgate gate=fault,db=0 gatebench=fault,db=0 sysenter=fault,db=0 '
           r'int50=fault,db=0 result=contained$')
TASK_EXTRA = {'apps-swint-benchgrant-qemu': [_GATE_GP]}     # expected besides the rest
TASK_REWRITE = {
    'apps-swint-qemu': [(_STRAY, _GATE_GP)],
    'apps-swint-bochs': [(_STRAY, _GATE_GP)],
    'apps-swint-benchgrant-qemu': [(r': 0 of 10 raised', r': 10 of 10 raised')],
    'attack-tfgate-bochs': [(r'^ATTACK name=tfgate .* gatebench=back,.* int50=back,.*result=contained$',
                             _TFGATE)],
    'attack-tfgate-qemu': [(r'^ATTACK name=tfgate .* gatebench=back,.* int50=back,.*result=contained$',
                            _TFGATE)],
}


def _task_variant(t):
    v = dict(t)
    v['name'] = t['name'] + '-task'
    v['cmdline'] = (t.get('cmdline', '') + ' events=task').strip()
    exp = [e.replace(str(_NCAND), str(_NCAND_TASK)) for e in t.get('expect', [])]
    for old, new in TASK_REWRITE.get(t['name'], []):
        exp = [e.replace(old, new) for e in exp]
    # the mode really is on: the OS says so only when boot/ built the task gates
    v['expect'] = exp + TASK_EXTRA.get(t['name'], []) + [
        r'^KLOS: events=task: every event goes by a task gate']
    return v


TESTS += [_task_variant(t) for t in list(TESTS)
          if t['name'] not in TASK_SKIP and not t['name'].startswith('bench-')
          and 'events=task' not in t.get('cmdline', '')]
