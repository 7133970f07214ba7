# The block-device drivers (os/drivers/ata.c, ramdisk.c) under test=blk (tests/os/blk_tests.c):
# the host writes a pattern into a scratch image (tests/run.py disks=, tests/blkpattern.h),
# the OS reads and writes it through each driver.

MB = 1 << 20
BLK_OK = [r'^blk: \d+ devices; \d+ sectors read, \d+ written, 0 wrong', r'KLOS-TEST blk PASS']
BLK_FORBID = [r'WRONG', r'KLOS-FAULT', r'not a test disk']
ATAPI_SKIP = r'^KLOS: ata2: ATAPI device \(QEMU DVD-ROM\): not a disk, left alone$'
NO_SLAVES = [r'^KLOS: ata1: no device$', r'^KLOS: ata3: no device$']
EIO_RULES = [dict(event='read_aio', errno=5, sector=3000, once='on'),
             dict(event='write_aio', errno=5, sector=3001, once='on')]


def hd(size=64 * MB, attach='ide0', **kw):
    return dict(name='hd.img', attach=attach, size=size, **kw)


def blk(name, emu, cmdline, disks, expect, timeout=None, forbid=()):
    t = dict(name=name, emu=emu, cmdline=cmdline, disks=disks,
             expect=expect + BLK_OK, forbid=BLK_FORBID + list(forbid))
    if timeout:
        t['timeout'] = timeout
    return t


TESTS = [
    # DMA (the default): reads and writes against the pattern, the channel lock under three
    # threads, an injected read and write error (blkdebug), a device that never answers.
    blk('blk-qemu-dma', 'qemu', 'test=blk atatest=eio,threads,deaf',
        [hd(blkdebug=EIO_RULES, iops=400)],
        [r'^KLOS: ata0: QEMU HARDDISK, 131072 sectors \(64 MiB\), LBA48, DMA$', ATAPI_SKIP]
        + NO_SLAVES + [
            r'^KLOS: pci 00:01\.1 8086:7010 class 01:01:80 .*bar4=io:',
            r'^KLOS: ata0: read of 1 sectors at 3000 failed: status \w+ error \w+ \(DMA\): -EIO$',
            r'^KLOS: ata0: write of 1 sectors at 3001 failed: .*\(DMA\): -EIO$',
            r'^blk: ata0: injected read error: -5, again: 0; write error: -5, again: 0; '
            r'the disk works on: ok$',
            r'^KLOS: ata0: read of 1 sectors at 5: no answer in 5 s: -EIO$',
            r'^blk: ata0: no IRQ: -5 after \d+ ticks, then 0: ok$',
            r'^blk: ata0: 3 threads, 60 reads: 3 done, 0 wrong; [1-9]\d* waits for the channel, '
            r'[1-9]\d* sleeps on the disk: ok$',
            r'^blk: ata0: past the end -22 -22, write past -22, lba ~0 -22, count ~0 -22; last 0, '
            r'none 0: refused$',
            r'^blk: ata0: ok$'], timeout=40),
    # PIO (ata=pio): the same, one sector per IRQ; the IDE function never masters the bus.
    blk('blk-qemu-pio', 'qemu', 'test=blk ata=pio atatest=eio,threads',
        [hd(blkdebug=EIO_RULES, iops=2000)],
        [r'^KLOS: ata0: QEMU HARDDISK, 131072 sectors \(64 MiB\), LBA48, PIO$', ATAPI_SKIP,
         r'^KLOS: pci 00:01\.1 8086:7010 .* master=off ',
         r'^KLOS: ata0: read of 1 sectors at 3000 failed: status \w+ error \w+: -EIO$',
         r'^blk: ata0: injected read error: -5, again: 0; write error: -5, again: 0; '
         r'the disk works on: ok$',
         r'^blk: ata0: 3 threads, 60 reads: 3 done, 0 wrong; [1-9]\d* waits for the channel, '
         r'[1-9]\d* sleeps on the disk: ok$',
         r'^blk: ata0: ok$']),
    # LBA48 for real: a sparse 130 GiB image, the pattern also around sector 2^28.
    blk('blk-qemu-lba48', 'qemu', 'test=blk',
        [hd(size=130 << 30, fill=[(0, 2048), ((1 << 28) - 64, 128)])],
        [r'^KLOS: ata0: QEMU HARDDISK, \d+ sectors \(133120 MiB\), LBA48, DMA$',
         r'^blk: ata0: around sector 2\^28: read ok, write ok, up to 2\^28-1 ok$',
         r'^blk: ata0: ok$']),
    # Every command as LBA48 (atatest=lba48), by PIO, on a small disk.
    blk('blk-qemu-forced48', 'qemu', 'test=blk ata=pio atatest=lba48', [hd()],
        [r'^KLOS: ata0: .* LBA48, PIO$', r'^blk: ata0: ok$']),
    # Read-only (ata=ro): reads work, writes are refused before the disk sees them.
    blk('blk-qemu-ro', 'qemu', 'test=blk ata=ro', [hd()],
        [r'^KLOS: ata0: .*, DMA, read-only$',
         r'^blk: ata0: write to a read-only device: -30: refused$', r'^blk: ata0: ok$']),
    # The RAM disk: a GRUB module named by disk=.
    blk('blk-qemu-ram', 'qemu', 'test=blk disk=ram.img',
        [dict(name='ram.img', attach='module', size=4 * MB)],
        [r'^KLOS: ram0: module ram\.img, 8192 sectors \(4096 KiB\)$', r'^blk: ram0: ok$'],
        forbid=[r'ram\.img.*(refused|not an ELF|started)']),
    blk('blk-qemu-ram-ro', 'qemu', 'test=blk disk=ram.img,ro',
        [dict(name='ram.img', attach='module', size=4 * MB)],
        [r'^KLOS: ram0: module ram\.img, 8192 sectors \(4096 KiB\), read-only$',
         r'^blk: ram0: write to a read-only device: -30: refused$', r'^blk: ram0: ok$']),
    # Bochs: its own PIIX3 IDE model, the CD on ata1-master.
    blk('blk-bochs-dma', 'bochs', 'test=blk atatest=threads', [hd()],
        [r'^KLOS: ata0: .*, DMA$', r'^KLOS: ata1: no device$',
         r'^KLOS: ata2: ATAPI device \(.*\): not a disk, left alone$',
         r'^blk: ata0: 3 threads, 60 reads: 3 done, 0 wrong; ', r'^blk: ata0: ok$'],
        timeout=120),
    blk('blk-bochs-pio', 'bochs', 'test=blk ata=pio atatest=lba48,poll', [hd()],
        [r'^KLOS: ata0: .*, LBA48, PIO$', r'^blk: ata0: ok$',
         r' slept 0 times on an IRQ, polled [1-9]\d* times$'], timeout=120),
    # Where a thread cannot block (start-up, an event handler) the driver polls: DMA, polled.
    blk('blk-qemu-polled', 'qemu', 'test=blk atatest=poll,eio', [hd(blkdebug=EIO_RULES)],
        [r'^KLOS: ata0: .*, DMA$', r'^blk: ata0: ok$',
         r'^KLOS: ata0: read of 1 sectors at 3000 failed: .*\(DMA\): -EIO$',
         r' slept 0 times on an IRQ, polled [1-9]\d* times$']),
    # No disk at all (the product kernel): both channels probed, nothing registered, apps run.
    dict(name='blk-nodisk-qemu', emu='qemu', cmdline='', modules=['hello'],
         expect=[r'^KLOS: ata0: no device$', r'^KLOS: ata1: no device$', ATAPI_SKIP,
                 r'^hello from pid \d+ via Design B$']),
]
