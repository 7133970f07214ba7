/* The ring-3 OS starts here: boot/ IRETs to os_main with CS=CSOS,
 * DS=ES=SS=DSOS, IF=1 and every PIC line masked.  After start-up this
 * context is process 0; it starts the apps and waits for them. */
#include "os.h"
#include "event/event.h"
#include "fault/fault.h"
#include "ecshared.h"
#include "multiboot.h"
#include "mm/frame.h"
#include "sched/proc.h"
#include "proc/module.h"
#include "proc/spawn.h"
#include "proc/exit.h"
#include "sched/sched.h"
#include "svc_os.h"
#include "sec/dsos.h"
#include "console/screen.h"
#include "drivers/timer.h"
#include "svc/files.h"
#include "drivers/pci.h"
#include "drivers/blkdrv.h"

void input_init(void);
void svc_init(void);
int os_wait(int pid);

/* Process 0 waits for a module, and meanwhile does the OS's deferred work:
 * the files of ended processes closed, the file system's commit when due. */
static void wait_for(int pid)
{
    while (!os_wait(pid))
        files_background();
}

/* Run the modules: one after another (the default), or all at once with
 * apps=par.  skip=a,b leaves some out.  (Also the test kernel's test=oracle.) */
void run_modules(void)
{
    int par = cmdline_is("apps", "par"), pids[NMOD], n = 0;
    if (!nmodules)
        kprintf("KLOS: no modules were loaded: nothing to run (add 'module' lines to grub.cfg)\n");
    for (int i = 0; i < nmodules; i++) {
        if (cmdline_listed("skip", modules[i].name) || cmdline_listed("disk", modules[i].name))
            continue;                                   /* disk=: the RAM disk's image */
        int pid = proc_spawn(&modules[i], "", &procs[0]);
        if (pid < 0)
            continue;
        kprintf("KLOS: started %s as pid %d\n", modules[i].name, pid);
        if (par)
            pids[n++] = pid;
        else
            wait_for(pid);
    }
    for (int i = 0; i < n; i++)
        wait_for(pids[i]);
}

void os_main(struct mb_info *mbi)
{
    serial_init();
    cmdline_init((mbi->flags & MBI_CMDLINE) ? (const char *)mbi->cmdline + KERNEL_BASE : "");
    uint64_t ram, unused;
    frame_init(mbi, &ram, &unused);
    screen_init(mbi);                   /* device memory: mapped before any process exists */
    apic_map();
    ecshared.panic_exit = 1;
    kprintf("KLOS: ring-3 OS running, CPL=%d, command line \"%s\"\n", read_cs() & 3,
            (mbi->flags & MBI_CMDLINE) ? (const char *)mbi->cmdline + KERNEL_BASE : "");
    cmdline_check();
    event_init();
    fault_init();
    isadma_init();
    pci_init();                 /* bus mastering off where the OS drives nothing */
    screen_report();
    kprintf("KLOS: %u MiB of RAM, %u frames free", (uint32_t)(ram >> 20), frame_free_count());
    if (unused)
        kprintf(", %u MiB above %u MiB not used (the OS maps at most that much)",
                (uint32_t)(unused >> 20), DIRECTMAP_MAX >> 20);
    kprintf("\n");
    module_init(mbi);
    exit_init();
    sched_init();
    svc_init();
    dsos_init();
    timer_init();
    input_init();
    ata_init();
    ramdisk_init();
    files_init();

    char t[32] = "";
    if (run_boot_test && cmdline_get("test")) {
        strncpy(t, cmdline_get("test"), sizeof t - 1);
        int r = run_boot_test(t);
        if (r < 0)
            kprintf("KLOS: unknown test '%s'\n", t);
        os_halt(r == 1 ? 0 : 1);
    }
    run_modules();
    kprintf("KLOS: DSOS moved %u times (%u #NP faults)\n", dsos_moves, np_faults);
    kprintf("KLOS: all apps have ended, %u frames free\n", frame_free_count());
    files_shutdown();
    kprintf("KLOS: nothing left to run: halted (on a PC: switch it off or press reset)\n");
    os_halt(0);
}
