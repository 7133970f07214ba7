"""What the boot tests share: the lines every run ends with, the lines an app's
life prints, the test kernel's events=task variants, and include/klos.h.

A boot test is a dict (tests/boot/__init__.py says which keys it has).  Its
'task' key says what it expects with events=task on the command line:
  absent      the same as without: the variant NAME-task runs with the same
              expectations, plus the line the OS prints only when boot/ built
              the task gates (so a kernel that ignored the option fails it);
  a string    no variant: the reason (the test measures or probes the event
              core itself, or ends before events are delivered);
  a dict      the variant with these keys replaced (its own expectations).
"""
import functools
import os
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, 'tools', 'gen'))
import klosh  # noqa: E402

KLOS = klosh.defines()

END = r'^KLOS: all apps have ended, \d+ frames free$'
HELLO = r'^hello from pid \d+ via Design B$'
NOFAULT = [r'KLOS-FAULT', r'^KLOS: module .* refused', r'not started']
TASK_LINE = r'^KLOS: events=task: every event goes by a task gate'


def started(name, pid):
    return r'^KLOS: started %s as pid %d$' % (name, pid)


def exited(name, pid, code):
    return r'^KLOS: pid %d \(%s\) exited with code %d$' % (pid, name, code)


def hello(pid):
    """hello ran completely as pid PID (after whatever came before it)."""
    return [started('hello', pid), r'^hello from pid %d via Design B$' % pid,
            r'^hello: klos_write direct$', exited('hello', pid, 0)]


def gp_end(name, pid, meaning):
    """PID was ended by a #GP whose meaning (os/fault/report.c) is MEANING."""
    return [r'^KLOS-FAULT pid %d \(%s\): #GP \(vector 13\) err=\S+ eip=\S+ .*: %s' % (pid, name, meaning),
            r'^KLOS: pid %d \(%s\) ended by #GP: %s' % (pid, name, meaning),
            exited(name, pid, 128 + 13)]


def dsos_candidates(task):
    """The slots DSOS may move to: the GDT above the fixed ones (with events=task
    the handler tasks' TSS descriptors follow them) and the whole LDT."""
    fixed = KLOS['GDT_FIXED_TASK'] if task else KLOS['GDT_FIXED']
    return KLOS['GDT_ENTRIES'] - fixed + KLOS['LDT_ENTRIES']


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


def task_variant(t):
    """The events=task variant of test t, or None (see the module's text)."""
    how = t.get('task')
    if isinstance(how, str) or 'events=task' in t.get('cmdline', ''):
        return None
    v = dict(t, **(how or {}))
    v.pop('task', None)
    v['name'] = t['name'] + '-task'
    v['cmdline'] = (t.get('cmdline', '') + ' events=task').strip()
    v['expect'] = list(v.get('expect', [])) + [TASK_LINE]
    return v


def with_task_variants(tests):
    out = list(tests) + [v for v in map(task_variant, tests) if v]
    for t in out:
        t.pop('task', None)
    return out
