"""Boot tests of IPC.  t_ipcfast checks short messages page to page (lengths
0..20, across a page boundary), the FIFO of blocked senders, EFAULT for a
read-only receive buffer, ESRCH for a sender whose receiver thread ends, and a
receive timeout.  t_call checks call and replywait: the reply reaches the
caller, errors for bad pids and pointers, and a caller whose server ends gets
ESRCH, not a hang."""
from .helpers import END

TESTS = [
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
