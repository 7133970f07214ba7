# The #PF address (CR2) a ring-3 handler gets, in many instruction forms
# (tests/apps/t_cr2.c), and CR2 rebuilt at ring 3 from the instruction
# (os/fault/insn.c, os/fault/cr2.c) beside the CPU's.  With events=task only
# 'cr2' runs (there t_cr2 checks the rebuilt CR2 itself); cr2check needs the
# CPU's CR2 beside the rebuilt one, which only the event core has.
import re

from .helpers import END

EXPECT_RE = re.compile(r'^t_cr2: (\S+) expect cr2=([0-9a-f]{8})$')
FAULT_RE = re.compile(r'^KLOS-FAULT pid \d+ \(t_cr2\): #PF \(vector 14\) .* cr2=([0-9a-f]{8}):')


def stack_children(lines):
    """Each stack-write child's expected CR2 is the one the OS reported."""
    want, seen = None, 0
    for line in lines:
        m = EXPECT_RE.search(line)
        if m:
            if want:
                return False, '%s: no fault report' % want[0]
            want = m.groups()
            continue
        m = FAULT_RE.search(line)
        if m and want:
            if m.group(1) != want[1]:
                return False, '%s: expected cr2=%s, the OS reported %s' % (want[0], want[1], m.group(1))
            want, seen = None, seen + 1
    if want or seen != 8:
        return False, '%d of 8 stack-write forms reported the expected cr2' % seen
    return True, ''


CR2_CASES = [
    dict(name='cr2', cmdline='', modules=['t_cr2'],
         expect=[r'^t_cr2: load cr2=[0-9a-f]{8} ok$', r'^t_cr2: fetch-jmp cr2=0f00ffff ok$',
                 r'^t_cr2: (\d+) of \1 right, 8 of 8 stack-write children ended by #PF$', END],
         forbid=[r'WRONG', r'NOT STOPPED', r'unhandled fault'], check=stack_children),
    # The test kernel: every #PF of t_cr2 and its children, CR2 rebuilt and compared.
    dict(name='cr2check', cmdline='test=cr2check', modules=['t_cr2'],
         expect=[r'^cr2check: eip=\S+ err=\S+ real=(\S+) rebuilt=\1 ok$',
                 r'^cr2check: \d+ #PF, 0 rebuilt wrong, 0 unknown$', r'KLOS-TEST cr2check PASS'],
         forbid=[r'MISMATCH', r'rebuilt=unknown', r'WRONG'], check=stack_children,
         task="compares the rebuilt CR2 with the CPU's, which only the event core has"),
]


def cr2_tests(suffix='', cmdline='', names=None, emus=None):
    out = []
    for c in CR2_CASES:
        if names and c['name'] not in names:
            continue
        for emu in emus or ('qemu', 'bochs'):
            t = dict(c, name='%s%s-%s' % (c['name'], suffix, emu), emu=emu,
                     cmdline=(c['cmdline'] + ' ' + cmdline).strip())
            out.append(t)
    return out


TESTS = cr2_tests()
