#!/usr/bin/env python3
"""KLOS test runner (make test).

    python3 tests/run.py --kernel build/klos.elf --test-kernel build/klos-test.elf \
        --modules-dir build/apps [--only SUBSTR] [--list]

Runs, in order:
  1. host unit tests: every executable build/unit/*, each printing 'PASS name' /
     'FAIL name: why' lines (one test per line) and exiting non-zero on failure;
  2. boot tests from tests/boot/ (a package): each gets an ISO (tools/mkiso.sh), is booted in
     QEMU (TCG) or Bochs with COM1 captured to build/tests/NAME.log, and is judged from
     that log only.  A test whose command line has test=NAME boots the test kernel
     (--test-kernel: the product plus tests/os/), every other one the product kernel;
  3. extra scripts: every executable tests/extra/*.sh / *.py, printing PASS/FAIL/SKIP lines.

A boot test may cut the power: its cut key, dict(after=REGEX, count=K or (LO, HI), ms=(LO, HI),
seed=S), kills the emulator (SIGKILL: what was not written to the image file is lost) once COM1
has printed K lines matching REGEX (K drawn from [LO, HI]) and then a delay of ms milliseconds
(drawn from [LO, HI]), both drawn from a generator seeded with S and the test's name, so a run
is repeated exactly up to the emulator's timing.  A cut test is judged as usual, except that no
KLOS-EXIT line is required once it was cut (its after= judges the disks); NAME.cut says when.

Prints one line per test and finally 'N passed, M failed[, K skipped]'; exit status 1 if
anything failed.  Standard library only.
"""

import argparse
import concurrent.futures
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MKISO = os.path.join(ROOT, 'tools', 'mkiso.sh')

DEFAULT_FORBID = [r'PANIC', r'EVENTCORE', r'triple fault']
FAIL_FORBID = r'KLOS-TEST \S+ FAIL'
EXIT_RE = re.compile(r'(?:^|\s)KLOS-EXIT(?:\s+(-?\d+))?\s*$')
ANSI_RE = re.compile(r'\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Za-z0-9]|\x1b[=>]')
RESULT_RE = re.compile(r'^(PASS|FAIL|SKIP)\s+(\S.*?)\s*$')
LOG_TAIL = 30

BOCHS_BIOS = ['/usr/share/bochs/BIOS-bochs-latest']
BOCHS_VGABIOS = ['/usr/share/vgabios/vgabios.bin', '/usr/share/bochs/VGABIOS-lgpl-latest']

QEMU = os.environ.get('KLOS_QEMU', 'qemu-system-i386')
QEMU64 = os.environ.get('KLOS_QEMU64', 'qemu-system-x86_64')
BOCHS = os.environ.get('KLOS_BOCHS', 'bochs')

# UEFI firmware for a test's firmware= key (Debian ovmf, ovmf-ia32): the QEMU to run, its
# machine options, the firmware's code and the variable store copied per test (writable).
FIRMWARE = {
    'ovmf64': (QEMU64, [], '/usr/share/OVMF/OVMF_CODE.fd', '/usr/share/OVMF/OVMF_VARS.fd',
               'ovmf'),
    'ovmf32': (QEMU, ['-M', 'q35'], '/usr/share/OVMF/OVMF32_CODE_4M.secboot.fd',
               '/usr/share/OVMF/OVMF32_VARS_4M.fd', 'ovmf-ia32'),
}


class Results:
    def __init__(self):
        self.passed = self.failed = self.skipped = 0

    def report(self, status, name, reason='', detail=None, note=''):
        if status == 'PASS':
            self.passed += 1
            line = 'PASS %s' % name + (' ' + note if note else '')
        elif status == 'SKIP':
            self.skipped += 1
            line = 'SKIP %s: %s' % (name, reason or 'skipped')
        else:
            self.failed += 1
            line = 'FAIL %s: %s' % (name, reason or 'failed')
        print(line)
        if detail:
            for d in detail:
                print('    | ' + d)
        sys.stdout.flush()

    def summary(self):
        s = '%d passed, %d failed' % (self.passed, self.failed)
        if self.skipped:
            s += ', %d skipped' % self.skipped
        return s


def clean_line(line):
    return ANSI_RE.sub('', line).replace('\r', '').rstrip()


def shown(path):
    rel = os.path.relpath(path, ROOT)
    return path if rel.startswith('..') else rel


def tail(lines, n=LOG_TAIL):
    return lines[-n:] if lines else ['(no output)']


_live = set()          # emulators and test programs now running (killed on Ctrl-C)
_live_lock = threading.Lock()
_stopping = threading.Event()


def start(cmd, **kw):
    if _stopping.is_set():
        raise KeyboardInterrupt
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, start_new_session=True, **kw)
    with _live_lock:
        _live.add(proc)
    return proc


def finished(proc):
    with _live_lock:
        _live.discard(proc)


def kill_all():
    _stopping.set()
    with _live_lock:
        procs = list(_live)
    for p in procs:
        kill_group(p)
    for p in procs:
        try:
            p.wait(timeout=2)
        except subprocess.TimeoutExpired:
            pass


def kill_group(proc):
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.kill()
    except ProcessLookupError:
        pass


def run_capture(cmd, timeout, cwd=ROOT, env=None):
    """Run cmd, return (returncode or None on timeout, combined output text)."""
    proc = start(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        out, _ = proc.communicate(timeout=timeout)
        return proc.returncode, out.decode('utf-8', 'replace')
    except subprocess.TimeoutExpired:
        kill_group(proc)
        out, _ = proc.communicate()
        return None, out.decode('utf-8', 'replace')
    finally:
        finished(proc)


def is_exe(path):
    return os.path.isfile(path) and os.access(path, os.X_OK)


# ---------------------------------------------------------------- line-protocol programs

def run_line_program(res, label, cmd, only, timeout, env=None):
    """Run a program that prints PASS/FAIL/SKIP lines; each line is one test."""
    rc, out = run_capture(cmd, timeout, env=env)
    lines = [clean_line(l) for l in out.splitlines()]
    label_match = only is None or only in label
    seen = 0
    failed_lines = 0
    for l in lines:
        m = RESULT_RE.match(l)
        if not m:
            continue
        status, rest = m.groups()
        name, _, reason = rest.partition(':')
        name = name.strip()
        if not label_match and only not in name:
            continue
        seen += 1
        if status == 'FAIL':
            failed_lines += 1
        res.report(status, name, reason.strip())
    if not label_match and seen == 0:
        return
    if rc is None:
        res.report('FAIL', label, 'timeout after %ds' % timeout, tail(lines))
    elif rc != 0 and failed_lines == 0:
        why = ('killed by signal %d' % -rc) if rc < 0 else ('exit status %d' % rc)
        res.report('FAIL', label, why + ' without a FAIL line', tail(lines))
    elif seen == 0:
        res.report('FAIL', label, 'printed no PASS/FAIL lines', tail(lines))


def unit_tests(res, args):
    d = os.path.join(args.build_dir, 'unit')
    exes = sorted(os.path.join(d, f) for f in os.listdir(d)) if os.path.isdir(d) else []
    for exe in exes:
        if not is_exe(exe):
            continue
        run_line_program(res, 'unit/' + os.path.basename(exe), [exe], args.only, 120)


def extra_scripts(root):
    d = os.path.join(root, 'tests', 'extra')
    if not os.path.isdir(d):
        return []
    return sorted(os.path.join(d, f) for f in os.listdir(d)
                  if f.endswith(('.sh', '.py')) and is_exe(os.path.join(d, f)))


def extra_tests(res, args):
    env = dict(os.environ, KLOS_ROOT=ROOT, KLOS_KERNEL=os.path.abspath(args.kernel),
               KLOS_MODULES_DIR=os.path.abspath(args.modules_dir),
               KLOS_BUILD_DIR=os.path.abspath(args.build_dir))
    for script in extra_scripts(ROOT):
        if args.only and args.only not in os.path.basename(script):
            continue                    # --only picks extra scripts by file name
        run_line_program(res, 'extra/' + os.path.basename(script), [script], args.only,
                         args.extra_timeout, env=env)


# ---------------------------------------------------------------- boot tests

def load_boot_tests():
    import boot                 # tests/boot/: beside this script, so on sys.path
    path = os.path.dirname(boot.__file__)
    tests = boot.TESTS
    names = set()
    for t in tests:
        for k in ('name', 'emu', 'cmdline'):
            if k not in t:
                raise SystemExit('%s: test %r lacks %r' % (path, t.get('name'), k))
        if t['emu'] not in ('qemu', 'bochs'):
            raise SystemExit('%s: test %s: emu must be qemu or bochs' % (path, t['name']))
        if not re.match(r'^[A-Za-z0-9_.+-]+$', t['name']):
            raise SystemExit('%s: test name %r: use letters, digits, _ . + -' % (path, t['name']))
        if t['name'] in names:
            raise SystemExit('%s: duplicate test name %s' % (path, t['name']))
        names.add(t['name'])
    return tests


def first_existing(paths):
    for p in paths:
        if os.path.isfile(p):
            return p
    return None


def check_skip(t):
    """Return a skip reason, or None."""
    fw = t.get('firmware', 'bios')
    if fw != 'bios' and (t['emu'] != 'qemu' or fw not in FIRMWARE):
        return 'firmware=%r: QEMU with %s only' % (fw, ' or '.join(FIRMWARE))
    if t['emu'] == 'qemu':
        qemu = FIRMWARE[fw][0] if fw in FIRMWARE else QEMU
        if not shutil.which(qemu):
            return '%s not found (apt-get install qemu-system-x86)' % qemu
        if fw in FIRMWARE:
            for f in FIRMWARE[fw][2:4]:
                if not os.path.isfile(f):
                    return '%s not found (apt-get install %s)' % (f, FIRMWARE[fw][4])
    else:
        if not shutil.which(BOCHS):
            return '%s not found (apt-get install bochs bochsbios vgabios)' % BOCHS
        if not first_existing(BOCHS_BIOS):
            return 'Bochs BIOS not found (apt-get install bochsbios)'
        if not first_existing(BOCHS_VGABIOS):
            return 'VGA BIOS not found (apt-get install vgabios)'
        if t.get('boot', 'cdrom') != 'cdrom':
            return "boot=%r is QEMU-only" % t.get('boot')
    su = t.get('skip_unless')
    if su is not None:
        try:
            ok, reason = su()
        except Exception as e:  # a broken check should not kill the run
            return 'skip_unless raised %r' % (e,)
        if not ok:
            return reason or 'skip_unless'
    return None


# ---------------------------------------------------------------- scratch disks
# A boot test may attach disks: disks=[dict(name=..., attach=..., size=..., fill=..., blkdebug=...)].
#   attach    'ide0'/'ide1' (primary master/slave: QEMU -drive if=ide,index=N; Bochs ata0-master/
#             -slave, the boot CD then on ata1-master), 'virtio' (QEMU if=virtio, legacy on -M pc),
#             'fda' (floppy A), 'module' (a GRUB module named NAME: the RAM disk, disk=NAME)
#   size      bytes (a sparse file: a 130 GiB image costs nothing)
#   fill      [(lba, count), ...] sectors that get the pattern of tests/blkpattern.h; the rest
#             reads as zeros.  Default: [(0, 2048)]
#   blkdebug  QEMU only: a list of [inject-error] rules (dicts: event, errno, sector, once), or a
#             callable(image path) returning one (made after the image: a file's own sector)
#   image     callable(path): builds the image itself instead (a file system: tests/boot/files.py)
#   iops      QEMU only: at most this many requests a second (throttling.iops-total), so that
#             every command takes time the guest can see (a thread then surely sleeps on it)
#   cache     QEMU only: the drive's cache= mode (default QEMU's, writeback), e.g. 'unsafe'
#   blklogwrites  QEMU only: True records every write and flush the guest issues, in order, in
#             NAME.dmlog (QEMU's blklogwrites driver, Linux's dm-log-writes format); the image
#             as built is kept as NAME.start
# The images are made afresh for each run, under build/tests/NAME.disks/.

def blk_sector(lba, _tables={}):
    """One sector of tests/blkpattern.h's pattern (the C function blkpat, byte for byte)."""
    if not _tables:
        _tables['base'] = bytes((7 * i) & 0xFF for i in range(512))
    k = (lba * 31 + (lba >> 8) * 13) & 0xFF
    tab = _tables.get(k)
    if tab is None:
        tab = _tables[k] = bytes(((x + k) & 0xFF) ^ 0x5C for x in range(256))
    return (lba & (2 ** 64 - 1)).to_bytes(8, 'little') + _tables['base'].translate(tab)[8:]


def make_disks(t, d):
    """Create t's disks under d/NAME.disks/; returns [(spec, image path), ...]."""
    out = []
    if not t.get('disks'):
        return out
    dd = os.path.join(d, t['name'] + '.disks')
    shutil.rmtree(dd, ignore_errors=True)
    os.makedirs(dd)
    for spec in t['disks']:
        img = os.path.join(dd, spec['name'])
        if spec.get('image'):                   # the test builds it (a file system: mke2fs)
            spec['image'](img)
        else:
            with open(img, 'wb') as f:
                f.truncate(spec['size'])
                for lba, count in spec.get('fill', [(0, 2048)]):
                    f.seek(lba * 512)
                    f.write(b''.join(blk_sector(s) for s in range(lba, lba + count)))
        if spec.get('blklogwrites'):
            shutil.copyfile(img, img + '.start')
            open(img + '.dmlog', 'wb').close()
        if spec.get('blkdebug'):
            rules = spec['blkdebug']
            if callable(rules):
                rules = rules(img)
            with open(img + '.blkdebug', 'w') as f:
                for r in rules:
                    f.write('[inject-error]\n')
                    for k, v in r.items():
                        f.write('%s = "%s"\n' % (k, v))
        out.append((spec, img))
    return out


def qemu_disk_args(disks, d):
    args = []
    for spec, img in disks:
        rel = os.path.relpath(img, d)                   # cwd is d: no commas in the names
        a = spec['attach']
        if a == 'module':
            continue
        f = 'blkdebug:%s.blkdebug:%s' % (rel, rel) if spec.get('blkdebug') else rel
        if spec.get('iops'):
            f += ',throttling.iops-total=%d' % spec['iops']
        if spec.get('cache'):
            f += ',cache=%s' % spec['cache']
        if a in ('ide0', 'ide1') and spec.get('blklogwrites'):
            args += ['-drive', 'driver=blklogwrites,file.driver=file,file.filename=%s,log.driver='
                     'file,log.filename=%s.dmlog,if=ide,index=%s' % (rel, rel, a[3]) +
                     (',cache=%s' % spec['cache'] if spec.get('cache') else '')]
        elif a in ('ide0', 'ide1'):
            args += ['-drive', 'file=%s,format=raw,if=ide,index=%s' % (f, a[3])]
        elif a == 'virtio':
            args += ['-drive', 'file=%s,format=raw,if=virtio' % f]
        elif a == 'fda':
            args += ['-drive', 'file=%s,format=raw,if=floppy,index=0' % f]
        else:
            raise ValueError('unknown attach %r' % a)
    return args + (['-boot', 'd'] if args else [])


def bochs_disk_lines(disks, d):
    lines = []
    for spec, img in disks:
        rel = os.path.relpath(img, d)
        a = spec['attach']
        if a in ('ide0', 'ide1'):
            lines.append('ata0-%s: type=disk, path=%s, mode=flat' %
                         ('master' if a == 'ide0' else 'slave', rel))
        elif a == 'fda':
            lines.append('floppya: 1_44=%s, status=inserted' % rel)
        elif a != 'module':
            raise ValueError('attach %r is QEMU-only' % a)
    return lines


def qemu_cmd(t, iso, log, d):
    """The QEMU command line; names relative to the test directory d (its cwd)."""
    fw = t.get('firmware', 'bios')
    qemu = QEMU
    if fw in FIRMWARE:
        qemu, machine, code, vars_, _ = FIRMWARE[fw]
        store = t['name'] + '.vars.fd'
        shutil.copyfile(vars_, os.path.join(d, store))
        fwargs = machine + ['-drive', 'if=pflash,format=raw,readonly=on,file=' + code,
                            '-drive', 'if=pflash,format=raw,file=' + store]
    else:
        fwargs = []
    cmd = [qemu, '-display', 'none', '-serial', 'file:' + log, '-no-reboot',
           '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04',
           '-m', '128' if fw in FIRMWARE else '64'] + fwargs
    boot = t.get('boot', 'cdrom')
    if boot == 'usb':
        cmd += ['-drive', 'if=none,id=stick,format=raw,file=' + iso,
                '-device', 'usb-ehci,id=ehci',
                '-device', 'usb-storage,bus=ehci.0,drive=stick,bootindex=1']
    elif boot == 'cdrom':
        cmd += ['-cdrom', iso]
    else:
        raise ValueError('unknown boot %r' % boot)
    return cmd + list(t.get('qemu_args', []))


def write_bochsrc(t, d, disks=()):
    """Write d/NAME.bochsrc (paths relative to d, Bochs runs with cwd=d)."""
    name = t['name']
    drives = bochs_disk_lines(disks, d)
    on_ata0 = any(l.startswith('ata0-') for l in drives)
    cd = 'ata1-master' if on_ata0 else 'ata0-master'
    if on_ata0:
        drives.append('ata1: enabled=1, ioaddr1=0x170, ioaddr2=0x370, irq=15')
    cpu = 'cpu: '
    if t.get('bochs_cpu'):
        cpu += 'model=%s, ' % t['bochs_cpu']
    cpu += 'ips=50000000, reset_on_triple_fault=0'
    rc = '\n'.join([
        'megs: 64',
        'romimage: file=%s' % first_existing(BOCHS_BIOS),
        'vgaromimage: file=%s' % first_existing(BOCHS_VGABIOS),
        '%s: type=cdrom, path=%s.iso, status=inserted' % (cd, name),
    ] + drives + [
        'boot: cdrom',
        'com1: enabled=1, mode=file, dev=%s.log' % name,
        cpu,
        # No 'nogui' in Debian's Bochs; rfb with timeout=0 runs headless without waiting for a
        # VNC client (it listens on the first free port from 5900).
        'display_library: rfb, options="timeout=0"',
        'log: %s.bochs.log' % name,
        'panic: action=fatal',
        'error: action=report',
        'info: action=report',
        'debug: action=ignore',
        'mouse: enabled=0',
        'clock: sync=none',
        # Without these Bochs loads its ALSA sound plugin, which aborts
        # ("buffer overflow detected") on a machine without a sound card.
        'sound: waveoutdrv=dummy, waveindrv=dummy, midioutdrv=dummy',
        'speaker: enabled=0',
    ]) + '\n'
    path = os.path.join(d, name + '.bochsrc')
    with open(path, 'w') as f:
        f.write(rc)
    cmds = os.path.join(d, name + '.bochscmds')
    with open(cmds, 'w') as f:
        f.write('c\nquit\n')
    return path, cmds


def bochs_hint(d, name):
    """A short reason from Bochs's own log, e.g. a triple fault's PANIC."""
    p = os.path.join(d, name + '.bochs.log')
    try:
        with open(p, errors='replace') as f:
            for l in f:
                if '>>PANIC<<' in l and 'shutdown requested' not in l:
                    return 'bochs: ' + l.split('>>PANIC<<', 1)[1].strip()
    except OSError:
        pass
    return None


def wait_cut(proc, log, cut, timeout, name):
    """The cut key (see the module's text): wait for the moment, then kill proc.  Returns
    (emulator exit status or None when killed by the timeout, what the cut was or None)."""
    rng = random.Random('%s:%s' % (cut.get('seed', 0), name))
    count = cut.get('count', 1)
    k = rng.randint(*count) if isinstance(count, (tuple, list)) else count
    ms = rng.randint(*cut.get('ms', (0, 0)))
    rx = re.compile(cut['after'])
    end = time.time() + timeout
    seen, pos, part = 0, 0, b''
    while seen < k:
        if proc.poll() is not None:
            return proc.returncode, None                # it ended before the moment came
        if time.time() > end:
            return None, None
        time.sleep(0.01)
        try:
            with open(log, 'rb') as f:
                f.seek(pos)
                data = f.read()
        except FileNotFoundError:
            continue
        pos += len(data)
        *done, part = (part + data).split(b'\n')
        seen += sum(1 for l in done if rx.search(clean_line(l.decode('utf-8', 'replace'))))
    time.sleep(ms / 1000.0)
    if proc.poll() is not None:
        return proc.returncode, None
    kill_group(proc)
    proc.wait()
    return -9, 'killed %d ms after the %dth line matching /%s/' % (ms, k, cut['after'])


def judge(t, lines, cut=None):
    """Return (ok, reason) from the serial log lines."""
    allow_fail = t.get('allow_fail', False)
    forbid = list(t.get('forbid', [])) + DEFAULT_FORBID
    if not allow_fail:
        forbid.append(FAIL_FORBID)
    wanted_panic = re.compile(t['panic']) if t.get('panic') else None
    for pat in forbid:
        rx = re.compile(pat)
        for l in lines:
            if rx.search(l) and not (wanted_panic and wanted_panic.search(l)):
                return False, 'forbidden /%s/ matched: %s' % (pat, l.strip()[:120])
    missing = [p for p in t.get('expect', []) if not any(re.search(p, l) for l in lines)]
    exit_line = None
    for l in lines:
        m = EXIT_RE.search(l)
        if m:
            exit_line = m
    if missing:
        return False, 'expected /%s/ not found' % '/, /'.join(missing)
    if t.get('check'):
        ok, why = t['check'](lines)
        if not ok:
            return False, why
    if exit_line is None and cut:
        return True, ''                                 # killed on purpose: no exit line
    if exit_line is None:
        return False, 'no KLOS-EXIT line'
    want = t.get('exit_code', None if allow_fail else 0)
    if want is not None:
        code = exit_line.group(1)
        if code is None or int(code) != want:
            return False, 'KLOS-EXIT %s, expected %d' % (code if code is not None else '(no code)', want)
    return True, ''


def test_kernel(t, args):
    """The test=NAME modes exist only in the test kernel (tests/os/)."""
    wants = t.get('kernel', 'test' if re.search(r'(^|\s)test=', t['cmdline']) else 'product')
    return args.test_kernel if wants == 'test' else args.kernel


def run_boot_test(t, args):
    """Returns (status, reason, detail_lines, seconds)."""
    t0 = time.time()
    name = t['name']
    reason = check_skip(t)
    if reason:
        return 'SKIP', reason, None, 0.0
    d = os.path.abspath(os.path.join(args.build_dir, 'tests'))
    os.makedirs(d, exist_ok=True)
    iso = os.path.join(d, name + '.iso')
    log = os.path.join(d, name + '.log')
    for suffix in ('.iso', '.log', '.bochs.log', '.out', '.vars.fd', '.cut'):
        try:
            os.unlink(os.path.join(d, name + suffix))
        except FileNotFoundError:
            pass

    kernel = test_kernel(t, args)
    if not os.path.isfile(kernel):
        return 'FAIL', 'kernel %s not found (build it first)' % kernel, None, 0.0
    try:
        disks = make_disks(t, d)
    except (OSError, ValueError) as e:
        return 'FAIL', 'scratch disks: %s' % e, None, 0.0
    mods = [img for spec, img in disks if spec['attach'] == 'module']
    for m in t.get('modules', []):
        p = os.path.join(args.modules_dir, m)
        if not os.path.isfile(p):
            return 'FAIL', 'module %s not found in %s' % (m, args.modules_dir), None, 0.0
        mods.append(p)
    grub = [a for line in t.get('grub', []) for a in ('-g', line)]
    # BIOS-only images are quicker to make; UEFI boots and hybrid=True get the product's hybrid
    if t.get('firmware', 'bios') == 'bios' and not t.get('hybrid'):
        grub = ['-B'] + grub
    rc, out = run_capture([MKISO] + grub + [iso, kernel, t['cmdline']] + mods, 120)
    if rc != 0:
        return 'FAIL', 'mkiso failed', out.splitlines()[-LOG_TAIL:], time.time() - t0

    # UEFI firmware under TCG takes seconds to reach GRUB
    timeout = t.get('timeout', 20 if t['emu'] == 'qemu' and t.get('firmware', 'bios') == 'bios'
                    else 60) * args.timeout_scale
    if t['emu'] == 'qemu':
        # Names relative to cwd=d: QEMU option values must not contain commas.
        cmd, cwd = qemu_cmd(t, name + '.iso', name + '.log', d) + qemu_disk_args(disks, d), d
    else:
        rcfile, cmds = write_bochsrc(t, d, disks)
        cmd, cwd = [BOCHS, '-q', '-f', os.path.basename(rcfile), '-rc', os.path.basename(cmds)], d
    with open(os.path.join(d, name + '.cmd'), 'w') as f:
        f.write('cd %s && %s\n' % (cwd, ' '.join(cmd)))
    cut = None
    with open(os.path.join(d, name + '.out'), 'wb') as outf:
        proc = start(cmd, cwd=cwd, stdout=outf, stderr=subprocess.STDOUT)
        try:
            if t.get('cut'):
                erc, cut = wait_cut(proc, log, t['cut'], timeout, name)
                if erc is None:
                    raise subprocess.TimeoutExpired(cmd, timeout)
            else:
                erc = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            kill_group(proc)
            proc.wait()
            erc = None
        finally:
            finished(proc)
    try:
        with open(log, 'rb') as f:
            lines = [clean_line(l) for l in f.read().decode('utf-8', 'replace').splitlines()]
    except FileNotFoundError:
        lines = []
    secs = time.time() - t0
    if t.get('cut'):
        with open(os.path.join(d, name + '.cut'), 'w') as f:
            f.write((cut or 'not cut: the emulator ended first') + '\n')
    ok, why = judge(t, lines, cut)
    if ok and t.get('after'):                   # the disks judged too (e2fsck, debugfs)
        ok, why = t['after']({spec['name']: img for spec, img in disks}, lines)
    if ok:
        return 'PASS', '', None, secs
    if erc is None:
        why = 'timeout after %gs (%s)' % (timeout, why)
    elif not any(EXIT_RE.search(l) for l in lines):
        hint = bochs_hint(d, name) if t['emu'] == 'bochs' else None
        if hint:
            why += ' (%s)' % hint
        elif t['emu'] == 'qemu' and erc == 0:
            why += ' (QEMU exited 0: reset or triple fault?)'
        else:
            why += ' (%s exited %d)' % (t['emu'], erc)
    detail = ['--- last %d lines of %s' % (LOG_TAIL, shown(log))] + tail(lines)
    return 'FAIL', why, detail, secs


def boot_tests(res, args, tests):
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs))
    try:
        futs = [(t, pool.submit(run_boot_test, t, args)) for t in tests]
        for t, fut in futs:  # report in declaration order
            try:
                status, reason, detail, secs = fut.result()
            except KeyboardInterrupt:
                raise
            except Exception as e:
                status, reason, detail, secs = 'FAIL', 'runner error: %r' % (e,), None, 0.0
            note = '[%.1fs]' % secs if args.verbose and status != 'SKIP' else ''
            if note and status == 'FAIL':
                reason += ' ' + note
            res.report(status, t['name'], reason, detail, note)
    except KeyboardInterrupt:
        kill_all()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description='KLOS test runner')
    ap.add_argument('--kernel', default='build/klos.elf')
    ap.add_argument('--test-kernel', default=None,
                    help='kernel with the test=NAME modes (default: KERNEL with -test before .elf)')
    ap.add_argument('--modules-dir', default='build/apps')
    ap.add_argument('--build-dir', default='build',
                    help='where unit/ is found and tests/ is written (default build)')
    ap.add_argument('--only', metavar='SUBSTR', help='run only tests whose name contains SUBSTR')
    ap.add_argument('--list', action='store_true', help='list the tests and exit')
    ap.add_argument('-j', '--jobs', type=int, default=2, help='boot tests at a time (default 2)')
    ap.add_argument('--timeout-scale', type=float, default=1.0,
                    help='multiply every boot timeout (slow machines)')
    ap.add_argument('--extra-timeout', type=int, default=600)
    ap.add_argument('-v', '--verbose', action='store_true', help='show seconds per boot test')
    args = ap.parse_args()

    if args.test_kernel is None:
        base, ext = os.path.splitext(args.kernel)
        args.test_kernel = base + '-test' + (ext or '.elf')
    os.chdir(ROOT)
    tests = load_boot_tests()
    only = args.only
    sel = [t for t in tests if only is None or only in t['name']]

    if args.list:
        d = os.path.join(args.build_dir, 'unit')
        if os.path.isdir(d):
            for f in sorted(os.listdir(d)):
                if is_exe(os.path.join(d, f)) and (only is None or only in f):
                    print('unit   %s' % f)
        for t in sel:
            extra = []
            if t.get('bochs_cpu'):
                extra.append('cpu=' + t['bochs_cpu'])
            if t.get('qemu_args'):
                extra.append(' '.join(t['qemu_args']))
            if t.get('boot', 'cdrom') != 'cdrom':
                extra.append('boot=' + t['boot'])
            if t.get('firmware', 'bios') != 'bios':
                extra.append('firmware=' + t['firmware'])
            if t.get('grub'):
                extra.append('grub: ' + '; '.join(t['grub']))
            if test_kernel(t, args) == args.test_kernel:
                extra.append('test kernel')
            print('boot   %-22s %-5s %r %s' % (t['name'], t['emu'], t['cmdline'], ' '.join(extra)))
        for s in extra_scripts(ROOT):
            if only is None or only in os.path.basename(s):
                print('extra  %s' % os.path.relpath(s, ROOT))
        return 0

    res = Results()
    try:
        unit_tests(res, args)
        boot_tests(res, args, sel)
        extra_tests(res, args)
    except KeyboardInterrupt:
        kill_all()
        print('interrupted; ' + res.summary())
        sys.stdout.flush()
        os._exit(130)
    print(res.summary())
    sys.stdout.flush()
    return 1 if res.failed else 0


if __name__ == '__main__':
    sys.exit(main())
