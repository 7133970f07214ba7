# KLOS apps: included by the top Makefile (which defines CC, LD, NASM,
# NASMFLAGS, B, G, LIBGCC, CROSS and the rule for $(G)/klos_svc.h).
#
#   build/apps/lib/libklos.a   apps/lib/*.c *.asm (not crt0) + lib/string.c fmt.c
#   build/apps/NAME            one ELF per product directory apps/NAME/ (all but lib/),
#                              from its .c/.asm; one per test app tests/apps/t_NAME.c and
#                              per hostile app tests/attacks/a_NAME.c (headers beside them)
#   build/apps/obj/...         objects, mirroring the source tree
#
# Every app is checked to contain no CMOV (apps must run on a Pentium), and
# to be sealed (tools/check/sealscan.py: no LAR/LSL/VERR/VERW at any byte offset of
# its text; the loader refuses it otherwise) -- except the hostile apps in
# SEAL_EXEMPT, which must be refused at load.
#
# To add a product app: mkdir apps/NAME, put NAME.c (with main) there, #include "user.h".
# Apps see apps/lib, include/ (constants), lib/ (pure code shared with the OS)
# and the generated headers; never os/.
# A test app is one file tests/apps/t_NAME.c; a hostile app one file tests/attacks/a_NAME.c.

APP_CFLAGS := -m32 -march=pentium -ffreestanding -nostdlib -fno-pie -fno-stack-protector \
	-fno-asynchronous-unwind-tables -O2 -g -Wall -Wextra -Werror -std=gnu11 \
	-Iapps/lib -Iinclude -Ilib -I$(G) -MMD -MP
APP_LDFLAGS := -m elf_i386 -T apps/lib/app.ld --build-id=none -z noexecstack -nostdlib
APP_AR := $(CROSS)ar
APP_OBJDUMP := $(CROSS)objdump

APP_OUT := $(B)/apps
APP_OBJDIR := $(APP_OUT)/obj
APP_OBJ_OF = $(patsubst %,$(APP_OBJDIR)/%.o,$(basename $(1)))

APP_CRT0 := $(APP_OBJDIR)/apps/lib/crt0.o
APP_LIB := $(APP_OUT)/lib/libklos.a
APP_LIB_SRC := $(filter-out apps/lib/crt0.asm,$(sort $(wildcard apps/lib/*.c apps/lib/*.asm))) \
	lib/string.c lib/fmt.c
APP_LIB_OBJS := $(call APP_OBJ_OF,$(APP_LIB_SRC))

PRODUCT_APPS := $(filter-out lib,$(patsubst apps/%/,%,$(sort $(wildcard apps/*/))))
TEST_APP_SRC := $(sort $(wildcard tests/apps/t_*.c tests/attacks/a_*.c))
APP_NAMES := $(PRODUCT_APPS) $(notdir $(basename $(TEST_APP_SRC)))
APP_SRC_OF = $(or $(filter %/$(1).c,$(TEST_APP_SRC)),$(sort $(wildcard apps/$(1)/*.c apps/$(1)/*.asm)))
APP_BINS := $(addprefix $(APP_OUT)/,$(APP_NAMES))

.PHONY: apps
apps: $(APP_LIB) $(APP_BINS) $(APP_OUT)/bench_scale

# The bench app under a second module name: started as bench_scale it prints
# the scaling rows (make scale, the bench-scale test).
$(APP_OUT)/bench_scale: $(APP_OUT)/bench
	cp $< $@

$(APP_OBJDIR)/%.o: %.c $(G)/klos_svc.h
	@mkdir -p $(@D)
	@echo "  CC    $<"
	@$(CC) $(APP_CFLAGS) -c $< -o $@

$(APP_OBJDIR)/%.o: %.asm $(G)/klos.inc
	@mkdir -p $(@D)
	@echo "  NASM  $<"
	@$(NASM) $(NASMFLAGS) -M -MT $@ -MP $< > $(@:.o=.d)  # (NASM 2.16 -MD omits includes)
	@$(NASM) $(NASMFLAGS) $< -o $@

$(APP_LIB): $(APP_LIB_OBJS)
	@mkdir -p $(@D)
	@echo "  AR    $@"
	@rm -f $@
	@$(APP_AR) rcs $@ $^

SEAL_EXEMPT := a_lar

# One link rule per app.
define APP_template
APP_OBJS_$(1) := $$(call APP_OBJ_OF,$$(call APP_SRC_OF,$(1)))
$(APP_OUT)/$(1): $(APP_CRT0) $$(APP_OBJS_$(1)) $(APP_LIB) apps/lib/app.ld $(G)/svc_app.ld tools/check/sealscan.py
	@echo "  LD    $$@"
	@$$(LD) $(APP_LDFLAGS) -o $$@ $(APP_CRT0) $$(APP_OBJS_$(1)) $(APP_LIB) $$(LIBGCC) $(G)/svc_app.ld
	@if $(APP_OBJDUMP) -d $$@ | grep -q cmov; then echo "$$@: contains CMOV"; rm -f $$@; exit 1; fi
	$(if $(filter $(1),$(SEAL_EXEMPT)),,@$(PYTHON) tools/check/sealscan.py --check $$@ || { echo "$$@: not sealed: the loader would refuse it"; rm -f $$@; exit 1; })
endef
$(foreach a,$(APP_NAMES),$(eval $(call APP_template,$(a))))

# Malformed images cut from a good app, for the loader's refusal tests.
APP_BAD := $(addprefix $(APP_OUT)/,bad_trunc bad_truncph bad_machine bad_oshigh bad_wrap \
	bad_codew bad_datax bad_lar)
apps: $(APP_BAD)
$(APP_BAD) &: $(APP_OUT)/hello tests/fixtures/mkbadelf.py
	$(PYTHON) tests/fixtures/mkbadelf.py $< $(APP_OUT)

# Junk and oversized modules for the bad-boot tests (tests/boot/attack.py):
# bad_random is not an ELF; bad_huge is hello with a 64 MiB .bss.
APP_JUNK := $(APP_OUT)/bad_random $(APP_OUT)/bad_huge
apps: $(APP_JUNK)
$(APP_OUT)/bad_random: tests/fixtures/mkjunk.py
	@mkdir -p $(@D)
	$(PYTHON) tests/fixtures/mkjunk.py random $@
$(APP_OUT)/bad_huge: $(APP_OUT)/hello tests/fixtures/mkjunk.py
	$(PYTHON) tests/fixtures/mkjunk.py huge $< $@

# Addresses taken from the OS image, for the hostile apps that aim at them.
$(G)/os_syms.h: $(B)/klos.elf
	@echo "  GEN   $@"
	@$(CROSS)nm $< | awk '$$3 == "_ec_start" { print "#define OS_EC_START 0x" $$1 }' > $@
$(APP_OBJDIR)/tests/attacks/a_ecedge.o: $(G)/os_syms.h
