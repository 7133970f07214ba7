# One stick for every PC -- memory maps with holes, UEFI (64- and 32-bit OVMF), the
# framebuffer console, a PIT that never ticks, no PS/2 controller; and that no app reaches the
# device memory the OS maps (the screen, the local APIC).  'firmware' picks BIOS (default) or
# OVMF, 'grub' adds grub.cfg lines (tests/boot/__init__.py).
# The framebuffer read back from the screen: tests/extra/fbscreen.py; the shell over COM1
# with pit=off: tests/extra/shell_paste.py.
import re

from .helpers import END, HELLO
from .bench import BENCH_TASK
EXIT0 = r'^KLOS-EXIT 0$'
FB = r'^KLOS: screen: 1024x768 framebuffer, 32 bits per pixel, at [0-9a-f]+: 128x48 characters of 8x16$'
TEXT = r'^KLOS: screen: VGA text mode, 80x25 characters$'
PIT = r'^KLOS: timer: PIT 100 Hz$'
APIC = (r'^KLOS: timer: local APIC 100 Hz \(\d+\.\d{3} MHz after its divide-by-16, calibrated '
        r'against the RTC\), the PIT does not tick$')
HOLES = ['cutmem 15M 16M', 'cutmem 512M 514M']      # the ISA hole, Sandy/Ivy Bridge's
# a_oom: runs the machine out of memory (heap, then processes), gives everything back
OOM = [r'^ATTACK name=oom_hog .* spawn_when_full=-\d+ ', r'^ATTACK name=oom .*result=contained$']
NO_FAULT = [r'KLOS-FAULT', r'unhandled fault', r'result=(FAIL|BREACH)']


def frames_back(lines):
    """Every frame back: the free count at the end equals the one at start-up."""
    first = [re.match(r'^KLOS: \d+ MiB of RAM, (\d+) frames free', l) for l in lines]
    last = [re.match(r'^KLOS: all apps have ended, (\d+) frames free$', l) for l in lines]
    first = [m.group(1) for m in first if m]
    last = [m.group(1) for m in last if m]
    if not first or not last:
        return False, 'no frame counts at start-up and end'
    return first[0] == last[-1], 'frames free: %s at start-up, %s at the end' % (first[0], last[-1])


TESTS = [
    # ---- memory maps with holes: the direct map and the frame allocator follow the map
    dict(name='pc-holes-qemu', emu='qemu', cmdline='', grub=HOLES, qemu_args=['-m', '576'], hybrid=True,
         modules=['a_oom', 'hello'], timeout=60,
         expect=[r'^KLOS: 57\d MiB of RAM, \d+ frames free$'] + OOM + [HELLO, END],
         forbid=NO_FAULT, check=frames_back),
    # OVMF's own map is full of holes (its first usable range is 1-8 MiB), cutmem adds ours.
    # (This is also the 64-bit UEFI boot from CD of the hybrid image.)
    dict(name='pc-holes-ovmf64', task="about the firmware's memory map, not event delivery", emu='qemu', firmware='ovmf64', cmdline='', grub=HOLES,
         qemu_args=['-m', '576'], modules=['a_oom', 'hello'], timeout=120,
         expect=[FB] + OOM + [HELLO, END], forbid=NO_FAULT, check=frames_back),
    # An 8 MiB PC (the BIOS keeps 128 KiB at the top): boots; 7 MiB is refused, clearly.
    dict(name='pc-8m-qemu', emu='qemu', cmdline='', qemu_args=['-m', '8'], modules=['hello'],
         expect=[r'^KLOS: 7 MiB of RAM, \d+ frames free$', HELLO, END]),
    # GRUB itself runs out of memory loading the image into a 7 MiB PC (the stub pages alone
    # span 0.8 MiB), so the 7 MiB PC is an 8 MiB one whose top MiB GRUB cuts from the map.
    dict(name='pc-7m-qemu', task='halts in boot/ before events exist', emu='qemu', cmdline='', qemu_args=['-m', '8'],
         grub=['cutmem 7M 8M'], modules=['hello'],
         exit_code=1,
         expect=[r'^KLOS boot: too little RAM: KLOS needs an 8 MiB PC \(7 MiB usable\); the memory '
                 r'map lists \d+ KiB$'], forbid=[r'ring-3 OS running']),

    # ---- the hybrid image (what make iso and make usb write): BIOS and UEFI, CD and stick
    dict(name='pc-bios-usb-qemu', task='about the boot medium', emu='qemu', cmdline='', boot='usb', hybrid=True, modules=['hello'],
         expect=[TEXT, PIT, HELLO, END, EXIT0], forbid=[r'no PS/2 controller']),
    dict(name='pc-bios-bochs', task='about the boot medium', emu='bochs', cmdline='', hybrid=True, modules=['hello'],
         expect=[TEXT, PIT, HELLO, END, EXIT0], forbid=[r'no PS/2 controller']),
    # (64-bit OVMF from CD: pc-holes-ovmf64 above, and tests/extra/fbscreen.py)
    dict(name='pc-ovmf64-usb', task='about the boot medium', emu='qemu', firmware='ovmf64', cmdline='', boot='usb',
         modules=['hello'], expect=[FB, PIT, HELLO, END, EXIT0]),
    dict(name='pc-ovmf32-cd', task='about the boot medium', emu='qemu', firmware='ovmf32', cmdline='', modules=['hello'],
         expect=[FB, PIT, HELLO, END, EXIT0]),
    dict(name='pc-ovmf32-usb', task='about the boot medium', emu='qemu', firmware='ovmf32', cmdline='', boot='usb',
         modules=['hello'], expect=[FB, PIT, HELLO, END, EXIT0]),

    # ---- a PIT that never ticks: the local APIC timer drives the tick (100 ticks reach the
    # ring-3 handler: its APIC EOI works, in both event modes); without an APIC, no timer
    dict(name='pc-pitoff-qemu', emu='qemu', cmdline='test=timer', qemu_args=['-M', 'pc,pit=off'],
         expect=[APIC, r'KLOS-TEST timer PASS'], forbid=[PIT]),
    dict(name='pc-pitoff-noapic-qemu', emu='qemu', cmdline='', modules=['hello'],
         qemu_args=['-M', 'pc,pit=off', '-cpu', 'qemu32,-apic'],
         expect=[r'^KLOS: timer: none: the PIT does not tick and this CPU has no local APIC; no '
                 r'preemption', HELLO, END]),

    # The bench's timer rows with that timer (icount: instruction counts; -rtc clock=vm runs
    # the RTC on the guest's clock, as the APIC timer, so the calibration is exact here).
    dict(name='bench-pitoff-icount', task=BENCH_TASK, emu='qemu', cmdline='icount', modules=['bench'],
         qemu_args=['-M', 'pc,pit=off', '-rtc', 'clock=vm', '-icount', 'shift=0', '-cpu',
                    'pentium3'], timeout=120,
         expect=[APIC, r'^# irq: the timer is the local APIC timer \(the PIT does not tick\) at 100 Hz$',
                 r'^BENCH mech=irq-plain case=best unit=instructions mean=\d+\.\d{3} ',
                 r'^BENCH mech=irq-resched case=best unit=instructions mean=\d+\.\d{3} ',
                 r'^BENCH-CHECK irq-plain-budget PASS ', r'^BENCH-DONE$'],
         forbid=[r'BENCH-SKIP mech=irq', r'BENCH-CHECK .* FAIL', PIT]),
    dict(name='bench-pitoff-noapic-qemu', task=BENCH_TASK, emu='qemu', cmdline='', modules=['bench'],
         qemu_args=['-M', 'pc,pit=off', '-cpu', 'pentium3,-apic'], timeout=120,
         expect=[r'^BENCH-SKIP mech=irq reason=no-timer ', r'^BENCH-DONE$'],
         forbid=[r'^BENCH mech=irq']),

    # ---- no PS/2 controller (q35 without an i8042): said, and nothing waits for it
    dict(name='pc-noi8042-qemu', emu='qemu', cmdline='', modules=['hello'],
         qemu_args=['-M', 'q35,i8042=off'],
         expect=[r'^KLOS: no PS/2 controller answers: input is COM1-only on this PC', HELLO, END]),

    # ---- no app reaches device memory: every read of the screen and the local APIC, at the
    # OS's addresses and the physical ones, through every selector it holds, faults (Bochs:
    # QEMU TCG checks no segment limits).  The control: with DSAPP flat (test=flatdsapp) the
    # same reads return the screen's characters and the APIC's version register.
    dict(name='attack-mmio-bochs', emu='bochs', cmdline='', modules=['a_mmio', 'hello'],
         timeout=120,
         expect=[r'^ATTACK name=mmio reads=70 faulted=70 reached=0 .*result=contained$', HELLO, END],
         forbid=[r'mmio_read']),
    dict(name='attack-mmio-flatdsapp-bochs', emu='bochs', cmdline='test=flatdsapp',
         modules=['a_mmio'], timeout=120, allow_fail=True,
         expect=[r'^ATTACK name=mmio_read addr=70400000 via=ds value=\w+ result=REACHED$',
                 r'^ATTACK name=mmio_read addr=70000030 via=ds value=\w+ result=REACHED$',
                 r'^ATTACK name=mmio reads=70 .* reached=[1-9]\d* .*result=REACHED$']),
]
