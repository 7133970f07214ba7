# KLOS -- a kernel-less operating system.  See README.md.
#   make          build build/klos.elf and build/klos.iso
#   make run      boot in QEMU (icount: RDTSC counts instructions) and print the benchmarks
#                 (make run EVENTS=task: also with IDT task gates, the event rows side by side)
#   make test     the whole test suite (host unit tests, QEMU and Bochs boot tests)
#   make debug    QEMU halted at the first instruction, with gdb attached
#   make usb DEV=/dev/sdX   write the hybrid ISO to a USB stick
#   make bench    make run + the native harness, CSV and PNG under build/bench/
#   make mutants  apply each mutant of tests/mutants/mutants.txt, run the tests that should kill it
#   make scale    the scaling rows: upcall, ctxswitch, ipc, irq with 2..62 live
#                 processes, with NPROC 64 and 256 (tools/bench/scale.sh)
#   make crash    the file system's whole power-cut sweep and fuzz run (tools/check/fscrash.sh)

CROSS := $(shell command -v i686-elf-gcc >/dev/null 2>&1 && echo i686-elf- || echo i686-linux-gnu-)
CC := $(CROSS)gcc
LD := $(CROSS)ld
NASM := nasm
HOSTCC := gcc
PYTHON := python3

B := build
G := $(B)/gen
CFLAGS := -m32 -march=pentium -ffreestanding -nostdlib -fno-pie -fno-stack-protector \
	-fno-asynchronous-unwind-tables -fno-omit-frame-pointer -mgeneral-regs-only \
	-O2 -g -Wall -Wextra -Werror -std=gnu11 -Iinclude -Ios -Ilib -I$(G) -MMD -MP \
	-mstringop-strategy=libcall $(EXTRA_CFLAGS)
NASMFLAGS := -f elf32 -g -I$(G)/ -Iinclude/ -Ieventcore/
LIBGCC = $(shell $(CC) -print-libgcc-file-name)

CMDLINE ?=
QEMU := qemu-system-i386
# mon:stdio: Ctrl-C goes to the guest, Ctrl-A X quits QEMU, Ctrl-A C is its monitor.
QEMUFLAGS := -display none -serial mon:stdio -no-reboot -m 128 -rtc clock=vm \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04

BOOT_SRC := $(wildcard boot/*.c boot/*.asm)
EC_SRC := $(wildcard eventcore/*.asm)
OS_SRC := $(shell find os \( -name "*.c" -o -name "*.asm" \) -print | sort) $(wildcard lib/*.c)
OS_TEST_SRC := $(sort $(wildcard tests/os/*.c tests/os/*.asm))
OBJ_OF = $(patsubst %,$(B)/%.o,$(basename $(1)))
KOBJS := $(call OBJ_OF,$(BOOT_SRC)) $(call OBJ_OF,$(EC_SRC)) $(B)/eventcore/vectors.o \
	$(call OBJ_OF,$(OS_SRC)) $(B)/os/tev_vectors.o $(G)/svc_stubs.o $(G)/font8x16.o
KTEST_OBJS := $(KOBJS) $(call OBJ_OF,$(OS_TEST_SRC))
GEN_H := $(G)/klos.inc $(G)/svc_os.h $(G)/klos_svc.h

.PHONY: all iso run test debug usb bench scale clean deps apps mutants native crash disk
all: $(B)/klos.iso $(B)/klos-test.elf apps

include apps/apps.mk

deps:
	@tools/deps.sh

$(G)/klos.inc: include/klos.h include/klos_errno.h include/ecshared.h include/trapframe_off.h include/trapframe.h tools/gen/h2inc.sh
	@mkdir -p $(@D)
	cat include/klos.h include/klos_errno.h include/ecshared.h include/trapframe_off.h include/trapframe.h > $@.h
	sh tools/gen/h2inc.sh $@.h $@

$(G)/vectors.asm $(G)/tev_vectors.asm &: tools/gen/vectors.py tools/gen/klosh.py include/klos.h
	@mkdir -p $(@D)
	$(PYTHON) tools/gen/vectors.py $(G)/vectors.asm $(G)/tev_vectors.asm

$(G)/svc_stubs.asm $(G)/svc_os.h $(G)/klos_svc.h $(G)/svc_weak.c $(G)/svc_app.ld &: os/svc/services.def tools/gen/gensvc.py tools/gen/klosh.py include/klos.h
	@mkdir -p $(G)
	$(PYTHON) tools/gen/gensvc.py os/svc/services.def $(G)

# The IPC and switch fast paths go without a frame pointer (nothing in the OS
# walks them), but EBP stays unused: an address based on EBP is SS-relative
# (SDM 3.7.4), and SS is DSAPP in a plain Design B service -- an OS pointer
# in EBP would fault under Bochs, which enforces DSAPP's expand-down limit.
$(B)/os/svc/sys_ipc.o $(B)/os/sched/sched.o: CFLAGS += -fomit-frame-pointer -ffixed-ebp

# ES is the app's inside a service (the stubs swap DS only): struct copies and
# block clears become calls to lib/string.c's memcpy/memset, which load ES
# themselves (-mstringop-strategy=libcall above), and their own loops are never
# turned into calls to themselves.  tools/check/strscan.py checks the image.  They
# go without a frame pointer (EBP unused, as for sys_ipc.o above): struct copies call them.
$(B)/lib/string.o: CFLAGS += -fno-tree-loop-distribute-patterns -fomit-frame-pointer -ffixed-ebp

# The OS's objects are rebuilt when CFLAGS change (they decide what GCC emits).
$(B)/cflags.stamp: FORCE
	@mkdir -p $(B); echo '$(CFLAGS)' | cmp -s - $@ || echo '$(CFLAGS)' > $@

$(B)/%.o: %.c $(GEN_H) $(B)/cflags.stamp
	@mkdir -p $(@D)
	@echo "  CC    $<"
	@$(CC) $(CFLAGS) -c $< -o $@

$(B)/%.o: %.asm $(G)/klos.inc
	@mkdir -p $(@D)
	@echo "  NASM  $<"
	@$(NASM) $(NASMFLAGS) -M -MT $@ -MP $< > $(@:.o=.d)  # (NASM 2.16 -MD omits includes)
	@$(NASM) $(NASMFLAGS) $< -o $@

$(B)/eventcore/vectors.o: $(G)/vectors.asm $(G)/klos.inc
	@mkdir -p $(@D)
	$(NASM) $(NASMFLAGS) $< -o $@

$(B)/os/tev_vectors.o: $(G)/tev_vectors.asm $(G)/klos.inc
	@mkdir -p $(@D)
	$(NASM) $(NASMFLAGS) $< -o $@

# The console font (os/console/fbcon.c): the public-domain X11 misc-fixed 8x13
# (Debian xfonts-base), each glyph in an 8x16 cell (tools/gen/mkfont.py says how).
FONT := /usr/share/fonts/X11/misc/8x13-ISO8859-1.pcf.gz
$(G)/font8x16.c: tools/gen/mkfont.py
	@mkdir -p $(@D)
	@test -f $(FONT) || { echo "$(FONT) not found: apt-get install xfonts-base (tools/deps.sh)"; exit 1; }
	$(PYTHON) tools/gen/mkfont.py $(FONT) $@
$(G)/font8x16.o: $(G)/font8x16.c
	$(CC) $(CFLAGS) -c $< -o $@

$(G)/svc_stubs.o: $(G)/svc_stubs.asm $(G)/klos.inc os/svc/stubs.inc
	$(NASM) $(NASMFLAGS) -Ios/svc/ $< -o $@

KLDFLAGS := -m elf_i386 -T linker.ld --build-id=none --no-warn-rwx-segments -z noexecstack
# The image must be sealed: no LAR/LSL/VERR/VERW at any offset of its code.
SEALCHECK = @$(PYTHON) tools/check/sealscan.py --check $@ || { echo "$@: not sealed (docs/DESIGN.md §2): change the code named above"; rm -f $@; exit 1; }
# No string instruction unless ES is loaded from DS right before it and put back
# after (lib/string.c): inside a service ES is the app's (tools/check/strscan.py;
# the ring-0 .boot and .eventcore are exempt).
STRCHECK = @$(PYTHON) tools/check/strscan.py --check --objdump $(CROSS)objdump $(STRALLOW) $@ || { echo "$@: string instruction without its own ES load (tools/check/strscan.py): ES is the app's inside a service"; rm -f $@; exit 1; }
$(B)/klos.elf: $(KOBJS) linker.ld tools/check/sealscan.py tools/check/strscan.py
	@echo "  LD    $@"
	@$(LD) $(KLDFLAGS) -o $@ $(KOBJS) $(LIBGCC)
	$(SEALCHECK)
	$(STRCHECK)

# The test kernel: the product plus tests/os/ (the test=NAME modes).  Only
# tests/run.py boots it; make run, make iso and make usb use klos.elf.  Its
# esfault test runs one string instruction with ES = DSAPP on purpose.
$(B)/klos-test.elf: STRALLOW := --allow es_stosd
$(B)/klos-test.elf: $(KTEST_OBJS) linker.ld tools/check/sealscan.py tools/check/strscan.py
	@echo "  LD    $@"
	@$(LD) $(KLDFLAGS) -o $@ $(KTEST_OBJS) $(LIBGCC)
	$(SEALCHECK)
	$(STRCHECK)

# klos.iso is the image for a USB stick or CD: the benchmarks, hello, then the
# shell, last, so that the machine halts (and says so) when the shell ends.
# run.iso is what make run boots: the benchmarks alone, counted under icount.
USB_MODULES := $(B)/apps/bench $(B)/apps/hello $(B)/apps/shell
iso: $(B)/klos.iso
$(B)/klos.iso: $(B)/klos.elf $(USB_MODULES) tools/mkiso.sh $(B)/cmdline.stamp
	tools/mkiso.sh $@ $(B)/klos.elf "$(CMDLINE)" $(USB_MODULES)
# The image is rebuilt when CMDLINE changes (make usb DEV=... CMDLINE=events=task).
$(B)/cmdline.stamp: FORCE
	@mkdir -p $(B); echo '$(CMDLINE)' | cmp -s - $@ || echo '$(CMDLINE)' > $@
.PHONY: FORCE
FORCE:
# make disk: build/disk.img, the disk make run attaches (a fresh copy each run):
# ext3 labelled KLOS with every product app in /bin (tools/mkdisk.sh).
DISK_APPS := $(addprefix $(APP_OUT)/,$(PRODUCT_APPS))
disk: $(B)/disk.img
$(B)/disk.img: $(DISK_APPS) tools/mkdisk.sh
	tools/mkdisk.sh $@ 64M $(DISK_APPS)
RUN_DISK = cp --sparse=always $(B)/disk.img $(B)/run-disk.img
RUN_DISK_ARGS = -drive file=$(B)/run-disk.img,format=raw,if=ide,index=0 -boot d

# true is the GRUB module the suite spawns (skip=true: not run at boot).
$(B)/run.iso: $(B)/klos.elf $(B)/apps/bench $(B)/apps/true tools/mkiso.sh
	tools/mkiso.sh $@ $(B)/klos.elf "icount skip=true" $(B)/apps/bench $(B)/apps/true
$(B)/run-task.iso: $(B)/klos.elf $(B)/apps/bench $(B)/apps/true tools/mkiso.sh
	tools/mkiso.sh $@ $(B)/klos.elf "icount events=task skip=true" $(B)/apps/bench $(B)/apps/true

# ---- host unit tests: tests/unit/test_X.c lists its sources in "// SOURCES:" ----
# (and may add compiler flags, e.g. sanitizers, in "// CFLAGS:")
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(patsubst tests/unit/%.c,$(B)/unit/%,$(UNIT_SRC))
# Each binary depends on its sources and every header they include ($@.d, from -MM).
UNIT_CFLAGS := -O1 -g -Wall -Wextra -Werror -Iinclude -Ios -Iapps/lib -iquote lib -I$(G)
$(B)/unit/%: tests/unit/%.c $(GEN_H)
	@mkdir -p $(@D)
	@src="$< $$(sed -n 's|^// SOURCES:||p' $<)"; xf="$$(sed -n 's|^// CFLAGS:||p' $<)"; \
	 $(HOSTCC) $(UNIT_CFLAGS) -MM -MP -MT $@ $$src > $@.d && \
	 echo "  HOSTCC $@" && $(HOSTCC) $(UNIT_CFLAGS) $$xf -o $@ $$src

.PHONY: unit crash
unit: $(UNIT_BIN)

# make crash: the file system's whole power-cut sweep and long fuzz run
# (tools/check/fscrash.sh); make test runs a sample of both
crash: all $(B)/unit/test_fs_crash $(B)/unit/test_fs_fuzz
	tools/check/fscrash.sh $(B)

# make mutants [ONLY=NAME]: tests/mutants/mutants.txt, one mutant at a time (tools/check/mutants.py)
mutants: deps all unit
	$(PYTHON) tools/check/mutants.py $(if $(ONLY),--only $(ONLY))

# QEMU exits through isa-debug-exit with status (code << 1) | 1: 1 is success.
# make run EVENTS=task: the same twice, with the event core and with IDT task
# gates (events=task), then the event rows side by side (tools/bench/run_events.sh).
EVENTS ?= core
run: deps all $(B)/run.iso $(B)/disk.img $(if $(filter task,$(EVENTS)),$(B)/run-task.iso)
ifeq ($(EVENTS),task)
	@tools/bench/run_events.sh $(B) $(QEMU) $(subst mon:stdio,stdio,$(QEMUFLAGS)) -icount shift=0 -cpu pentium3
else
	@$(RUN_DISK); $(QEMU) $(QEMUFLAGS) -icount shift=0 -cpu pentium3 -cdrom $(B)/run.iso $(RUN_DISK_ARGS); \
	 st=$$?; [ $$st -eq 1 ] || { echo "make run: QEMU exited with status $$st (0: Ctrl-A X, or the guest reset)"; exit 1; }
endif

# The native harness (make bench, tests/extra/native.sh): the very stub code
# the build generates ($(G)/svc_stubs.o), timed in a static 32-bit Linux
# process beside Linux's own system calls (tools/bench/native/klos_native.c).
NATIVE := $(B)/native/klos_native
NATIVE_CFLAGS := -static -O2 -march=pentium -fno-pie -no-pie -Wall -Wextra -Werror \
	-Iinclude -I$(G) -Iapps/lib
native: $(NATIVE)
$(NATIVE): tools/bench/native/klos_native.c tools/bench/native/bench.asm $(G)/svc_stubs.o $(G)/svc_weak.c \
		os/bench/null.c apps/lib/stats.c $(G)/klos.inc
	@mkdir -p $(@D)
	$(NASM) -f elf32 -I$(G)/ -Iinclude/ -o $(B)/native/bench.o tools/bench/native/bench.asm
	$(CC) $(NATIVE_CFLAGS) -o $@ tools/bench/native/klos_native.c $(G)/svc_weak.c os/bench/null.c \
		apps/lib/stats.c $(G)/svc_stubs.o $(B)/native/bench.o

# make bench: KLOS's bench module under QEMU icount + the native harness,
# CSV and PNG under build/bench/ (tools/bench/bench.sh says what it does).
bench: deps all $(B)/disk.img
	tools/bench/bench.sh

scale: deps all
	tools/bench/scale.sh

# The native harness runs in its quick mode here (KLOS_QUICK=1); make bench runs it in full.
test: deps all $(UNIT_BIN)
	KLOS_QUICK=1 $(PYTHON) tests/run.py --kernel $(B)/klos.elf --test-kernel $(B)/klos-test.elf \
		--modules-dir $(B)/apps

debug: deps all
	tools/debug.sh $(B)/klos.iso $(B)/klos.elf

usb: deps all
	@test -n "$(DEV)" || { echo "usage: make usb DEV=/dev/sdX"; exit 1; }
	tools/usb.sh $(DEV) $(B)/klos.iso

clean:
	rm -rf $(B)

-include $(shell find $(B) -name '*.d' 2>/dev/null)
