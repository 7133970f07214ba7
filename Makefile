# KLOS -- a kernel-less operating system.  See README.md.
#   make          build build/klos.elf and build/klos.iso
#   make run      boot in QEMU (icount: RDTSC counts instructions) and print the benchmarks
#   make test     the whole test suite (host unit tests, QEMU and Bochs boot tests)
#   make debug    QEMU halted at the first instruction, with gdb attached
#   make usb DEV=/dev/sdX   write the hybrid ISO to a USB stick
#   make bench    make run + the native harness, CSV and PNG under build/bench/

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
	-O2 -g -Wall -Wextra -Werror -std=gnu11 -Iinclude -Ios -I$(G) -MMD -MP
NASMFLAGS := -f elf32 -g -I$(G)/ -Iinclude/
LIBGCC = $(shell $(CC) -print-libgcc-file-name)

NVEC := $(shell sed -n 's/^\#define NVEC *\([0-9]*\).*/\1/p' include/klos.h)
CMDLINE ?=
QEMU := qemu-system-i386
QEMUFLAGS := -display none -serial stdio -no-reboot -m 128 \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04

BOOT_SRC := $(wildcard boot/*.c boot/*.asm)
EC_SRC := $(wildcard eventcore/*.asm)
OS_SRC := $(shell find os -name '*.c' -o -name '*.asm' | sort)
OBJ_OF = $(patsubst %,$(B)/%.o,$(basename $(1)))
KOBJS := $(call OBJ_OF,$(BOOT_SRC)) $(call OBJ_OF,$(EC_SRC)) $(B)/eventcore/vectors.o \
	$(call OBJ_OF,$(OS_SRC)) $(G)/svc_stubs.o
GEN_H := $(G)/klos.inc $(G)/svc_os.h $(G)/klos_svc.h

.PHONY: all iso run test debug usb bench clean deps apps
all: $(B)/klos.iso apps

include apps/apps.mk

deps:
	@tools/deps.sh

$(G)/klos.inc: include/klos.h include/ecshared.h include/trapframe_off.h include/trapframe.h tools/h2inc.sh
	@mkdir -p $(@D)
	cat include/klos.h include/ecshared.h include/trapframe_off.h include/trapframe.h > $@.h
	sh tools/h2inc.sh $@.h $@

$(G)/vectors.asm: tools/vectors.py include/klos.h
	@mkdir -p $(@D)
	$(PYTHON) tools/vectors.py $(NVEC) $@

$(G)/svc_stubs.asm $(G)/svc_os.h $(G)/klos_svc.h $(G)/svc_weak.c $(G)/svc_app.ld &: os/svc/services.def tools/gensvc.py
	@mkdir -p $(G)
	$(PYTHON) tools/gensvc.py os/svc/services.def $(G)

$(B)/%.o: %.c $(GEN_H)
	@mkdir -p $(@D)
	@echo "  CC    $<"
	@$(CC) $(CFLAGS) -c $< -o $@

$(B)/%.o: %.asm $(G)/klos.inc
	@mkdir -p $(@D)
	@echo "  NASM  $<"
	@$(NASM) $(NASMFLAGS) $< -o $@

$(B)/eventcore/vectors.o: $(G)/vectors.asm $(G)/klos.inc
	@mkdir -p $(@D)
	$(NASM) $(NASMFLAGS) $< -o $@

$(G)/svc_stubs.o: $(G)/svc_stubs.asm $(G)/klos.inc
	$(NASM) $(NASMFLAGS) $< -o $@

# The image must be sealed: no LAR/LSL/VERR/VERW at any offset of its code.
$(B)/klos.elf: $(KOBJS) linker.ld tools/sealscan.py
	@echo "  LD    $@"
	@$(LD) -m elf_i386 -T linker.ld --build-id=none --no-warn-rwx-segments -z noexecstack -o $@ $(KOBJS) $(LIBGCC)
	@$(PYTHON) tools/sealscan.py --check $@ || { echo "$@: not sealed (DESIGN.md §10): change the code named above"; rm -f $@; exit 1; }

# klos.iso is the image for a USB stick or CD: the benchmarks, then the shell.
# run.iso is what make run boots: the benchmarks alone, counted under icount.
USB_MODULES := $(B)/apps/bench $(B)/apps/shell $(B)/apps/hello
iso: $(B)/klos.iso
$(B)/klos.iso: $(B)/klos.elf $(USB_MODULES) tools/mkiso.sh
	tools/mkiso.sh $@ $(B)/klos.elf "$(CMDLINE)" $(USB_MODULES)
$(B)/run.iso: $(B)/klos.elf $(B)/apps/bench tools/mkiso.sh
	tools/mkiso.sh $@ $(B)/klos.elf "icount" $(B)/apps/bench

# ---- host unit tests: tests/unit/test_X.c lists its sources in "// SOURCES:" ----
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(patsubst tests/unit/%.c,$(B)/unit/%,$(UNIT_SRC))
# (rebuilt when any OS source changes: the sources a test lists are not known to make)
$(B)/unit/%: tests/unit/%.c $(GEN_H) $(shell find os include -name '*.[ch]')
	@mkdir -p $(@D)
	$(HOSTCC) -O1 -g -Wall -Wextra -Werror -Iinclude -Ios -Iapps/lib -I$(G) -o $@ $< \
		$$(sed -n 's|^// SOURCES:||p' $<)

# QEMU exits through isa-debug-exit with status (code << 1) | 1: 1 is success.
run: deps all $(B)/run.iso
	@$(QEMU) $(QEMUFLAGS) -icount shift=0 -cpu pentium3 -cdrom $(B)/run.iso; \
	 st=$$?; [ $$st -eq 1 ] || { echo "make run: QEMU exited with status $$st"; exit 1; }

# make bench: KLOS's bench module under QEMU icount + the native harness,
# CSV and PNG under build/bench/ (tools/bench.sh says what it does).
bench: deps all
	tools/bench.sh

test: deps all $(UNIT_BIN)
	$(PYTHON) tests/run.py --kernel $(B)/klos.elf --modules-dir $(B)/apps

debug: deps all
	tools/debug.sh $(B)/klos.iso $(B)/klos.elf

usb: deps all
	@test -n "$(DEV)" || { echo "usage: make usb DEV=/dev/sdX"; exit 1; }
	tools/usb.sh $(DEV) $(B)/klos.iso

clean:
	rm -rf $(B)

-include $(shell find $(B) -name '*.d' 2>/dev/null)
