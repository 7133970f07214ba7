"""Protections pinned at their edges: each test fails with its protection removed
(a mutant in tests/mutants/mutants.txt names it)."""
import re

from .helpers import END, HELLO, exited

ORACLE_END = r'^oracle: all apps have ended, \d+ frames free$'

TESTS = [
    # CSOS's limit keeps the OS data region from running: the direct map aliases every
    # app page (user pages, no NX), so an app that knows its heap page's physical address
    # (the test kernel's oracle tells it) calls KERNEL_BASE + that, and OS data: #GP(0) at
    # the call each time; the last byte inside CSOS takes a #PF there (the limit's edge).
    # Bochs only: QEMU's TCG checks no CS limit.
    dict(name='guard-aliasexec-bochs', emu='bochs', cmdline='test=oracle',
         modules=['a_aliasexec', 'hello'], timeout=90,
         expect=[r'^ATTACK name=aliasexec_heap page=0x8\w+ pa=\w+ alias=1\w+ heap_call=gp '
                 r'alias_call=gp$',
                 r'^ATTACK name=aliasexec alias_call=gp os_calls=7 gp_at_call=7 .* '
                 r'last_code_byte=pf result=contained$',
                 exited('a_aliasexec', 1, 0), HELLO, ORACLE_END, r'KLOS-TEST oracle PASS'],
         forbid=[r'result=(EXECUTED|ERROR|FAIL)']),
]

# Plain Design B taken away takes effect at once: right after thread_create / shm_map
# return through hardened B, the same thread calls a plain B stub whose page it used a
# moment before, in the same time slice: the call faults on the absent stub page (EIP =
# CR2 = the stub) before the service runs, and the OS ends the process.
TLBSTALE = [
    r'^KLOS-FAULT pid \d+ \(a_tlbstale\): #PF \(vector 14\) err=4 eip=(008\w+) .* cr2=\1: ',
    r'^ATTACK name=tlbstale_T status=142 result=contained$',
    r'^ATTACK name=tlbstale_S status=142 result=contained$', HELLO, END]
TESTS += [dict(name='guard-tlbstale-' + emu, emu=emu, cmdline='', modules=['a_tlbstale', 'hello'],
               timeout=30 if emu == 'qemu' else 90, expect=TLBSTALE,
               forbid=[r'result=(REACHED|ERROR)', r'plain_b=RAN'])
          for emu in ('qemu', 'bochs')]

# The fault frame's stack check (os/fault/deliver.c) at its exact edges, with the pages past
# them made present, user and writable (test=faultedge): the lowest frame is delivered, one
# 4 bytes lower is refused with nothing written below APP_DATA_BASE; the highest frame is
# delivered, one ending at or past 4 GiB is refused with nothing written at the top.
FAULTEDGE = [r'^faultedge: esp=8000003c \(frame starts at APP_DATA_BASE\): delivered: ok$',
             r'^faultedge: esp=8000003b \(frame would start 4 bytes below\): refused: ok$',
             r'^faultedge: esp=ffffffff \(.*\): delivered: ok$',
             r'^faultedge: esp=00000000 \(.*\): refused: ok$',
             r'^faultedge: esp=00000004 \(.*wrap\)\): refused: ok$', r'KLOS-TEST faultedge PASS']
TESTS += [dict(name='guard-faultedge-' + emu, emu=emu, cmdline='test=faultedge',
               modules=['a_faultesp'], timeout=30 if emu == 'qemu' else 90, expect=FAULTEDGE,
               forbid=[r'WRONG', r'WRITTEN'])
          for emu in ('qemu', 'bochs')]

# The EOI of a real IRQ: a timer handler that writes another vector (VEC_UPCALL, no PIC's)
# into its frame on every tick; the ticks go on (50 more), since the delivery keeps each
# level's vector to itself -- with events=task the handler task's own selector names it.
IRQVEC = [r'^irqvec: the timer handler wrote vector 49 into its frame \d+ times; \d+ ticks came$',
          r'KLOS-TEST irqvec PASS']
TESTS += [dict(name='guard-irqvec-' + emu, emu=emu, cmdline='test=irqvec', expect=IRQVEC,
               forbid=[r'STOPPED'])
          for emu in ('qemu', 'bochs')]

# kill ends only one's own children and one's own other threads: a sibling, the parent,
# oneself are EPERM (a pid no process has is ESRCH); the parent may kill its child.
KILL = [r'^kill: sibling 3: kill\(sibling 2\)=-1 kill\(parent 1\)=-1 kill\(self\)=-1 '
        r'kill\(no such pid\)=-3$', r'^kill: the sibling exited with 0$',
        r'^KLOS: pid 2 \(t_kill\) killed by pid 1 \(t_kill\)$',
        r'^kill: parent: kill\(child 2\)=0, wait=2 status=137$', exited('t_kill', 1, 0), END]
TESTS += [dict(name='guard-kill-qemu', emu='qemu', cmdline='', modules=['t_kill'], expect=KILL,
               forbid=[r'killed by pid 3', r'^KLOS: pid [13] \(t_kill\) killed'])]

# An app spinning inside OS text with DS = DSAPP (the idle loop, reached with a plain jmp)
# is preempted: "OS code is never preempted" looks at DS alone.  hello runs to its end
# meanwhile and the spinner waits, preempted, in the loop; a watchdog on the tick fails the
# test plainly (not by a timeout) if hello has not ended after 300 ticks.
OSSPIN = [r'^osspin: pid 1 jumps to \w+ \(OS text\) with DS=DSAPP and stays there$',
          r'^hello from pid 2 via Design B$', exited('hello', 2, 0),
          r'^osspin: hello ran to its end; pid 1, preempted [1-9]\d* times in OS text \([1-9]\d* '
          r'while hello ran\), waits at eip=\w+ \(idle_loop\+\d\) ds=23: preempted$',
          r'^KLOS: pid 1 \(t_osspin\) exited with code 137$', r'KLOS-TEST osspin PASS']
TESTS += [dict(name='guard-osspin-' + emu, emu=emu, cmdline='test=osspin',
               modules=['t_osspin', 'hello'], expect=OSSPIN, forbid=[r'NOT PREEMPTED', r'WRONG'],
               timeout=30 if emu == 'qemu' else 90)
          for emu in ('qemu', 'bochs')]

# A DSOS find after a DSOS move fails at once: the oracle names DSOS (the find), the app
# reads the GDT through it, raises #NPs until DSOS moves, and loads the old selector at once:
# #NP with that selector as the error code (a not-present decoy again), three rounds.
DSOSMOVE = [r'^ATTACK name=dsosmove_round n=0 found=0x\w+ gdt_word=0000ffff np_until_move=[123] '
            r'now=0x\w+ old_again=np err=0x\w+$',
            r'^ATTACK name=dsosmove rounds=3 found=3 moved=3 old_np=3 result=contained$',
            exited('a_dsosmove', 1, 0), ORACLE_END, r'KLOS-TEST oracle PASS']
TESTS += [dict(name='guard-dsosmove-' + emu, emu=emu, cmdline='test=oracle',
               modules=['a_dsosmove'], expect=DSOSMOVE, forbid=[r'old_again=(?!np)'],
               timeout=30 if emu == 'qemu' else 90)
          for emu in ('qemu', 'bochs')]

# A frame freed twice stops the OS with a clear panic at the second free (os/mm/frame.c).
DOUBLEFREE = r'^KLOS PANIC: frame ([0-9a-f]{8}) freed twice$'


def same_frame(lines):
    """The panic names the frame the test freed twice."""
    freed = [m.group(1) for m in (re.match(r'^doublefree: frame (\w+) allocated', l)
                                  for l in lines) if m]
    named = [m.group(1) for m in (re.match(DOUBLEFREE, l) for l in lines) if m]
    ok = len(freed) == 1 and named == freed
    return ok, '' if ok else 'freed %s, the panic named %s' % (freed, named)


TESTS += [dict(name='guard-doublefree-qemu', emu='qemu', cmdline='test=doublefree',
               expect=[r'^doublefree: frame [0-9a-f]{8} allocated and freed \(\d+ frames free, then '
                       r'\d+\); freeing it again$', DOUBLEFREE], panic=DOUBLEFREE, exit_code=2,
               forbid=[r'UNNOTICED', r'KLOS-TEST doublefree'], check=same_frame)]
