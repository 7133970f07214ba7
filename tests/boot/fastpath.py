# Boot tests of the fast paths (issue 12), for tests/run.py; format as in
# tests/boot_tests.py.  frameedit: an OS handler that edits the live frame
# (RPL 0, IOPL 3, NT, VM, IF=0, a forged vector) still returns at CPL 3 with
# IOPL/NT/VM clear and IF set -- under QEMU and Bochs.  t_ipcfast checks short messages page to page (lengths
# 0..20, across a page boundary), the FIFO of blocked senders, EFAULT for a
# read-only receive buffer, ESRCH for a sender whose receiver thread ends, and
# a receive timeout.  t_call checks call and replywait: the reply reaches the
# caller, errors for bad pids and pointers, and a caller whose server ends gets
# ESRCH, not a hang.
END = r'^KLOS: all apps have ended, \d+ frames free$'

FRAMEEDIT = [r'^frameedit: handler saw vector 49; back at CPL 3, IOPL 0, NT 0, VM 0, IF 1, '
            r'eax 5a5a5a5a$', r'KLOS-TEST frameedit PASS']

TESTS = [
    dict(name='frameedit-qemu', emu='qemu', cmdline='test=frameedit', expect=FRAMEEDIT),
    dict(name='frameedit-bochs', emu='bochs', cmdline='test=frameedit', expect=FRAMEEDIT),
    dict(name='apps-ipcfast', emu='qemu', cmdline='', modules=['t_ipcfast'],
         expect=[r'^ipcfast: %s ok$' % c
                 for c in ('short-messages', 'senders-fifo', 'recv-readonly-efault',
                           'send-to-ended-thread', 'recv-timeout')]
                + [r'^ipcfast: all ok$', r'^KLOS: pid 1 \(t_ipcfast\) exited with code 0$', END],
         forbid=[r'WRONG', r'KLOS-FAULT', r'not started'],
         timeout=30),
    dict(name='apps-call', emu='qemu', cmdline='', modules=['t_call'],
         expect=[r'^call: %s ok$' % c
                 for c in ('reply-reaches-caller', 'reply-truncated', 'es-kept-across-switch',
                           'call-bad-pid-esrch',
                           'call-self-einval', 'call-os-pointer-efault',
                           'call-wrapping-pointer-efault', 'call-negative-length-efault',
                           'call-huge-room-efault', 'replywait-os-pointer-efault',
                           'replywait-to-no-caller-esrch', 'replywait-bad-pid-esrch',
                           'call-readonly-room-efault', 'server-goes-on', 'rw-server-exit',
                           'send-is-reply', 'rs-server-exit', 'server-ends-after-taking-esrch',
                           'die-server-exit', 'server-ends-while-queued-esrch',
                           'late-server-exit')]
                + [r'^call: server saw -14$', r'^call: all ok$',
                   r'^KLOS: pid 1 \(t_call\) exited with code 0$', END],
         forbid=[r'WRONG', r'KLOS-FAULT', r'not started'],
         timeout=30),
]
