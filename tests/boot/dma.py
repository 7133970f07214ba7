# DMA walks around every segment.  Hostile driver apps that make a bus master read
# the GDT's frame (a legacy virtio-blk disk, the PIIX IDE bus-master registers, the 8237 with
# the floppy controller), the port policy's safe grants, and every port checked against the
# live PCI table.
#
# Each attack runs beside the bystander a_byst (tests/attacks/bystander.h).  The default run
# must be contained; the controls (test kernel: dma=nobar drops the port rule, dma=bios sets
# every function's bus-master bit as a BIOS may, dma=nokill skips the OS's kill switch) show
# the test bites: the same app then reads the GDT by DMA, finds DSOS and loads it.

from .helpers import END
BYST_OK = r'^bystander: \d+ rounds while 1 attacker\(s\) ran; registers intact, memory intact: ok$'
OS_FAULT = [r'KLOS-FAULT in the OS', r'KLOS-FAULT in an OS event handler', r'OS bug',
            r'unhandled fault', r'result=(FAIL|ERROR)', r'WRONG']
NO_BREACH = [r'result=BREACH']
MB = 1 << 20
# the breach, as the review saw it: DSOS in the DMA copy, loaded, reading the live GDT
DSOS_USED = (r': GDT at phys [0-9a-f]+ read by DMA \(CSOS slot as boot built it\); LDT at phys '
             r'[0-9a-f]+ read too; DSOS found: 1 candidate\(s\), selector [0-9a-f]+, loaded: it '
             r'reads the live GDT, as the copy says$')


def dma(name, mod, cmdline, disks, expect, control=False, qemu_args=(), timeout=None):
    t = dict(name=name, emu='qemu', modules=[mod, 'a_byst', 'hello'], disks=disks,
             cmdline=('apps=par skip=hello drivers=%s %s' % (mod, cmdline)).strip(),
             expect=expect + [BYST_OK, END], forbid=OS_FAULT + ([] if control else NO_BREACH))
    if 'dma=' in cmdline:
        t['kernel'] = 'test'                # dma= is the test kernel's alone
    if qemu_args:
        t['qemu_args'] = list(qemu_args)
    if timeout:
        t['timeout'] = timeout
    return t


VIRTIO = [dict(name='vd.img', attach='virtio', size=4 * MB)]
IDE = [dict(name='hd.img', attach='ide0', size=4 * MB)]
FDA = [dict(name='fd.img', attach='fda', size=1474560, fill=[])]
VIRTIO_REFUSED = (r'^KLOS: pid 1 \(a_dmavirtio\) refused ports (\w+)-\w+: they include ports \1-\w+ '
                  r'of PCI 00:0\d\.0 1af4:1001 class 01:00:00, a function that can master the bus '
                  r'\(its DMA reaches all memory: no IOMMU\)$')

TESTS = [
    # 1. The review's attack: legacy virtio-blk.  Refused, naming the device; the port #GPs.
    dma('dma-virtio-qemu', 'a_dmavirtio', '', VIRTIO,
        [VIRTIO_REFUSED, r'^ATTACK name=dmavirtio ports=refused port_\w+=#GP result=contained$']),
    # Control: the port rule removed (dma=nobar), bus mastering switched off by the OS (dma=bios
    # set it first, as a BIOS may; the kill switch cleared it).  QEMU's virtio ignores the enable
    # bit altogether (without iommu_platform its DMA goes straight to guest memory): the app
    # reads the GDT and LDT, finds DSOS and loads it, the listing still saying master=off.  The
    # kill switch is no defence here; the port rule is the one that holds.
    dma('dma-virtio-nobar-qemu', 'a_dmavirtio', 'dma=bios,nobar', VIRTIO,
        [r'^KLOS: pci 00:0\d\.0 1af4:1001 class 01:00:00 .* master=off ',
         r'^KLOS: pid 1 \(a_dmavirtio\) granted ports ',
         r'^dmavirtio' + DSOS_USED,
         r'^dmavirtio: after the first try: 00:0\d\.0 1af4:1001 .* master=off ',
         r'^ATTACK name=dmavirtio ports=granted no_status3=gdt,dsos status3=skipped result=BREACH$'],
        control=True),
    # Control: both layers removed (dma=bios,nobar,nokill): the first try already reads the GDT.
    dma('dma-virtio-open-qemu', 'a_dmavirtio', 'dma=bios,nobar,nokill', VIRTIO,
        [r'^dmavirtio' + DSOS_USED,
         r'^ATTACK name=dmavirtio ports=granted no_status3=gdt,dsos status3=skipped result=BREACH$'],
        control=True),

    # 2. The PIIX IDE bus-master registers, bus mastering on (the OS's own DMA driver turns it
    # on for its function): the channel and BAR4 are refused, naming the device.
    dma('dma-ide-qemu', 'a_dmaide', '', IDE,
        [r'^KLOS: ata0: QEMU HARDDISK, .*, DMA$',
         r'^KLOS: pid 1 \(a_dmaide\) refused ports 1f0-1f7: they include the primary IDE channel '
         r'\(the OS\'s ATA driver\)$',
         r'^KLOS: pid 1 \(a_dmaide\) refused ports (\w+)-\w+: they include ports \1-\w+ of PCI '
         r'00:01\.1 8086:7010 class 01:01:80, a function that can master the bus',
         r'^ATTACK name=dmaide ports=refused port_1f7=#GP port_\w+=#GP result=contained$']),
    # Control: the rule removed, the OS not using DMA (ata=pio), the enable bit set as a BIOS
    # would (dma=bios) and cleared by the kill switch: the controller moves nothing.
    dma('dma-ide-nobar-qemu', 'a_dmaide', 'dma=bios,nobar ata=pio', IDE,
        [r'^KLOS: pci 00:01\.1 8086:7010 .* master=off ',
         r'^dmaide: the sectors read back hold no GDT: the DMA moved nothing \(sector 1024 reads ',
         r'^ATTACK name=dmaide ports=granted dma=nothing result=contained$']),
    # Control: the rule removed with the OS's DMA driver on (it enables its function's bus
    # mastering): the app reads the GDT and the LDT through the disk, finds DSOS, loads it.
    dma('dma-ide-open-qemu', 'a_dmaide', 'dma=nobar', IDE,
        [r'^KLOS: ata0: QEMU HARDDISK, .*, DMA$', r'^dmaide' + DSOS_USED,
         r'^ATTACK name=dmaide ports=granted dma=gdt,dsos result=BREACH$'], control=True),

    # 3. The 8237 with the floppy controller: the 8237 is refused; the FDC alone is granted and
    # its DMA-mode write waits forever on the channel the OS masked.
    dma('dma-fdc-qemu', 'a_dma8237', '', FDA,
        [r'^KLOS: pid 1 \(a_dma8237\) refused ports 4-5: they include the ISA DMA controller '
         r'\(8237, channels 0-3: DMA into the first 16 MiB\)$',
         r'^KLOS: pid 1 \(a_dma8237\) refused ports 81-81: they include the ISA DMA page '
         r'registers',
         r'^KLOS: pid 1 \(a_dma8237\) granted ports 3f2-3f5$',
         r'^ATTACK name=dma8237 ports=refused port_0a=#GP port_81=#GP fdc=granted '
         r'fdc_dma_write=never-done sector_after=unchanged result=contained$'], timeout=40),
    # Control: the 8237 granted (dma=nobar): the FDC writes the GDT's frame to the floppy by
    # DMA and the app reads it back in non-DMA mode.
    dma('dma-fdc-open-qemu', 'a_dma8237', 'dma=nobar', FDA,
        [r'^dma8237' + DSOS_USED,
         r'^ATTACK name=dma8237 ports=granted dma=gdt,dsos result=BREACH$'], control=True,
        timeout=60),

    # 4. Safe ports are still granted: LPT1, COM2, the floppy controller; every I/O BAR of a
    # bus master, the 8237 and the IDE channels refused.  On -M pc with virtio, e1000 and
    # rtl8139, and on q35 (AHCI's index/data window, a NIC behind a PCI-PCI bridge).
    dma('dma-ports-qemu', 'a_dmaports', '', VIRTIO,
        [r'^dmaports: pci\(0\) -14, pci\(OS memory\) -14, pci\(len 0\) -14, pci\(wrapping\) -14, '
         r'pci\(len 1\) 0: ok$',
         r'^dmaports: 00:0\d\.0 bar1 \w+-\w+ \(a bus master\): -16, last port -16$',
         r'^dmaports: 378-37a: 0, IN open$', r'^dmaports: 2f8-2ff: 0, IN open$',
         r'^ATTACK name=dmaports master_bars=[4-9] refused=[4-9] dma_and_ide_refused=11/11 '
         r'safe_granted=3/3 result=contained$'],
        qemu_args=['-device', 'e1000', '-device', 'rtl8139']),
    dma('dma-ports-q35-qemu', 'a_dmaports', '', [],
        [r'^dmaports: 00:1f\.2 bar4 \w+-\w+ \(a bus master\): -16, last port -16$',
         r'^dmaports: 01:03\.0 bar0 \w+-\w+ \(a bus master\): -16, last port -16$',
         r'^ATTACK name=dmaports master_bars=\d+ refused=\d+ dma_and_ide_refused=11/11 '
         r'safe_granted=3/3 result=contained$'],
        qemu_args=['-M', 'q35', '-device', 'pci-bridge,chassis_nr=1,id=br1',
                   '-device', 'rtl8139,bus=br1,addr=3']),

    # 5. Every one of the 65,536 ports, one at a time, through the policy ioperm applies, over
    # the live PCI table, checked against the configuration space read afresh.
    dict(name='dma-portscan-qemu', emu='qemu', cmdline='test=portscan', disks=VIRTIO + IDE,
         qemu_args=['-device', 'e1000', '-device', 'rtl8139', '-device', 'piix3-usb-uhci'],
         expect=[r'^portscan: 65536 ports, [1-9]\d* granted; 0 granted that decode to a bus master '
                 r'\([1-9]\d* such ports\) or the 8237; 0 refused that nothing owns$',
                 r'KLOS-TEST portscan PASS']),
    dict(name='dma-portscan-q35-qemu', emu='qemu', cmdline='test=portscan',
         qemu_args=['-M', 'q35', '-device', 'e1000', '-device', 'pci-bridge,chassis_nr=1,id=br1',
                    '-device', 'rtl8139,bus=br1,addr=3'],
         expect=[r'^portscan: 65536 ports, [1-9]\d* granted; 0 granted that decode', 
                 r'KLOS-TEST portscan PASS']),
    dict(name='dma-portscan-bochs', emu='bochs', cmdline='test=portscan',
         expect=[r'^portscan: 65536 ports, [1-9]\d* granted; 0 granted that decode',
                 r'KLOS-TEST portscan PASS'], timeout=120),
    # Control: without the rule (dma=nobar) the scan finds the granted bus-master ports.
    dict(name='dma-portscan-nobar-qemu', emu='qemu', cmdline='test=portscan dma=nobar',
         disks=VIRTIO, allow_fail=True,
         expect=[r'^portscan: 65536 ports, \d+ granted; [1-9]\d* granted that decode to a bus '
                 r'master', r'KLOS-TEST portscan FAIL']),
]
