/* PCI tables as KLOS printed them at boot ("KLOS: pci ..." lines, os/drivers/pci.c),
 * captured from real boots, for test_ports.c.  Each table ends with a 0.
 *
 * qemu_pc:  QEMU 7.2 -M pc -drive if=ide -drive if=virtio -device e1000 -device rtl8139
 *           -device piix3-usb-uhci (and the default NIC, another e1000)
 * qemu_q35: QEMU 7.2 -M q35 -device ide-hd (AHCI) -drive if=virtio -device e1000
 *           -device pci-bridge -device rtl8139 behind it (and the default NIC, e1000e)
 * bochs:    Bochs 2.7, i440FX with PIIX3 (ISA bridge, IDE, USB), ata0 disk, ata1 CD */
static const char *const qemu_pc[] = {
    "KLOS: pci 00:00.0 8086:1237 class 06:00:00 irq 0/- master=off driver=none",
    "KLOS: pci 00:01.0 8086:7000 class 06:01:00 irq 0/- master=off driver=none",
    "KLOS: pci 00:01.1 8086:7010 class 01:01:80 irq 0/- master=off driver=none bar4=io:c220+10",
    "KLOS: pci 00:01.3 8086:7113 class 06:80:00 irq 9/A master=off driver=none",
    "KLOS: pci 00:02.0 1234:1111 class 03:00:00 irq 0/- master=off driver=none bar0=mem:fd000000+1000000 bar2=mem:febd0000+1000",
    "KLOS: pci 00:03.0 8086:100e class 02:00:00 irq 11/A master=off driver=none bar0=mem:feb80000+20000 bar1=io:c180+40",
    "KLOS: pci 00:04.0 8086:100e class 02:00:00 irq 11/A master=off driver=none bar0=mem:feba0000+20000 bar1=io:c1c0+40",
    "KLOS: pci 00:05.0 10ec:8139 class 02:00:00 irq 10/A master=off driver=none bar0=io:c000+100 bar1=mem:febd1000+100",
    "KLOS: pci 00:06.0 8086:7020 class 0c:03:00 irq 10/D master=off driver=none bar4=io:c200+20",
    "KLOS: pci 00:07.0 1af4:1001 class 01:00:00 irq 11/A master=off driver=none bar0=io:c100+80 bar1=mem:febd2000+1000 bar4=mem:fe000000+4000",
    0,
};

static const char *const qemu_q35[] = {
    "KLOS: pci 00:00.0 8086:29c0 class 06:00:00 irq 0/- master=off driver=none",
    "KLOS: pci 00:01.0 1234:1111 class 03:00:00 irq 0/- master=off driver=none bar0=mem:fd000000+1000000 bar2=mem:feaf4000+1000",
    "KLOS: pci 00:02.0 8086:10d3 class 02:00:00 irq 11/A master=off driver=none bar0=mem:fea80000+20000 bar1=mem:feaa0000+20000 bar2=io:d100+20 bar3=mem:feaf0000+4000",
    "KLOS: pci 00:03.0 8086:100e class 02:00:00 irq 11/A master=off driver=none bar0=mem:feac0000+20000 bar1=io:d080+40",
    "KLOS: pci 00:04.0 1b36:0001 class 06:04:00 irq 10/A master=off driver=none bar0=mem:feaf5000+100",
    "KLOS: pci 01:03.0 10ec:8139 class 02:00:00 irq 11/A master=off driver=none bar0=io:c000+100 bar1=mem:fe840000+100",
    "KLOS: pci 00:05.0 1af4:1001 class 01:00:00 irq 10/A master=off driver=none bar0=io:d000+80 bar1=mem:feaf6000+1000 bar4=mem:fe200000+4000",
    "KLOS: pci 00:1f.0 8086:2918 class 06:01:00 irq 0/- master=off driver=none",
    "KLOS: pci 00:1f.2 8086:2922 class 01:06:01 irq 10/A master=off driver=none bar4=io:d120+20 bar5=mem:feaf7000+1000",
    "KLOS: pci 00:1f.3 8086:2930 class 0c:05:00 irq 10/A master=off driver=none bar4=io:700+40",
    0,
};

static const char *const bochs[] = {
    "KLOS: pci 00:00.0 8086:1237 class 06:00:00 irq 0/- master=STUCK driver=none",
    "KLOS: pci 00:01.0 8086:7000 class 06:01:00 irq 0/- master=STUCK driver=none",
    "KLOS: pci 00:01.1 8086:7010 class 01:01:80 irq 0/- master=off driver=none bar4=io:c000+10",
    "KLOS: pci 00:01.2 8086:7020 class 0c:03:00 irq 9/D master=off driver=none bar4=io:c020+20",
    "KLOS: pci 00:01.3 8086:7113 class 06:80:00 irq 9/A master=off driver=none",
    0,
};
