"""Boot tests of the foundation: ring 3 reached, the timer, segment and I/O
protection (Bochs), DSOS relocation keeping the stubs sealed, nested faults,
the event delivery's sanitising of a frame a handler edited, OS code never
preempted, P5 CPU models, the product image and the USB boot medium."""
from .helpers import qemu_has_usb_storage

FRAMEEDIT = [r'^frameedit: handler saw vector 49; back at CPL 3, IOPL 0, NT 0, VM 0, IF 1, '
            r'eax 5a5a5a5a$', r'KLOS-TEST frameedit PASS']

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
    # DSOS relocation never unseals a stub (os/sec/stubpatch.c, docs/DESIGN.md §5.4).
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
         forbid=[r'KLOS-TEST', r'probe:'], task='about the product image, not event delivery'),

    # The hybrid ISO boots as a USB disk.
    dict(name='usb-boot', emu='qemu', cmdline='test=cpl', boot='usb', hybrid=True,
         skip_unless=qemu_has_usb_storage, task='about the boot medium',
         expect=[r'CPL=3', r'KLOS-TEST cpl PASS']),
]

# frameedit: an OS handler that edits the live frame (RPL 0, IOPL 3, NT, VM, IF=0,
# a forged vector) still returns at CPL 3 with IOPL/NT/VM clear and IF set.
TESTS += [dict(name='frameedit-' + emu, emu=emu, cmdline='test=frameedit', expect=FRAMEEDIT)
          for emu in ('qemu', 'bochs')]
