/* Console and port services. */
#include "os.h"
#include "io/io.h"
#include "svc_os.h"
#include "sched/proc.h"
#include "sched/sched.h"
#include "proc/uptr.h"
#include "io/ports.h"
#include "drivers/pci.h"
#include "svc/files.h"

int input_get(char *buf, int n);

int sys_write(int fd, const void *buf, int len)
{
    char chunk[128];
    if (fd >= 3)
        return file_write(fd, buf, len);
    if (fd != 1 && fd != 2)
        return -EBADF;
    if (len < 0 || !uptr_ok((uint32_t)buf, len))
        return -EFAULT;
    for (int done = 0; done < len;) {
        int n = len - done < (int)sizeof chunk ? len - done : (int)sizeof chunk;
        if (copy_from_app(cur, chunk, (uint32_t)buf + done, n) < 0)
            return done ? done : -EFAULT;
        console_write(chunk, n);
        done += n;
    }
    return len;
}

int sys_read(int fd, void *buf, int len)
{
    char chunk[128];
    if (fd >= 3)
        return file_read(fd, buf, len);
    if (fd != 0)
        return -EBADF;
    if (len < 0 || !uptr_ok((uint32_t)buf, len))
        return -EFAULT;
    if (len == 0)
        return 0;                               /* nothing asked: no wait for input */
    if (len > (int)sizeof chunk)
        len = sizeof chunk;
    int n;
    while ((n = input_get(chunk, len)) == 0)
        sched_block(W_INPUT, 0);
    if (copy_to_app(cur, (uint32_t)buf, chunk, n) < 0)
        return -EFAULT;
    return n;
}

/* Only an app the command line names in drivers= gets ports, and only ports
 * the policy allows (drivers/ports.c: none the OS drives, none that controls
 * the machine, none that a PCI function able to master the bus decodes);
 * they are opened in its own I/O bitmap, which the CR3 load switches in and
 * out.  The test kernel's dma=nobar drops the DMA rules (the control of
 * tests/boot/dma.py). */
const char *ioperm_policy(int64_t first, int64_t count, char *why, int cap)
{
    return port_refusal(first, count, pci_fns, pci_nfns, !test_listed("dma", "nobar"), why, cap);
}

int sys_ioperm(int port, int count)
{
    struct proc *l = cur->leader;
    if (!l->driver)
        return -EPERM;
    if (!port_range_valid(port, count))
        return -EINVAL;
    char why[200];
    const char *owner = ioperm_policy(port, count, why, sizeof why);
    if (owner) {
        kprintf("KLOS: %s refused ports %x-%x: they include %s\n", proc_tag(l), port,
                port + count - 1, owner);
        return -EBUSY;
    }
    for (int p = port; p < port + count; p++) {
        uint8_t *m = P2V(l->iomap_pa[p >> 15]);
        m[(p >> 3) & 4095] &= ~(1 << (p & 7));
    }
    kprintf("KLOS: %s granted ports %x-%x\n", proc_tag(l), port, port + count - 1);
    return 0;
}

/* The PCI functions as text (pci_list): what the shell's pci command shows. */
int sys_pci(char *buf, int len)
{
    static char t[PCI_MAX * 200];
    if (len <= 0 || !uptr_ok((uint32_t)buf, len))
        return -EFAULT;
    int n = pci_list(t, sizeof t);
    if (n >= len)
        n = len - 1;
    if (copy_to_app(cur, (uint32_t)buf, t, n) < 0 || copy_to_app(cur, (uint32_t)buf + n, "", 1) < 0)
        return -EFAULT;
    return n;
}
