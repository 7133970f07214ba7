/* PCI functions as the OS found them at boot (pci.c): configuration
 * mechanism #1, the live table, bus mastering kept off where the OS drives
 * nothing. */
#ifndef PCI_H
#define PCI_H
#include <stdint.h>
#include "io/pcifn.h"



/* The live table (pci.c, the OS only). */
extern struct pci_fn pci_fns[PCI_MAX];
extern int pci_nfns;
void pci_init(void);
struct pci_fn *pci_find_class(uint8_t cls, uint8_t sub, int from);
void pci_claim(struct pci_fn *f, int dma);          /* an OS driver drives f */
uint32_t pci_read(const struct pci_fn *f, int off);
void pci_write(const struct pci_fn *f, int off, uint32_t v);
int pci_list(char *buf, int cap);                   /* the table as text (the pci service) */
#endif
