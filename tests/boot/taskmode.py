# Boot tests of events=task alone.  (Every other boot test also runs with
# events=task, as NAME-task: tests/boot/helpers.py.)

NEST = [
    # the same vector again: its task is busy, the CPU raises #GP (err = that TSS)
    r'^KLOS-FAULT in an OS event handler: #GP \(vector 13\) err=1d8 .*: the vector\'s handler '
    r'task is busy',
    r'^KLOS: OS bug: an event handler faulted at depth 2; .* pid 1 \(t_oshfault\)',
    r'^KLOS: pid 1 \(t_oshfault\) exited with code 141$',
    r'^KLOS: pid 2 \(hello\) exited with code 0$',
    r'^tasknest: the upcall in the upcall handler: depth now 0$',
    # a #PF in the #PF handler: the #GP comes while delivering a #PF, a double fault
    r'^KLOS-FAULT in an OS event handler: #DF \(vector 8\) err=0 ',
    r'^KLOS: OS bug: an event handler faulted at depth 3; .* pid 3 \(t_oshfault\)',
    r'^KLOS: pid 3 \(t_oshfault\) exited with code 136$',
    r'^KLOS: pid 4 \(hello\) exited with code 0$',
    r'^tasknest: #PF in the #PF handler: depth now 0$',
    r'^tasknest: frames (\d+) before, \1 after$',
    r'KLOS-TEST tasknest PASS',
]

TESTS = [
    dict(name='tasknest-qemu', emu='qemu', cmdline='test=tasknest events=task',
         modules=['t_oshfault', 'hello'], expect=NEST, forbid=[r'NOT STOPPED']),
    dict(name='tasknest-bochs', emu='bochs', cmdline='test=tasknest events=task',
         modules=['t_oshfault', 'hello'], expect=NEST, forbid=[r'NOT STOPPED']),
]
