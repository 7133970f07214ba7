"""The boot tests of `make test` (tests/run.py imports this package).

Each module defines TESTS, a list of dicts, one per boot:
  name        unique; files go to build/tests/NAME.{iso,log,...}
  emu         'qemu' (TCG, fast: no segment-limit / execute-only checks) or
              'bochs' (enforces segment limits, execute-only code, the P5 CPU model)
  cmdline     the multiboot command line, e.g. 'test=cpl'
  modules     module basenames taken from --modules-dir (default [])
  expect      regexes that must each match (re.search) some line of COM1 output
  forbid      regexes that must match no line; the runner always adds PANIC,
              EVENTCORE, triple fault, and 'KLOS-TEST x FAIL' (not when allow_fail)
  panic       a regex: the one panic line the test provokes (it is exempt from forbid;
              put it in expect too, and exit_code the panic's)
  allow_fail  True for negative controls expected to print 'KLOS-TEST x FAIL'
              (also accepts any KLOS-EXIT code)
  exit_code   the KLOS-EXIT code required (default 0; None = any)
  timeout     seconds (default 20 for qemu, 60 for bochs)
  qemu_args   extra QEMU arguments, e.g. ['-cpu', 'pentium']
  bochs_cpu   Bochs CPU model ('pentium', ...), None = default
  boot        'cdrom' (default) or 'usb' (QEMU only: the hybrid ISO as a USB stick)
  firmware    'bios' (default), 'ovmf64' (qemu-system-x86_64 + Debian ovmf) or 'ovmf32'
              (qemu-system-i386 -M q35 + ovmf-ia32): UEFI boots of the same hybrid ISO
  grub        lines added to grub.cfg before the menu entry (tools/mkiso.sh -g), e.g.
              ['cutmem 15M 16M'] for a hole in the memory map
  hybrid      True: boot the product's hybrid image (BIOS + UEFI GRUB) under BIOS too; by
              default a BIOS boot gets a BIOS-only image, quicker to make (mkiso.sh -B)
  skip_unless callable returning (ok, reason); the test is skipped when not ok
  kernel      'test' (build/klos-test.elf: the product plus tests/os/) or 'product';
              default: 'test' when cmdline has test=NAME, else 'product'
  check       callable(lines) -> (ok, reason): a judgement a regex cannot make
  disks       scratch disk images to attach (tests/run.py says how: IDE, virtio, floppy,
              a GRUB module; blkdebug error injection)
  after       callable(images, lines) -> (ok, why): a judgement of the disk images after
              the boot ({name: path}; e2fsck, debugfs)
  task        what it expects with events=task (helpers.py: the same, a reason
              for no variant, or the keys that differ)

Every test passes only if the OS printed 'KLOS-EXIT <code>' (it then ends the
emulator itself: port 0xf4 for QEMU, 'Shutdown' to port 0x8900 for Bochs).
"""
from . import core, apps, attack, bench, benchsuite, blk, cr2, dma, files, guard, ipc, pc, robust, strops, taskmode
from .helpers import with_task_variants

TESTS = with_task_variants(core.TESTS + apps.TESTS + attack.TESTS + bench.TESTS + benchsuite.TESTS + blk.TESTS +
                           cr2.TESTS + dma.TESTS + files.TESTS +
                           ipc.TESTS + pc.TESTS + robust.TESTS + strops.TESTS + taskmode.TESTS +
                           guard.TESTS)
