# Every service stub swaps DS only, so inside a service ES is what the app
# called with.  Only lib/string.c's memcpy and memset use string instructions, and they
# load ES from DS themselves (tools/check/strscan.py checks the image at build time).  These
# tests show why it matters (test=esfault, tests/os/modes.c): one string instruction
# with ES = DSAPP at an OS address takes #GP on a PC and under Bochs, while QEMU's TCG,
# which checks no segment limits, lets it write -- and memset/memcpy in that state work
# and give the app's ES back.

TESTS = [
    dict(name='esfault-bochs', emu='bochs', cmdline='test=esfault',
         expect=[r'^KLOS-FAULT esfault: #GP \(vector 13\) .*: string instruction through '
                 r'ES = DSAPP outside the app data region',
                 r'^esfault: stosd through ES = DSAPP at [0-9a-f]{8} \(OS data\): #GP, the word '
                 r'reads 00000000$',
                 r'^esfault: memset and memcpy with ES = DSAPP: 0 bytes wrong, ES 23 after them$',
                 r'KLOS-TEST esfault PASS']),
    # TCG does not check DSAPP's limit: the same instruction writes OS data (which is why
    # the Bochs runs and the build check, not QEMU, stand for a PC here).
    dict(name='esfault-qemu', emu='qemu', cmdline='test=esfault',
         expect=[r'^esfault: stosd through ES = DSAPP at [0-9a-f]{8} \(OS data\): no fault '
                 r'\(no limit check\), the word reads 5a5a5a5a$',
                 r'^esfault: memset and memcpy with ES = DSAPP: 0 bytes wrong, ES 23 after them$',
                 r'KLOS-TEST esfault PASS']),
    # Negative control: with DSAPP flat (dsapp=4g) Bochs lets the instruction write too,
    # so esfault-bochs's #GP is DSAPP's expand-down limit at work.
    dict(name='esfault-bochs-dsapp4g', emu='bochs', cmdline='test=esfault dsapp=4g',
         expect=[r'^esfault: DSAPP\'s limit raised to 4 GiB \(negative control\)$',
                 r'^esfault: stosd through ES = DSAPP at [0-9a-f]{8} \(OS data\): no fault ',
                 r'KLOS-TEST esfault PASS'],
         forbid=[r'KLOS-FAULT esfault']),
]
