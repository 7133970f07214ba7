# Boot tests of the fast paths (issue 12), for tests/run.py; format as in
# tests/boot_tests.py.  sanitise: an OS handler that edits the live frame
# (RPL 0, IOPL 3, NT, VM, IF=0, a forged vector) still returns at CPL 3 with
# IOPL/NT/VM clear and IF set -- under QEMU and Bochs.  t_ipcfast checks short messages page to page (lengths
# 0..20, across a page boundary), the FIFO of blocked senders, EFAULT for a
# read-only receive buffer, ESRCH for a sender whose receiver thread ends, and
# a receive timeout.
END = r'^KLOS: all apps have ended, \d+ frames free$'

SANITISE = [r'^sanitise: handler saw vector 49; back at CPL 3, IOPL 0, NT 0, VM 0, IF 1, '
            r'eax 5a5a5a5a$', r'KLOS-TEST sanitise PASS']

TESTS = [
    dict(name='sanitise-qemu', emu='qemu', cmdline='test=sanitise', expect=SANITISE),
    dict(name='sanitise-bochs', emu='bochs', cmdline='test=sanitise', expect=SANITISE),
    dict(name='apps-ipcfast', emu='qemu', cmdline='', modules=['t_ipcfast'],
         expect=[r'^ipcfast: %s ok$' % c
                 for c in ('short-messages', 'senders-fifo', 'recv-readonly-efault',
                           'send-to-ended-thread', 'recv-timeout')]
                + [r'^ipcfast: all ok$', r'^KLOS: pid 1 \(t_ipcfast\) exited with code 0$', END],
         forbid=[r'WRONG', r'KLOS-FAULT', r'not started'],
         timeout=30),
]
