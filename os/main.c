/* The ring-3 OS starts here: boot/ IRETs to os_main with CS=CSOS,
 * DS=ES=SS=DSOS, IF=1 and every PIC line masked. */
#include "os.h"
#include "ecshared.h"
#include "multiboot.h"
#include "mm/frame.h"

void os_main(struct mb_info *mbi)
{
    serial_init();
    vga_init();
    cmdline_init((mbi->flags & MBI_CMDLINE) ? (const char *)mbi->cmdline + KERNEL_BASE : "");
    ecshared.panic_exit = 1;
    kprintf("KLOS: ring-3 OS running, CPL=%d, command line \"%s\"\n", read_cs() & 3,
            (mbi->flags & MBI_CMDLINE) ? (const char *)mbi->cmdline + KERNEL_BASE : "");
    event_init();

    uint64_t ram, unused;
    frame_init(mbi, &ram, &unused);
    kprintf("KLOS: %u MiB of RAM, %u frames free", (uint32_t)(ram >> 20), frame_free_count());
    if (unused)
        kprintf(", %u MiB above %u MiB not used (the OS maps at most that much)",
                (uint32_t)(unused >> 20), DIRECTMAP_MAX >> 20);
    kprintf("\n");

    pit_init(100);
    pic_unmask(0);

    const char *t = cmdline_get("test");
    if (t) {
        int r = run_boot_test(t);
        if (r < 0)
            kprintf("KLOS: unknown test '%s'\n", t);
        os_exit(r == 1 ? 0 : 1);
    }
    kprintf("KLOS: nothing to run\n");
    os_exit(0);
}
