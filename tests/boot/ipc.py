# Boot tests of IPC's fast paths (issue 12), for tests/run.py; format as in
# tests/boot_tests.py.  t_ipcfast checks short messages page to page (lengths
# 0..20, across a page boundary), the FIFO of blocked senders, EFAULT for a
# read-only receive buffer, ESRCH for a sender whose receiver thread ends, and
# a receive timeout.
END = r'^KLOS: all apps have ended, \d+ frames free$'

TESTS = [
    dict(name='apps-ipcfast', emu='qemu', cmdline='', modules=['t_ipcfast'],
         expect=[r'^ipcfast: %s ok$' % c
                 for c in ('short-messages', 'senders-fifo', 'recv-readonly-efault',
                           'send-to-ended-thread', 'recv-timeout')]
                + [r'^ipcfast: all ok$', r'^KLOS: pid 1 \(t_ipcfast\) exited with code 0$', END],
         forbid=[r'WRONG', r'KLOS-FAULT', r'not started'],
         timeout=30),
]
