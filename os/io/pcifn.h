/* A PCI function as the port policy (os/io/ports.c, host unit-tested) sees
 * it: the I/O ranges it decodes and whether it can master the bus.  The live
 * table is drivers/pci.c's. */
#ifndef PCIFN_H
#define PCIFN_H
#include <stdint.h>

#define PCI_MAX 64                      /* functions in a table */
#define PCI_NBAR 6
#define PCI_NLEGACY 4
#define PCI_NRANGES (PCI_NBAR + 4 + PCI_NLEGACY)   /* pci_io_ranges at most */

struct pci_bar {
    uint32_t base, size;        /* size 0: no BAR here (or the upper half of a 64-bit one) */
    uint8_t io, mem64, prefetch;
};

/* A fixed I/O range a function decodes without a BAR (IDE in compatibility mode). */
struct pci_range {
    uint16_t first, count;
};

struct pci_fn {
    uint8_t bus, dev, fn, hdr;          /* hdr: header type, bit 7 cleared */
    uint16_t vendor, device;
    uint8_t cls, sub, progif;
    uint8_t irq_line, irq_pin;          /* pin 0 = none, 1..4 = INTA..INTD */
    uint8_t sec_bus, sub_bus;           /* PCI-PCI bridges: the buses behind it */
    uint8_t bm_cap;     /* the bus-master-enable bit can read 1: the function can master */
    uint8_t bm_stuck;   /* it still reads 1 after writing 0: it cannot be switched off */
    uint8_t bm_on;      /* the bit as the OS last left it */
    uint8_t os_driver;  /* an OS driver drives it (the ATA driver): driver=OS */
    struct pci_bar bar[PCI_NBAR];
    struct pci_range legacy[PCI_NLEGACY];
    uint8_t nlegacy;
};

/* The I/O range [first, first+count) of f the policy must treat as the device's:
 * its I/O BARs and its legacy ranges.  Returns how many (at most PCI_NBAR +
 * PCI_NLEGACY) into out. */
int pci_io_ranges(const struct pci_fn *f, struct pci_range *out);

/* "00:01.1 8086:7010 class 01:01:80": f as the policy names it (cap >= 40). */
int pci_name(const struct pci_fn *f, char *buf, int cap);
#endif
