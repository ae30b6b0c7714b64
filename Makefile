# coroutines - a freestanding coroutine runtime and its demo.
#
#   make                    ./coroutines for the host (and build/<arch>/...)
#   make run [ARGS="3 4"]   build and run the demo
#   make debug [APP=...]    the demo (or APP) under gdb, QEMU's too
#   make test [ARCHS="..."] build and run every test (every available arch)
#   make memcheck           the demo, tests and echo under valgrind's memcheck
#   make bench              build and run the benchmarks, beside other systems
#   make bench-scale        10,000 to 1,000,000 coroutines in one process
#   make size [ARCHS=...]   stripped sizes: demo, smallest program, each part
#   make examples           build/<arch>/echo, a TCP echo server
#   make app APP=prog.c     build your own program into build/<arch>/prog
#   make clean
#
# Outputs never share a path: build/<arch>/ holds the runtime, the demo, the
# examples and your programs; the tests build into build/test/<arch>/ and the
# benchmarks into build/bench/<arch>/, memcheck's into build/memcheck/<arch>/.
#
# Settings: ARCH (x86_64 aarch64 riscv64 arm i386), CROSS_COMPILE,
# STACK_SIZE, CAPACITY, GUARD, PRIORITIES, VALGRIND, UBSAN, V=1 to see the
# commands.
# Changing a setting rebuilds what depends on it; no `make clean` needed.

HOST_ARCH := $(shell uname -m | sed -e 's/^i[3-6]86$$/i386/' -e 's/^armv[6-8].*/arm/')
ARCH ?= $(HOST_ARCH)
# The settings' defaults live in coroutine.h, the one place for them.
default = $(shell sed -n 's/^\#define CO_$(1) *\([0-9]*\).*/\1/p' coroutine.h)
STACK_SIZE ?= $(call default,STACK_SIZE)
CAPACITY ?= $(call default,CAPACITY)
GUARD ?= $(call default,GUARD)
PRIORITIES ?= $(call default,PRIORITIES)
VALGRIND ?= $(call default,VALGRIND)
UBSAN ?= 0
STACK_SIZE := $(STACK_SIZE)
CAPACITY := $(CAPACITY)
GUARD := $(GUARD)
PRIORITIES := $(PRIORITIES)
VALGRIND := $(VALGRIND)
BUILD ?= build/$(ARCH)

# ---- per-architecture table --------------------------------------------
CROSS_x86_64  := x86_64-linux-gnu-
CROSS_aarch64 := aarch64-linux-gnu-
CROSS_riscv64 := riscv64-linux-gnu-
CROSS_arm     := arm-linux-gnueabihf-
CROSS_i386    := i686-linux-gnu-

QEMU_x86_64   := qemu-x86_64
QEMU_aarch64  := qemu-aarch64
QEMU_riscv64  := qemu-riscv64
QEMU_arm      := qemu-arm
QEMU_i386     := qemu-i386

FLAGS_x86_64  :=
FLAGS_aarch64 :=
FLAGS_riscv64 := -march=rv64gc -mabi=lp64d
FLAGS_arm     := -mthumb -march=armv7-a -mfpu=vfpv3-d16 -mfloat-abi=hard
FLAGS_i386    := -march=i686 -msse -mfpmath=387

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

# arm: libgcc's 64-bit division calls __aeabi_ldiv0 on a division by zero;
# ours (mem.c) must be the one linked, not libgcc's, which calls raise().
LINK_arm      := -Wl,-u,__aeabi_ldiv0 -Wl,-u,__aeabi_idiv0

ifeq ($(origin CROSS_$(ARCH)),undefined)
$(error unknown ARCH '$(ARCH)': use one of x86_64 aarch64 riscv64 arm i386)
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

# ---- flags ---------------------------------------------------------------
# The runtime, the demo, the tests and every `make app` program share them.
# Link-time optimisation: the runtime is many small functions in several
# files, and a program calls few of them; compiled as one, they inline into
# each other (the demo is a tenth smaller).  Debug information (-g) in every
# build, the assembly's included (line numbers; its CFI is in the source):
# the unstripped file carries it, the stripped one not a byte of it.
OPT ?= -Os
CONFIG   := -DCO_STACK_SIZE=$(STACK_SIZE) -DCO_CAPACITY=$(CAPACITY) -DCO_GUARD=$(GUARD) \
	    -DCO_PRIORITIES=$(PRIORITIES) -DCO_VALGRIND=$(VALGRIND)
# Debugging builds (docs/debugging.md).  VALGRIND=1: memcheck's client
# requests, from valgrind's own header (it needs only the compiler's
# <stdarg.h>).  UBSAN=1: undefined behaviour traps (SIGILL or SIGTRAP), no
# runtime library needed.
VALGRIND_INC ?= /usr/include/valgrind
DEBUG    := $(if $(filter 1,$(VALGRIND)),-isystem $(VALGRIND_INC)) \
	    $(if $(filter 1,$(UBSAN)),-fsanitize=undefined -fsanitize-undefined-trap-on-error)
CFLAGS   := -std=gnu11 $(OPT) -ffreestanding -fno-pie -fno-stack-protector -fomit-frame-pointer \
	    -fno-asynchronous-unwind-tables -fno-unwind-tables -fno-ident \
	    -ffunction-sections -fdata-sections -fno-tree-loop-distribute-patterns \
	    $(CLASH_$(ARCH)) -g -flto -Wall -Wextra -Werror $(FLAGS_$(ARCH)) $(CONFIG) $(DEBUG) -I.
ASFLAGS  := -g $(FLAGS_$(ARCH)) $(CONFIG) -I.
# The link compiles too (LTO): the same flags; main may be declared with
# fewer parameters than _co_start_c passes, as C allows.
LDFLAGS  := $(filter -O% -f% -g,$(CFLAGS)) -Wno-lto-type-mismatch \
	    -nostdlib -static -no-pie -T linker.ld -Wl,--gc-sections \
	    -Wl,--build-id=none -Wl,-z,noexecstack -Wl,-z,norelro \
	    -Wl,-u,_start -Wl,--orphan-handling=warn $(FLAGS_$(ARCH)) $(LINK_$(ARCH))
LDLIBS   := -lgcc

# ---- CC=clang ------------------------------------------------------------
# Every clang-specific flag is here (docs/porting.md).  clang cross-compiles
# to every ARCH by itself (--target=, the triple of CROSS_<arch>); it finds
# the Debian cross toolchain's headers and libgcc on its own.  Its LTO
# objects are LLVM bitcode: ld.lld links them, llvm-ar archives them.
# Probes: clang 14 has stack-clash probes only on x86 (x86_64, i386).  On
# aarch64, riscv64 and arm it has none, so no frame may be larger than
# FRAME_LIMIT, half the guard: each function stores into its own frame (its
# return address) before it calls, so two successive stores down the stack
# are less than two frames apart, and cannot step over a guard page.  Frames
# whose size is not known at build time (VLAs, alloca) are refused there.
# The limit is checked where the code is generated: in ld.lld for LTO
# objects, whose warnings are therefore fatal.
ifneq ($(findstring clang,$(notdir $(CC))),)
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
		   -fstack-clash-protection -mfpmath=387
REFUSED         := alloca_is_refused_without_stack_probes
CLANG_FRAMES    := $(if $(CLANG_NOPROBE),-Wframe-larger-than=$(FRAME_LIMIT) \
		   -Werror=frame-larger-than -Werror=vla -D__builtin_alloca=$(REFUSED) \
		   -D__builtin_alloca_with_align=$(REFUSED) -DCO_FRAME_LIMIT=$(FRAME_LIMIT), \
		   -fstack-clash-protection)
# riscv64: clang 14 hands neither -march nor -mabi to the link-time code
# generator, which would otherwise make soft-float code.
CLANG_LINK_riscv64 := -Wl,-mllvm,-target-abi=lp64d -Xlinker -mllvm -Xlinker -mattr=+m,+a,+f,+d,+c
# arm: a function that never returns (and has no unwind table) would not
# store its return address, so its frame could go untouched below the
# guard argument's stores; with unwind tables (discarded by linker.ld),
# every function that calls another stores it.
CLANG_arm       := -funwind-tables
CFLAGS   := $(CLANG_TARGET) $(filter-out $(CLANG_GCC_ONLY),$(CFLAGS)) $(CLANG_FRAMES) $(CLANG_$(ARCH))
ASFLAGS  := $(CLANG_TARGET) $(filter-out $(CLANG_GCC_ONLY),$(ASFLAGS))
LDFLAGS  := $(CLANG_TARGET) -fuse-ld=lld -Qunused-arguments $(filter-out $(CLANG_GCC_ONLY),$(LDFLAGS)) \
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

RT_SRCS := start.S switch.S sched.c timer.c event.c wait.c chan.c prio.c clock.c syscalls.c print.c mem.c
obj = $(patsubst %,$(BUILD)/obj/%.o,$(basename $(1)))
LIB := $(BUILD)/libcoroutine.a

.PHONY: all run test test-build test-env oracle test-progs examples bench bench-scale size app clean FORCE
.PHONY: memcheck memcheck-build
.DEFAULT_GOAL := all

# ./coroutines is the host's demo at the default settings' build directory
# (variant builds with another BUILD leave it alone).
all: $(BUILD)/coroutines $(if $(filter $(ARCH)/build/$(ARCH),$(HOST_ARCH)/$(BUILD)),coroutines)

# Rebuild everything when a setting changes: the flags are kept in a file
# that is rewritten only when they differ.  The line is fixed here, at parse
# time: the per-file additions below would otherwise leak into it from
# whichever target asked for the file first.
FLAGS_LINE := $(strip $(CC) $(CFLAGS) $(ASFLAGS) $(LDFLAGS) $(LDLIBS))
$(BUILD)/flags: FORCE
	@mkdir -p $(@D)
	@echo '$(FLAGS_LINE)' | cmp -s - $@ || echo '$(FLAGS_LINE)' > $@

$(BUILD)/obj/%.o: %.c $(BUILD)/flags
	@mkdir -p $(@D)
	$(call say,CC,$@)$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<


# Called only by generated code (mem.c): no LTO, which would drop them.
$(BUILD)/obj/mem.o: CFLAGS += -fno-lto

$(BUILD)/obj/%.o: %.S $(BUILD)/flags
	@mkdir -p $(@D)
	$(call say,AS,$@)$(CC) $(ASFLAGS) -MMD -MP -c -o $@ $<

$(LIB): $(call obj,$(RT_SRCS))
	$(call say,AR,$@)rm -f $@ && $(AR) rcs $@ $^

# A program: its objects, then the runtime, then libgcc (arithmetic helpers).
link = $(call say,LD,$@)$(CC) $(LDFLAGS) -o $@ $(1) $(LIB) $(LDLIBS)

$(BUILD)/coroutines: $(call obj,demo.c) $(LIB) linker.ld
	$(call link,$(call obj,demo.c))

coroutines: $(BUILD)/coroutines
	$(Q)cp $< $@

run: all
	$(RUNNER) $(BUILD)/coroutines $(ARGS)

# make app APP="prog.c [more.c more.S]": the program is named after the first.
# An example's own source builds that example; any other program may not
# take a name the build directory already uses.
APP_NAME := $(basename $(notdir $(firstword $(APP))))
APP_OUT  := $(BUILD)/$(APP_NAME)
TAKEN    := obj flags coroutines libcoroutine $(patsubst examples/%.c,%,$(wildcard examples/*.c))
app: $(if $(APP),$(APP_OUT),app-usage)
app-usage:
	@echo 'usage: make app APP=path/to/prog.c [ARCH=...]' >&2; exit 2
ifneq ($(APP),)
ifneq ($(APP),examples/$(APP_NAME).c)
ifneq ($(filter $(APP_NAME),$(TAKEN)),)
$(error make app: the name '$(APP_NAME)' is taken in $(BUILD)/ (by the runtime, the demo or an example): rename $(firstword $(APP)))
endif
$(APP_OUT): $(call obj,$(APP)) $(LIB) linker.ld
	$(call link,$(call obj,$(APP)))
endif
endif

# make debug [APP=prog.c] [ARGS="..."]: the demo (or APP's program) under
# gdb, with the coroutines extension (gdb/coroutines.py); another ARCH runs
# under qemu-<arch> -g on a free port, gdb-multiarch attached (gdb/debug.sh).
DEBUG_PROG := $(if $(APP),$(APP_OUT),$(BUILD)/coroutines)
debug: $(DEBUG_PROG)
	@sh gdb/debug.sh "$(RUNNER)" $(DEBUG_PROG) $(ARGS)

# The test programs: built exactly like `make app` programs, with the
# assembly the register and alignment tests need.
TESTS := $(patsubst tests/%.c,$(BUILD)/%,$(wildcard tests/t_*.c))
test-progs: all $(TESTS)
$(TESTS): $(BUILD)/%: $(BUILD)/obj/tests/%.o $(BUILD)/obj/tests/arch.o $(LIB) linker.ld
	$(call link,$(filter %.o,$^))

# examples/*.c, each a program of its own: build/<arch>/echo, ...
EXAMPLES := $(patsubst examples/%.c,$(BUILD)/%,$(wildcard examples/*.c))
examples: $(EXAMPLES)
$(EXAMPLES): $(BUILD)/%: $(BUILD)/obj/examples/%.o $(LIB) linker.ld
	$(call link,$(filter %.o,$^))

# Stripped sizes of the demo, the smallest program and each optional part,
# for every architecture with a compiler (ARCHS to choose), written into
# docs/figures.md.
size:
	@sh bench/size.sh $(ARCHS)

# ---- tests -----------------------------------------------------------------
# tests/run.sh builds with `make test-build ARCH=...`: the test programs and
# the examples at the default settings in build/test/<arch>/, and each
# variant below in a folder of its own there.
TEST_BUILD := build/test/$(ARCH)
VARIANTS := small one noguard big ubsan $(if $(filter $(ARCH),$(HOST_ARCH)),O0 O2)
VARIANT_small   := CAPACITY=4 STACK_SIZE=32768 PRIORITIES=32 # a small pool: its full-pool paths; 32 levels
VARIANT_one     := CAPACITY=1                       # a pool of one chunk
VARIANT_noguard := GUARD=0                          # no guard pages
VARIANT_big     := CAPACITY=20000 STACK_SIZE=32768  # a large pool: large tables
VARIANT_ubsan   := UBSAN=1                          # undefined behaviour traps
VARIANT_O0      := OPT=-O0                          # other optimisation levels
VARIANT_O2      := OPT=-O2

test:
	@sh tests/run.sh $(ARCHS)

test-build: $(addprefix test-build-,default $(VARIANTS))
test-build-default:
	@$(MAKE) --no-print-directory test-progs examples BUILD=$(TEST_BUILD)
	@$(MAKE) --no-print-directory oracle BUILD=$(TEST_BUILD)

# The formatter's oracle: the runtime's print.o in a program of the host's
# C library, compared with its snprintf (host only; skipped without cc).
# Under clang, print.o is LLVM bitcode: clang and ld.lld link it.
ORACLE_CC ?= cc
oracle: $(if $(filter $(ARCH),$(HOST_ARCH)),$(if $(shell command -v cc),$(BUILD)/format_oracle))
$(BUILD)/format_oracle: tests/format_oracle.c $(BUILD)/obj/print.o
	$(call say,HOSTCC,$@)$(ORACLE_CC) -std=gnu11 -O2 -flto -no-pie -I. -o $@ $^
test-build-%:
	@$(MAKE) --no-print-directory test-progs examples $(VARIANT_$*) BUILD=$(TEST_BUILD)/$*

# What tests/run.sh needs to know of an architecture, as shell assignments.
test-env:
	@echo "CC='$(CC)' RUNNER='$(RUNNER)' CROSS_COMPILE='$(CROSS_COMPILE)'"
	@echo "CAPACITY=$(CAPACITY) STACK_SIZE=$(STACK_SIZE) B=$(TEST_BUILD) FRAME_LIMIT='$(FRAME_LIMIT)'"

# valgrind's memcheck (docs/debugging.md): tests/memcheck.sh runs the demo,
# the tests and the echo server under it, built with VALGRIND=1 in a
# directory of their own, for the host (and i386 on an x86_64 host).
MEMCHECK_BUILD := build/memcheck/$(ARCH)
memcheck:
	@sh tests/memcheck.sh $(ARCHS)
memcheck-build:
	@$(MAKE) --no-print-directory test-progs examples VALGRIND=1 BUILD=$(MEMCHECK_BUILD)
	@$(MAKE) --no-print-directory app APP=tests/uninit.c VALGRIND=1 BUILD=$(MEMCHECK_BUILD)

# The benchmark: the runtime as users get it, with a pool large enough for
# its 4096-coroutine ring and the 10,000 coroutines of its memory figure, in
# a build directory of its own.  On the host, bench/table.sh then measures
# the same ring on other systems (the peers, built below) and writes the
# table into docs/figures.md; under QEMU it prints the yield path's
# instruction count from the disassembly.
BENCH := CAPACITY=10000 STACK_SIZE=32768 BUILD=build/bench/$(ARCH)
bench:
	@$(MAKE) -s app APP="bench/bench.c bench/ref.S" $(BENCH)
	@for p in bench/echo_epoll.c bench/echo_load.c bench/sleep.c examples/echo.c; do \
		$(MAKE) -s app APP=$$p $(BENCH) || exit 1; done
	@$(MAKE) -s BUILD=build/bench/$(ARCH)/demo
	@sh bench/run.sh build/bench/$(ARCH) "$(RUNNER)"
	@sh bench/table.sh build/bench/$(ARCH) "$(RUNNER)" $(CROSS_COMPILE)objdump

# The peers: host programs (libc, the ordinary compiler, never the runtime)
# in build/bench/<arch>/peers/; bench/table.sh asks for each one it can
# build and names the package of any it cannot.
PEERS_DIR   := build/bench/$(ARCH)/peers
HOSTCC      ?= gcc
HOSTCXX     ?= g++
PEER_FLAGS  := -O2 -g -Wall -Wextra -pthread
PEER_LIBS_fcontext := -lboost_context
PEER_LIBS_fiber    := -lboost_fiber -lboost_context

$(PEERS_DIR)/peer.o: bench/peers/peer.c bench/peers/peer.h
	@mkdir -p $(@D)
	$(call say,HOSTCC,$@)$(HOSTCC) $(PEER_FLAGS) -c -o $@ $<
$(PEERS_DIR)/%: bench/peers/%.c $(PEERS_DIR)/peer.o
	$(call say,HOSTCC,$@)$(HOSTCC) $(PEER_FLAGS) -o $@ $< $(PEERS_DIR)/peer.o
$(PEERS_DIR)/%: bench/peers/%.cpp $(PEERS_DIR)/peer.o bench/peers/peer.h
	$(call say,HOSTCXX,$@)$(HOSTCXX) $(PEER_FLAGS) -o $@ $< $(PEERS_DIR)/peer.o $(PEER_LIBS_$*)
# Exec to exit: the timer, and a static hello on each libc.
$(PEERS_DIR)/exectime: bench/peers/exectime.c
	@mkdir -p $(@D)
	$(call say,HOSTCC,$@)$(HOSTCC) $(PEER_FLAGS) -o $@ $<
$(PEERS_DIR)/hello-glibc: bench/peers/hello.c
	@mkdir -p $(@D)
	$(call say,HOSTCC,$@)$(HOSTCC) -O2 -static -o $@ $<
$(PEERS_DIR)/hello-musl: bench/peers/hello.c
	@mkdir -p $(@D)
	$(call say,MUSLCC,$@)musl-gcc -O2 -static -o $@ $<

# A million coroutines: one pool of 1,000,000 chunks of 16 KiB with guards
# (guard regions where the kernel has them: mprotect would stop near 32,000
# chunks, at vm.max_map_count), 100,000 on the 32-bit architectures (a
# million chunks would not fit in their address space).
SCALE_CAP := $(if $(filter arm i386,$(ARCH)),100000,1000000)
bench-scale:
	@$(MAKE) -s app APP=bench/scale.c CAPACITY=$(SCALE_CAP) STACK_SIZE=16384 GUARD=1 \
		BUILD=build/bench/$(ARCH)/scale
	@sh bench/scale.sh build/bench/$(ARCH)/scale "$(RUNNER)"

# A variable's value, for bench/table.sh: make -s print-HOSTCXX
print-%:
	@echo '$($*)'

clean:
	rm -rf build coroutines

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
