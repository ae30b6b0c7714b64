# coroutines - a freestanding coroutine runtime and its demo.
#
#   make                    ./coroutines for the host (and build/<arch>/...)
#   make run [ARGS="3 4"]   build and run the demo
#   make debug [APP=...]    the demo (or APP) under gdb, QEMU's too
#   make test [ARCHS="..."] build and run every test (every available arch)
#   make memcheck           the demo, tests and echo under valgrind's memcheck
#   make fuzz [FUZZ_TIME=60]   the parsers under libFuzzer, 60 s each (host)
#   make fuzz-replay        the kept fuzz inputs, replayed (host)
#   make bench              build and run the benchmarks, beside other systems
#   make bench-scale        10,000 to 1,000,000 coroutines in one process
#   make size [ARCHS=...]   stripped sizes: demo, smallest program, each part
#   make examples           build/<arch>/examples/: one program per examples/*.c
#   make app APP=prog.c     build your own program into build/<arch>/bin/prog
#                           (TINY=1: stripped, no section header table)
#   make install [PREFIX=/usr/local] [DESTDIR=]   headers, archive, pkg-config
#   make uninstall          remove exactly what make install put
#   make clean
#
# Outputs never share a path: build/<arch>/ holds the runtime (obj/,
# libcoroutine.a, flags) and the demo, build/<arch>/examples/ the examples,
# build/<arch>/bin/ your programs (any name; their objects in
# build/<arch>/app/); the tests build into build/test/<arch>/ and the
# benchmarks into build/bench/<arch>/, memcheck's into build/memcheck/<arch>/.
# No target but `make clean` deletes a file in build/<arch>/bin/.
#
# Settings: ARCH (x86_64 aarch64 riscv64 arm i386 s390x), CROSS_COMPILE,
# STACK_SIZE, CAPACITY, GUARD, PRIORITIES, FAULT_REPORT, PREFETCH, VALGRIND, UBSAN,
# HARDEN, PIE, V=1 to see the commands.  PIE=1: static position-independent
# programs, loaded at a random address (docs/boot.md), in build/pie/<arch>/
# (the tests': build/test-pie/<arch>/), never in a default build's paths.
# Your programs (make app) also take TINY=1 and the conventional CPPFLAGS,
# CFLAGS, ASFLAGS, LDFLAGS and LDLIBS.
# Changing a setting rebuilds what depends on it; no `make clean` needed.

# The host's architecture and every architecture: the one place for both
# (scripts ask: make -s host-arch, make -s archs).
HOST_ARCH := $(shell uname -m | sed -e 's/^i[3-6]86$$/i386/' -e 's/^armv[6-8].*/arm/')
ALL_ARCHS := x86_64 aarch64 riscv64 arm i386 s390x
ARCH ?= $(HOST_ARCH)
# The settings' defaults live in coroutine.h, the one place for them.
# The one #define of each: its name, then blanks, then digits (CO_GUARD is
# not CO_GUARD_SIZE).
default = $(shell sed -n 's/^\#define CO_$(1)[[:blank:]][[:blank:]]*\([0-9][0-9]*\).*/\1/p' coroutine.h)
STACK_SIZE ?= $(call default,STACK_SIZE)
CAPACITY ?= $(call default,CAPACITY)
GUARD ?= $(call default,GUARD)
PRIORITIES ?= $(call default,PRIORITIES)
FAULT_REPORT ?= $(call default,FAULT_REPORT)
PREFETCH ?= $(call default,PREFETCH)
VALGRIND ?= $(call default,VALGRIND)
UBSAN ?= 0
HARDEN ?= 0
TINY ?= 0
PIE ?= 0
STACK_SIZE := $(STACK_SIZE)
CAPACITY := $(CAPACITY)
GUARD := $(GUARD)
PRIORITIES := $(PRIORITIES)
FAULT_REPORT := $(FAULT_REPORT)
PREFETCH := $(PREFETCH)
VALGRIND := $(VALGRIND)
BUILD ?= build/$(if $(filter 1,$(PIE)),pie/)$(ARCH)

# ---- per-architecture table --------------------------------------------
CROSS_x86_64  := x86_64-linux-gnu-
CROSS_aarch64 := aarch64-linux-gnu-
CROSS_riscv64 := riscv64-linux-gnu-
CROSS_arm     := arm-linux-gnueabihf-
CROSS_i386    := i686-linux-gnu-
CROSS_s390x   := s390x-linux-gnu-

# Debian's multiarch tuple: where make install puts the architecture's files.
TUPLE_x86_64  := x86_64-linux-gnu
TUPLE_aarch64 := aarch64-linux-gnu
TUPLE_riscv64 := riscv64-linux-gnu
TUPLE_arm     := arm-linux-gnueabihf
TUPLE_i386    := i386-linux-gnu

QEMU_x86_64   := qemu-x86_64
QEMU_aarch64  := qemu-aarch64
QEMU_riscv64  := qemu-riscv64
QEMU_arm      := qemu-arm
QEMU_i386     := qemu-i386
QEMU_s390x    := qemu-s390x

FLAGS_x86_64  :=
FLAGS_aarch64 :=
FLAGS_riscv64 := -march=rv64gc -mabi=lp64d
FLAGS_arm     := -mthumb -march=armv7-a -mfpu=vfpv3-d16 -mfloat-abi=hard
FLAGS_i386    := -march=i686 -msse -mfpmath=387
FLAGS_s390x   :=

# Stack-clash protection: a frame larger than a page is probed page by page,
# so it cannot jump over a chunk's guard page.  GCC 12 accepts and ignores
# -fstack-clash-protection on riscv64; its older -fstack-check does probe
# there, every page from 4688 bytes below sp (the guard is wider to match:
# see coroutine.h).
CLASH_x86_64  := -fstack-clash-protection
CLASH_aarch64 := -fstack-clash-protection --param stack-clash-protection-guard-size=12
CLASH_riscv64 := -fstack-check
CLASH_arm     := -fstack-clash-protection
CLASH_i386    := -fstack-clash-protection
CLASH_s390x   := -fstack-clash-protection

# arm: libgcc's 64-bit division calls __aeabi_ldiv0 on a division by zero;
# ours (mem.c) must be the one linked, not libgcc's, which calls raise().
LINK_arm      := -Wl,-u,__aeabi_ldiv0 -Wl,-u,__aeabi_idiv0

ifeq ($(origin CROSS_$(ARCH)),undefined)
$(error unknown ARCH '$(ARCH)': use one of $(ALL_ARCHS))
endif

# The host builds with its own gcc and runs programs directly; any other
# ARCH uses the Debian cross toolchain and QEMU user mode.
ifeq ($(ARCH),$(HOST_ARCH))
CROSS_COMPILE ?=
RUNNER ?=
else
CROSS_COMPILE ?= $(CROSS_$(ARCH))
RUNNER ?= $(QEMU_$(ARCH))
endif

CC      := $(CROSS_COMPILE)gcc
AR      := $(CROSS_COMPILE)gcc-ar
STRIP   := $(CROSS_COMPILE)strip
READELF := $(CROSS_COMPILE)readelf
SIZE    := $(CROSS_COMPILE)size
# sht.c: the post-link step of make app TINY=1 (and make size), a program
# of the host's, the same for every ARCH.
HOSTCC  ?= gcc
SHT     := build/sht

# ---- flags ---------------------------------------------------------------
# The Makefile's own flags are named CO_*: a variable given on make's
# command line replaces every plain assignment of that name, so the
# conventional CPPFLAGS, CFLAGS, ASFLAGS, LDFLAGS and LDLIBS are left to the
# user, and added to users' programs (make app) only, after ours.
#
# Link-time optimisation, for the runtime: it is many small functions in
# several files, and a program calls few of them; compiled as one at the
# link, they inline into each other.  Its objects are fat (machine code
# beside the bytecode), so linkers without GCC's plugin read the archive too
# (make install).  Programs (the tests, the examples, users') are compiled
# without it: LTO cannot see what a file's top-level assembly calls or
# reads, and would drop or hide it (docs/size.md: what it costs); the demo,
# ours and without any, with it.
# Debug information (-g) in every build, the assembly's included (line
# numbers; its CFI is in the source): the unstripped file carries it, the
# stripped one not a byte of it.
OPT ?= -Os
CONFIG   := -DCO_STACK_SIZE=$(STACK_SIZE) -DCO_CAPACITY=$(CAPACITY) -DCO_GUARD=$(GUARD) \
	    -DCO_PRIORITIES=$(PRIORITIES) -DCO_FAULT_REPORT=$(FAULT_REPORT) -DCO_PREFETCH=$(PREFETCH) -DCO_VALGRIND=$(VALGRIND)
# PIE=1 (docs/boot.md): compiled -fpie, linked -static-pie (ET_DYN, no
# interpreter, no DT_NEEDED), no text relocations, RELRO, by pie.ld;
# _start calls reloc.c's _co_relocate first (CO_PIE).  Each program linked
# is checked for relocations other than RELATIVE (tests/pie_check.sh).
ifeq ($(PIE),1)
CONFIG   += -DCO_PIE=1
PIC      := -fpie
STATIC   := -static-pie -Wl,-z,text
RELRO    := -Wl,-z,relro
LDSCRIPT := pie.ld
RT_PIE   := reloc.c
PIE_CHECK = && sh tests/pie_check.sh $(READELF) $@
else
PIC      := -fno-pie
STATIC   := -static -no-pie
RELRO    := -Wl,-z,norelro
LDSCRIPT := linker.ld
endif
# Debugging builds (docs/debugging.md).  VALGRIND=1: memcheck's client
# requests, from valgrind's own header (it needs only the compiler's
# <stdarg.h>).  UBSAN=1: undefined behaviour traps (SIGILL or SIGTRAP), no
# runtime library needed; CO_UBSAN lets the fault report call a trap UBSan's.
VALGRIND_INC ?= /usr/include/valgrind
DEBUG    := $(if $(filter 1,$(VALGRIND)),-isystem $(VALGRIND_INC)) \
	    $(if $(filter 1,$(UBSAN)),-DCO_UBSAN=1 -fsanitize=undefined -fsanitize-undefined-trap-on-error)
# HARDEN=1 (docs/hardening.md): the stack protector, on the runtime and on
# the program; ssp.c provides its canary and __stack_chk_fail, and is asked
# for at the link (-u), before link-time optimisation, which cannot see the
# calls to it that code generation adds.
HARDEN_CFLAGS := $(if $(filter 1,$(HARDEN)),-fstack-protector-strong)
HARDEN_LINK   := $(if $(filter 1,$(HARDEN)),-u __stack_chk_fail)
# What code built for the runtime needs (make install's pkg-config file
# gives users these): freestanding, no PIE unless PIE=1, no stack protector
# unless HARDEN=1, probed large frames, the settings.
CO_TARGET := -ffreestanding $(PIC) -fno-stack-protector $(HARDEN_CFLAGS) -fomit-frame-pointer \
	    -fno-asynchronous-unwind-tables -fno-unwind-tables -fno-ident \
	    -ffunction-sections -fdata-sections $(CLASH_$(ARCH)) $(FLAGS_$(ARCH)) $(CONFIG) $(DEBUG)
# Every C file: the runtime's, the demo's, the tests', users'.  Users'
# programs get the warnings; ours also -Werror.
CO_CFLAGS  := -std=gnu11 $(OPT) $(CO_TARGET) -fno-tree-loop-distribute-patterns -g -Wall -Wextra -I.
CO_WERROR  := -Werror
CO_LTO     := -flto -ffat-lto-objects
CO_ASFLAGS := -g $(FLAGS_$(ARCH)) $(CONFIG) -I.
# How a program links: static, no libc, our layout, unused sections
# dropped, W^X (make install's pkg-config file gives users these too).
CO_LINK    := -nostdlib $(STATIC) -Wl,--gc-sections -Wl,--build-id=none \
	    -Wl,-z,noexecstack $(RELRO) -Wl,-u,_start $(FLAGS_$(ARCH)) $(LINK_$(ARCH)) $(HARDEN_LINK)
# The link compiles the runtime (LTO): its flags; main may be declared with
# fewer parameters than _co_start_c passes, as C allows.
CO_LDFLAGS := $(filter -O% -f% -g,$(CO_CFLAGS)) -flto -Wno-lto-type-mismatch \
	    -T $(LDSCRIPT) -Wl,--orphan-handling=warn $(CO_LINK)
CO_LDLIBS  := -lgcc

# ---- CC=clang ------------------------------------------------------------
# Every clang-specific flag is here (docs/porting.md).  clang cross-compiles
# to every ARCH by itself (--target=, the triple of CROSS_<arch>); it finds
# the Debian cross toolchain's headers and libgcc on its own.  ld.lld links
# (it reads LLVM bitcode, a user's CFLAGS=-flto), llvm-ar archives.
# LTO: clang has no fat objects (machine code beside the bitcode), and an
# archive of bitcode alone is read by no linker but LLVM's, so under clang
# the runtime is compiled without it (CO_LTO empty): libcoroutine.a holds
# machine code that any linker reads (make install), and programs lose the
# inlining across the runtime's files (make size: clang's rows).
# Probes: clang 14 has stack-clash probes on x86_64, i386 and s390x.  On
# aarch64, riscv64 and arm it has none, so no frame may be larger than
# FRAME_LIMIT, half the guard: each function stores into its own frame (its
# return address) before it calls, so two successive stores down the stack
# are less than two frames apart, and cannot step over a guard page.  Frames
# whose size is not known at build time (VLAs, alloca) are refused there.
# The limit is checked where the code is generated: in the compiler, or in
# ld.lld for LTO objects, whose warnings are therefore fatal.  Elsewhere
# -fstack-clash-protection, as with gcc.  s390x: refused (its assembly is
# GNU as's; clang would probe there, but is untested).
ifneq ($(findstring clang,$(notdir $(CC))),)
ifeq ($(ARCH),s390x)
$(error CC=clang is not supported on s390x: clang's assembler rejects the runtime's s390x assembly (start.S), so no clang build there has been tested; use gcc)
endif
CLANG_MISSING   := $(strip $(foreach t,ld.lld llvm-ar,$(if $(shell command -v $(t)),,$(t))))
ifneq ($(CLANG_MISSING),)
$(error CC=clang needs ld.lld and llvm-ar; missing: $(CLANG_MISSING) (Debian: apt-get install lld llvm))
endif
CLANG_TARGET    := --target=$(patsubst %-,%,$(CROSS_$(ARCH)))
CLANG_NOPROBE   := $(filter aarch64 riscv64 arm,$(ARCH))
FRAME_LIMIT     := $(if $(CLANG_NOPROBE),2048)
# gcc's flags that clang rejects or ignores (i386: clang refuses x87 maths
# beside -msse, and keeps floats in SSE registers).
CLANG_GCC_ONLY  := -fno-tree-loop-distribute-patterns -fstack-check --param \
		   stack-clash-protection-guard-size=12 -Wno-lto-type-mismatch \
		   -fstack-clash-protection -mfpmath=387 -ffat-lto-objects
REFUSED         := alloca_is_refused_without_stack_probes
CLANG_FRAMES    := $(if $(CLANG_NOPROBE),-Wframe-larger-than=$(FRAME_LIMIT) \
		   -Werror=frame-larger-than -Werror=vla -D__builtin_alloca=$(REFUSED) \
		   -D__builtin_alloca_with_align=$(REFUSED) -DCO_FRAME_LIMIT=$(FRAME_LIMIT), \
		   -fstack-clash-protection)
# riscv64: clang 14 hands neither -march nor -mabi to the link-time code
# generator (a user's -flto), which would otherwise make soft-float code.
CLANG_LINK_riscv64 := -Wl,-mllvm,-target-abi=lp64d -Xlinker -mllvm -Xlinker -mattr=+m,+a,+f,+d,+c
# arm: a function that never returns (and has no unwind table) would not
# store its return address, so its frame could go untouched below the
# guard argument's stores; with unwind tables (discarded by linker.ld),
# every function that calls another stores it.
CLANG_arm       := -funwind-tables
# CO_TARGET (make install's Cflags) carries the target, the frame limit.
CO_TARGET  := $(CLANG_TARGET) $(filter-out $(CLANG_GCC_ONLY),$(CO_TARGET)) $(CLANG_FRAMES) $(CLANG_$(ARCH))
CO_CFLAGS  := $(CLANG_TARGET) $(filter-out $(CLANG_GCC_ONLY),$(CO_CFLAGS)) $(CLANG_FRAMES) $(CLANG_$(ARCH))
CO_LTO     :=
CO_ASFLAGS := $(CLANG_TARGET) $(filter-out $(CLANG_GCC_ONLY),$(CO_ASFLAGS))
# CO_LINK (make install's Libs): the target, ld.lld.
CO_LINK    := $(CLANG_TARGET) -fuse-ld=lld -Qunused-arguments $(filter-out $(CLANG_GCC_ONLY),$(CO_LINK)) \
	      $(CLANG_$(ARCH))
CO_LDFLAGS := $(filter-out $(CLANG_GCC_ONLY),$(CO_LDFLAGS)) $(CLANG_TARGET) -fuse-ld=lld -Qunused-arguments \
	      -Wl,--fatal-warnings $(CLANG_LINK_$(ARCH)) $(CLANG_$(ARCH))
AR       := llvm-ar
ORACLE_CC = $(CC) $(CLANG_TARGET) -fuse-ld=lld -Wno-format
endif

ifeq ($(V),1)
Q :=
say :=
else ifneq ($(findstring s,$(firstword -$(MAKEFLAGS))),)
Q := @
say := @
else
Q := @
say = @printf '  %-6s %s\n' $(1) $(2);
endif

RT_SRCS := start.S switch.S sched.c cancel.c pool.c fault.c timer.c event.c io.c wait.c chan.c prio.c clock.c net.c syscalls.c boot.c print.c format.c mem.c proc.c clone.S signal.c helpers.c ssp.c $(RT_PIE)
obj = $(patsubst %,$(BUILD)/obj/%.o,$(basename $(1)))
LIB := $(BUILD)/libcoroutine.a

.PHONY: all run test test-build test-env oracle test-progs examples size app app-usage debug install uninstall clean FORCE
.PHONY: memcheck memcheck-build host-arch archs fuzz fuzz-build fuzz-replay fuzz-replay-build fuzz-targets
.DEFAULT_GOAL := all

# ./coroutines is the host's demo at the default settings' build directory
# (variant builds with another BUILD leave it alone).
all: $(BUILD)/coroutines $(if $(filter $(ARCH)/build/$(ARCH),$(HOST_ARCH)/$(BUILD)),coroutines)

# Rebuild everything when a setting changes: the flags are kept in a file
# that is rewritten only when they differ.  The line is fixed here, at parse
# time: the per-file additions below would otherwise leak into it from
# whichever target asked for the file first.  Users' own flags have a file
# of their own (build/<arch>/app/flags): giving them rebuilds users'
# programs, never the runtime.
FLAGS_LINE := $(strip $(CC) $(CO_CFLAGS) $(CO_LTO) $(CO_ASFLAGS) $(CO_LDFLAGS) $(CO_LDLIBS))
APP_FLAGS_LINE := $(strip $(FLAGS_LINE) | $(CPPFLAGS) | $(CFLAGS) | $(ASFLAGS) | $(LDFLAGS) | $(LDLIBS) | TINY=$(TINY))
write_flags = @mkdir -p $(@D); echo '$(1)' | cmp -s - $@ || echo '$(1)' > $@
$(BUILD)/flags: FORCE
	$(call write_flags,$(FLAGS_LINE))
$(BUILD)/app/flags: FORCE
	$(call write_flags,$(APP_FLAGS_LINE))

# Ours: the runtime, the demo, the tests, the examples (-Werror).
$(BUILD)/obj/%.o: %.c $(BUILD)/flags
	@mkdir -p $(@D)
	$(call say,CC,$@)$(CC) $(CO_CFLAGS) $(CO_WERROR) -MMD -MP -c -o $@ $<

$(BUILD)/obj/%.o: %.S $(BUILD)/flags
	@mkdir -p $(@D)
	$(call say,AS,$@)$(CC) $(CO_ASFLAGS) -MMD -MP -c -o $@ $<

# The runtime's C files with link-time optimisation, but for mem.c and
# ssp.c: the compiler emits calls to memcpy and its kin, and to
# __stack_chk_fail, only as it generates code, at the link, after LTO would
# have dropped them as unused.  ssp.c never with the stack protector: it
# sets the canary under its own frame.
RT_OBJS := $(call obj,$(RT_SRCS))
$(filter-out %/mem.o %/ssp.o %/reloc.o,$(RT_OBJS)): CO_CFLAGS += $(CO_LTO)
$(call obj,ssp.c): CO_CFLAGS += -fno-stack-protector
# ... nor syscalls.c: ssp.c calls syscall6 before the canary is set, and
# i386's keeps an array on its frame.
$(call obj,syscalls.c): CO_CFLAGS += -fno-stack-protector
# reloc.c runs before its own program is relocated: no jump table (a
# table of addresses may itself need relocating), and no LTO, which could
# mix other files' code into it (reloc.c's comment).
$(call obj,reloc.c): CO_CFLAGS += -fno-jump-tables
# The demo too: it has no top-level assembly, and 4096 bytes to keep to (a
# user's program may ask the same with CFLAGS=-flto).
$(call obj,demo.c): CO_CFLAGS += $(CO_LTO)

$(LIB): $(RT_OBJS)
	$(call say,AR,$@)rm -f $@ && $(AR) rcs $@ $^

# A program: its objects, then the runtime, then libgcc (arithmetic helpers).
link = $(call say,LD,$@)mkdir -p $(@D) && $(CC) $(CO_LDFLAGS) -o $@ $(1) $(LIB) $(CO_LDLIBS) $(PIE_CHECK)

$(BUILD)/coroutines: $(call obj,demo.c) $(LIB) $(LDSCRIPT)
	$(call link,$(call obj,demo.c))

coroutines: $(BUILD)/coroutines
	$(Q)cp $< $@

run: all
	$(RUNNER) $(BUILD)/coroutines $(ARGS)

# make app APP="prog.c [more.c more.S]": the program, named after the first
# file, in build/<arch>/bin/ (any name: nothing else goes there); its
# objects in build/<arch>/app/, under each source's absolute path.  The
# warnings but not -Werror; the user's CPPFLAGS and CFLAGS (ASFLAGS for .S)
# after ours, LDFLAGS after ours, LDLIBS before the runtime.
# TINY=1: the program in bin/ is stripped and has no section header table
# (build/sht, sht.c: docs/size.md); the program as linked, with its symbols
# and debug information, is kept beside its objects, app/<name>.full.
APP_NAME := $(basename $(notdir $(firstword $(APP))))
APP_OUT  := $(BUILD)/bin/$(APP_NAME)
APP_LINK := $(if $(filter 1,$(TINY)),$(BUILD)/app/$(APP_NAME).full,$(APP_OUT))
app_obj   = $(patsubst %,$(BUILD)/app%.o,$(basename $(abspath $(1))))
app: $(if $(APP),$(APP_OUT),app-usage)
app-usage:
	@echo 'usage: make app APP=path/to/prog.c [ARCH=...] [CPPFLAGS= CFLAGS= LDFLAGS= LDLIBS=]' >&2; exit 2
$(BUILD)/app/%.o: /%.c $(BUILD)/app/flags
	@mkdir -p $(@D)
	$(call say,CC,$@)$(CC) $(CO_CFLAGS) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<
$(BUILD)/app/%.o: /%.S $(BUILD)/app/flags
	@mkdir -p $(@D)
	$(call say,AS,$@)$(CC) $(CO_ASFLAGS) $(CPPFLAGS) $(ASFLAGS) -MMD -MP -c -o $@ $<
# A program built with -fstack-protector* asks for ssp.c at the link, as
# HARDEN=1 does (with CFLAGS=-flto nothing else would before LTO).
APP_SSP  := $(if $(findstring -fstack-protector,$(CPPFLAGS) $(CFLAGS)),-u __stack_chk_fail)
ifneq ($(APP),)
$(APP_OUT): $(call app_obj,$(APP)) $(LIB) $(LDSCRIPT) $(if $(filter 1,$(TINY)),$(SHT))
	$(call say,LD,$@)mkdir -p $(@D) && $(CC) $(CO_LDFLAGS) $(APP_SSP) $(LDFLAGS) -o $(APP_LINK) \
		$(call app_obj,$(APP)) $(LDLIBS) $(LIB) $(CO_LDLIBS) \
		$(if $(PIE_CHECK),&& sh tests/pie_check.sh $(READELF) $(APP_LINK))
ifeq ($(TINY),1)
	$(call say,SHT,$@)$(STRIP) -o $(APP_LINK).stripped $(APP_LINK) && $(SHT) $(APP_LINK).stripped $@
endif
endif

$(SHT): sht.c
	$(call say,HOSTCC,$@)mkdir -p $(@D) && $(HOSTCC) -std=gnu11 -O2 -Wall -Wextra -o $@ $<

# make debug [APP=prog.c] [ARGS="..."]: the demo (or APP's program) under
# gdb, with the coroutines extension (gdb/coroutines.py); another ARCH runs
# under qemu-<arch> -g on a free port, gdb-multiarch attached (gdb/debug.sh).
DEBUG_PROG := $(if $(APP),$(APP_OUT),$(BUILD)/coroutines)
debug: $(DEBUG_PROG)
	@sh gdb/debug.sh "$(RUNNER)" $(DEBUG_PROG) $(ARGS)

# The test programs: built like `make app` programs (-Werror besides), with
# the assembly the register and alignment tests need.
TESTS := $(patsubst tests/%.c,$(BUILD)/%,$(wildcard tests/t_*.c))
test-progs: all $(TESTS)
$(TESTS): $(BUILD)/%: $(BUILD)/obj/tests/%.o $(BUILD)/obj/tests/arch.o $(LIB) $(LDSCRIPT)
	$(call link,$(filter %.o,$^))
# t_ssp: every function protected, main included (ssp.c).
$(BUILD)/obj/tests/t_ssp.o: CO_CFLAGS += -fstack-protector-all

# examples/*.c, each a program of its own: build/<arch>/examples/echo, ...
EXAMPLES := $(patsubst examples/%.c,$(BUILD)/examples/%,$(wildcard examples/*.c))
examples: $(EXAMPLES)
$(EXAMPLES): $(BUILD)/examples/%: $(BUILD)/obj/examples/%.o $(LIB) $(LDSCRIPT)
	$(call link,$(filter %.o,$^))

# ---- install ---------------------------------------------------------------
# make install [PREFIX=/usr/local] [DESTDIR=] [ARCH=...]: what another build
# system needs, one tree per architecture, in Debian's multiarch layout
# (docs/install.md):
#   PREFIX/include/<tuple>/coroutines/    coroutine.h print.h syscalls.h
#   PREFIX/lib/<tuple>/libcoroutine.a     machine code (and LTO bytecode)
#   PREFIX/lib/<tuple>/coroutines.ld      the linker script
#   PREFIX/lib/<tuple>/pkgconfig/coroutines.pc
# so that  gcc -o prog prog.c $(pkg-config --cflags --libs coroutines)  builds
# a program like `make app` does (PKG_CONFIG_PATH=PREFIX/lib/<tuple>/pkgconfig
# for another architecture or prefix).  The settings (STACK_SIZE, ...) are
# the archive's, and the pkg-config file passes them on.
PREFIX  ?= /usr/local
VERSION := 0.1
HEADERS := coroutine.h print.h syscalls.h
TUPLE   := $(TUPLE_$(ARCH))
INC_DIR := $(DESTDIR)$(PREFIX)/include/$(TUPLE)/coroutines
LIB_DIR := $(DESTDIR)$(PREFIX)/lib/$(TUPLE)
define PC_FILE
prefix=$(PREFIX)
libdir=$${prefix}/lib/$(TUPLE)
includedir=$${prefix}/include/$(TUPLE)/coroutines

Name: coroutines
Description: A freestanding coroutine runtime for Linux, no libc ($(ARCH))
Version: $(VERSION)
Cflags: -I$${includedir} $(strip $(CO_TARGET))
Libs: -Wl,-T,$${libdir}/coroutines.ld $(strip $(CO_LINK)) -L$${libdir} -lcoroutine $(CO_LDLIBS)
endef
export PC_FILE
install: $(LIB)
	install -d $(INC_DIR) $(LIB_DIR)/pkgconfig
	install -m 644 $(HEADERS) $(INC_DIR)/
	install -m 644 $(LIB) $(LIB_DIR)/libcoroutine.a
	install -m 644 $(LDSCRIPT) $(LIB_DIR)/coroutines.ld
	printf '%s\n' "$$PC_FILE" > $(LIB_DIR)/pkgconfig/coroutines.pc
uninstall:
	rm -f $(addprefix $(INC_DIR)/,$(HEADERS)) $(LIB_DIR)/libcoroutine.a \
		$(LIB_DIR)/coroutines.ld $(LIB_DIR)/pkgconfig/coroutines.pc
	rmdir $(INC_DIR) 2>/dev/null || true

# Stripped sizes of the demo, the smallest program and each optional part,
# for every architecture with a compiler (ARCHS to choose), written into
# docs/figures.md.
size:
	@sh bench/size.sh $(ARCHS)

# ---- tests -----------------------------------------------------------------
# tests/run.sh builds with `make test-build ARCH=...`: the test programs and
# the examples at the default settings in build/test/<arch>/, and each
# variant below in a folder of its own there.  TEST_PROGS="small/t_pool
# one/t_pool ...", as tests/run.sh passes it, builds only those programs of
# the variants (a variant it names none of, nothing); without it, every
# program of every variant.
TEST_BUILD := build/test$(if $(filter 1,$(PIE)),-pie)/$(ARCH)
VARIANTS := small one noguard noreport big ubsan harden $(if $(filter $(ARCH),$(HOST_ARCH)),O0 O2)
VARIANT_small   := CAPACITY=4 STACK_SIZE=32768 PRIORITIES=32 # a small pool: its full-pool paths; 32 levels
VARIANT_one     := CAPACITY=1                       # a pool of one chunk
VARIANT_noguard := GUARD=0                          # no guard pages
VARIANT_noreport := FAULT_REPORT=0                  # no fault report
VARIANT_big     := CAPACITY=20000 STACK_SIZE=32768 PREFETCH=4 # a large pool: large tables; co_yield's prefetch
VARIANT_ubsan   := UBSAN=1                          # undefined behaviour traps
VARIANT_harden  := HARDEN=1                         # the stack protector everywhere
VARIANT_O0      := OPT=-O0                          # other optimisation levels
VARIANT_O2      := OPT=-O2

test:
	@sh tests/run.sh $(ARCHS)

# The host's architecture name and every architecture's, for scripts.
host-arch:
	@echo $(HOST_ARCH)
archs:
	@echo $(ALL_ARCHS)

test-build: $(addprefix test-build-,default $(VARIANTS))
test-build-default:
	@$(MAKE) --no-print-directory test-progs examples BUILD=$(TEST_BUILD)
	@$(MAKE) --no-print-directory oracle BUILD=$(TEST_BUILD)
	$(if $(filter $(ARCH),$(HOST_ARCH)),@$(MAKE) --no-print-directory fuzz-replay-build)

# The formatter's oracle: the runtime's print.o in a program of the host's
# C library, compared with its snprintf (host only; skipped without cc).
# Under clang, print.o is clang's: clang and ld.lld link it.
ORACLE_CC ?= cc
oracle: $(if $(filter $(ARCH),$(HOST_ARCH)),$(if $(shell command -v cc),$(BUILD)/format_oracle))
$(BUILD)/format_oracle: tests/format_oracle.c $(BUILD)/obj/print.o $(BUILD)/obj/format.o
	$(call say,HOSTCC,$@)$(ORACLE_CC) -std=gnu11 -O2 -flto -no-pie -I. -o $@ $^
variant_goals = $(if $(TEST_PROGS),$(addprefix $(TEST_BUILD)/,$(filter $(1)/%,$(TEST_PROGS))),test-progs examples)
test-build-%:
	$(if $(call variant_goals,$*),@$(MAKE) --no-print-directory $(call variant_goals,$*) \
		$(VARIANT_$*) BUILD=$(TEST_BUILD)/$*,@:)

# What tests/run.sh needs to know of an architecture, as shell assignments.
test-env:
	@echo "CC='$(CC)' RUNNER='$(RUNNER)' CROSS_COMPILE='$(CROSS_COMPILE)'"
	@echo "CAPACITY=$(CAPACITY) STACK_SIZE=$(STACK_SIZE) B=$(TEST_BUILD) VARIANTS='$(VARIANTS)' FRAME_LIMIT='$(FRAME_LIMIT)'"
	@echo "PIE=$(PIE)"

# valgrind's memcheck (docs/debugging.md): tests/memcheck.sh runs the demo,
# the tests and the echo server under it, built with VALGRIND=1 in a
# directory of their own, for the host (and i386 on an x86_64 host that runs
# i386 programs: tests/native.sh).
MEMCHECK_BUILD := build/memcheck/$(ARCH)
memcheck:
	@sh tests/memcheck.sh $(ARCHS)
memcheck-build:
	@$(MAKE) --no-print-directory test-progs examples VALGRIND=1 BUILD=$(MEMCHECK_BUILD)
	@$(MAKE) --no-print-directory app APP=tests/uninit.c VALGRIND=1 BUILD=$(MEMCHECK_BUILD)

# ---- fuzzing ---------------------------------------------------------------
# make fuzz (docs/testing.md): the parsers that read untrusted bytes, each a
# libFuzzer target in tests/fuzz/ built for the host with clang and the
# address and undefined-behaviour sanitizers: http (examples/http_parse.h),
# addr (net.c's addresses, inet_pton its oracle), format (format.c,
# snprintf its oracle).  The runtime's files are compiled unchanged, for the
# host.  Each runs FUZZ_TIME seconds (0: no limit), or FUZZ_RUNS inputs;
# FUZZ_TARGETS chooses, FUZZ_ARGS adds libFuzzer's options.  Kept under
# build/fuzz/<target>/: fuzzer, corpus/ (what it found, grown run after
# run), crashes/, log.  make fuzz-replay runs each target once on every
# input kept in tests/fuzz/<target>/ (the seeds and every input that once
# crashed), or on FUZZ_INPUT: build/fuzz/<target>/replay, built by any host
# compiler (with the sanitizers if it has them), so no libFuzzer is needed;
# make test runs it on the host.  tests/fuzz.sh does the work.
FUZZ_ALL     := http addr format
FUZZ_TARGETS ?= $(FUZZ_ALL)
FUZZ_TIME    ?= 60
FUZZ_RUNS    ?= -1
FUZZ_ARGS    ?=
FUZZ_INPUT   ?=
FUZZ_CC      ?= clang
REPLAY_CC    ?= cc
FUZZ_SRCS_http   := tests/fuzz/fuzz_http.c
FUZZ_SRCS_addr   := tests/fuzz/fuzz_addr.c net.c
FUZZ_SRCS_format := tests/fuzz/fuzz_format.c format.c print.c
FUZZ_DEPS    := $(wildcard *.h) examples/http_parse.h
FUZZ_CFLAGS  := -std=gnu11 -g -O1 -fno-omit-frame-pointer -I. -Wall -Wextra -Werror \
		-fno-sanitize-recover=all
# The replay's sanitizers, if REPLAY_CC links them (asked when it builds).
REPLAY_SAN    = $(shell echo 'int main(void){return 0;}' | $(REPLAY_CC) -fsanitize=address,undefined \
		-x c -o /dev/null - 2>/dev/null && echo -fsanitize=address,undefined)

define FUZZ_RULES
build/fuzz/$(1)/fuzzer: $(FUZZ_SRCS_$(1)) $(FUZZ_DEPS)
	$$(call say,FUZZCC,$$@)mkdir -p $$(@D) && $(FUZZ_CC) $(FUZZ_CFLAGS) \
		-fsanitize=fuzzer,address,undefined -o $$@ $(FUZZ_SRCS_$(1))
build/fuzz/$(1)/replay: tests/fuzz/replay.c $(FUZZ_SRCS_$(1)) $(FUZZ_DEPS)
	$$(call say,HOSTCC,$$@)mkdir -p $$(@D) && $(REPLAY_CC) $(FUZZ_CFLAGS) $$(REPLAY_SAN) \
		-o $$@ tests/fuzz/replay.c $(FUZZ_SRCS_$(1))
endef
$(foreach t,$(FUZZ_ALL),$(eval $(call FUZZ_RULES,$(t))))

fuzz:
	@FUZZ_CC='$(FUZZ_CC)' FUZZ_TIME='$(FUZZ_TIME)' FUZZ_RUNS='$(FUZZ_RUNS)' FUZZ_ARGS='$(FUZZ_ARGS)' \
		sh tests/fuzz.sh fuzz $(FUZZ_TARGETS)
fuzz-build: $(foreach t,$(FUZZ_TARGETS),build/fuzz/$(t)/fuzzer)
fuzz-replay: fuzz-replay-build
	@FUZZ_INPUT='$(FUZZ_INPUT)' sh tests/fuzz.sh replay $(FUZZ_TARGETS)
# Only where a host compiler is (the suite's SKIP line says so otherwise).
fuzz-replay-build: $(if $(shell command -v $(REPLAY_CC)),$(foreach t,$(FUZZ_TARGETS),build/fuzz/$(t)/replay))
fuzz-targets:
	@echo $(FUZZ_ALL)

# The benchmarks and the programs they are compared with (bench/bench.mk):
# make bench, make bench-scale.
include bench/bench.mk

clean:
	rm -rf build coroutines

-include $(shell find $(BUILD)/obj $(BUILD)/app -name '*.d' 2>/dev/null)
