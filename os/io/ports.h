/* The port policy (sys_ioperm, os/io/ports.c): a driver app may be
 * granted only ports that no OS driver owns, that do not control the whole
 * machine, and that no PCI function able to master the bus decodes. */
#ifndef PORTS_H
#define PORTS_H
#include <stdint.h>

struct pci_fn;
int port_range_valid(int64_t first, int64_t count);   /* 0 <= first, 1 <= count, end <= 65536 */
const char *port_owner(int64_t first, int64_t count); /* the OS's own ports: who holds one, or 0 */

/* Why [first, first+count) may not be given, or 0 if it may.  fns/n: the
 * PCI table.  dma_rule 0 (only the test kernel's dma=nobar control) drops
 * the DMA rules: the BAR rule and the ISA DMA and IDE entries.  A device's
 * reason is written into buf (cap >= 160) and returned. */
const char *port_refusal(int64_t first, int64_t count, const struct pci_fn *fns, int n,
                         int dma_rule, char *buf, int cap);
#endif
