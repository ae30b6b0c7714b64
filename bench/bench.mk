# bench/bench.mk - the benchmarks' part of the Makefile, which includes it:
# make bench, make bench-scale, the peers (other systems' programs, built by
# the host's compiler with its libc) and print-% for bench/table.sh.
#
# The benchmark programs are built as users' programs are (make app, into
# build/bench/<arch>/bin/), with CFLAGS=-Werror: they are ours.

.PHONY: bench bench-scale bench-syscalls

# The benchmark: the runtime as users get it, with a pool large enough for
# its 4096-coroutine ring and the 10,000 coroutines of its memory figure, in
# a build directory of its own.  On the host, bench/table.sh then measures
# the same ring on other systems (the peers, built below) and writes the
# table into docs/figures.md; under QEMU it prints the yield path's
# instruction count from the disassembly.  On the host, bench/echo.sh times
# the echo servers (ours, epoll callbacks, libuv) and bench/httpd.sh serves
# a page with examples/httpd.c and with nginx, under wrk.  BENCH_QUICK=1
# makes every run shorter and fewer: a test of the harness, not figures to
# publish (docs/benchmarks.md).
BENCH := CAPACITY=10000 STACK_SIZE=32768 BUILD=build/bench/$(ARCH) CFLAGS=-Werror
bench:
	@$(MAKE) -s app APP="bench/bench.c bench/ref.S" $(BENCH)
	@for p in bench/echo_epoll.c bench/echo_load.c bench/sleep.c examples/echo.c examples/httpd.c; do \
		$(MAKE) -s app APP=$$p $(BENCH) || exit 1; done
	@$(MAKE) -s BUILD=build/bench/$(ARCH)/demo
	@sh bench/run.sh build/bench/$(ARCH) "$(RUNNER)"
	@sh bench/table.sh build/bench/$(ARCH) "$(RUNNER)" $(CROSS_COMPILE)objdump
	@if [ -z "$(RUNNER)" ]; then sh bench/echo.sh build/bench/$(ARCH); fi
	@$(if $(filter 1,$(BENCH_QUICK)),SECS=1) sh bench/httpd.sh build/bench/$(ARCH) "$(RUNNER)"

# The peers: host programs (libc, the ordinary compiler, never the runtime)
# in build/bench/<arch>/peers/; bench/table.sh asks for each one it can
# build and names the package of any it cannot.
PEERS_DIR   := build/bench/$(ARCH)/peers
HOSTCC      ?= gcc
HOSTCXX     ?= g++
PEER_FLAGS  := -O2 -g -Wall -Wextra -pthread
PEER_LIBS_fcontext := -lboost_context
PEER_LIBS_fiber    := -lboost_fiber -lboost_context

$(PEERS_DIR)/peer.o: bench/peers/peer.c bench/peers/peer.h bench/peers/rss.h
	@mkdir -p $(@D)
	$(call say,HOSTCC,$@)$(HOSTCC) $(PEER_FLAGS) -c -o $@ $<
$(PEERS_DIR)/%: bench/peers/%.c $(PEERS_DIR)/peer.o
	$(call say,HOSTCC,$@)$(HOSTCC) $(PEER_FLAGS) -o $@ $< $(PEERS_DIR)/peer.o
$(PEERS_DIR)/%: bench/peers/%.cpp $(PEERS_DIR)/peer.o bench/peers/peer.h
	$(call say,HOSTCXX,$@)$(HOSTCXX) $(PEER_FLAGS) -o $@ $< $(PEERS_DIR)/peer.o $(PEER_LIBS_$*)
# fcontext.cpp again, with boost's protected_fixedsize_stack (a guard page each).
$(PEERS_DIR)/fcontext-protected: bench/peers/fcontext.cpp $(PEERS_DIR)/peer.o bench/peers/peer.h
	$(call say,HOSTCXX,$@)$(HOSTCXX) $(PEER_FLAGS) -DPROTECTED -o $@ $< $(PEERS_DIR)/peer.o $(PEER_LIBS_fcontext)
# The echo server on libuv: bench/echo.sh times it, bench/syscalls.sh
# counts its system calls.
$(PEERS_DIR)/echo_uv: bench/peers/echo_uv.c
	@mkdir -p $(@D)
	$(call say,HOSTCC,$@)$(HOSTCC) $(PEER_FLAGS) -o $@ $< -luv
# Go's channels (bench/peers/chan.go), built from bench/ by the host's Go
# toolchain (Debian's golang-go) with its cache, module path and temporary
# files under build/bench/<arch>/go/, so nothing is written outside build/;
# never the network (GOPROXY=off).  bench/table.sh skips it when $(GO) is
# missing.
GO      ?= go
GO_DIR  := $(abspath build/bench/$(ARCH)/go)
GO_ENV  := GOCACHE=$(GO_DIR)/cache GOPATH=$(GO_DIR)/path GOTMPDIR=$(GO_DIR)/tmp \
	GOENV=off GOPROXY=off GOFLAGS=-trimpath GOTOOLCHAIN=local GOTELEMETRY=off
$(PEERS_DIR)/chan: bench/peers/chan.go
	@mkdir -p $(@D) $(GO_DIR)/tmp
	$(call say,GO,$@)cd bench && env $(GO_ENV) $(GO) build -o $(abspath $@) peers/chan.go
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
# System calls per echo round trip (bench/syscalls.sh), on the host: our
# echo server, the callback server and libuv's (when libuv1-dev is there).
bench-syscalls:
	@for p in bench/echo_epoll.c bench/echo_load.c examples/echo.c; do \
		$(MAKE) -s app APP=$$p $(BENCH) || exit 1; done
	@$(MAKE) -s $(PEERS_DIR)/echo_uv 2>/dev/null || echo "(libuv1-dev missing: no libuv row)"
	@sh bench/syscalls.sh build/bench/$(ARCH) $(PEERS_DIR)

# A million coroutines: one pool of 1,000,000 chunks of 16 KiB with guards
# (guard regions where the kernel has them: mprotect would stop near 32,000
# chunks, at vm.max_map_count), 100,000 on the 32-bit architectures (a
# million chunks would not fit in their address space).
# Beside it, Go's goroutines (bench/peers/scale.go), on the host, built by
# the host's Go toolchain when there is one (GOCACHE and the program under
# build/bench/ only), and boost.context's raw switch on malloc'd stacks
# (bench/peers/scale_fcontext.cpp), built as the other peers are when
# libboost-context-dev is installed; bench/scale.sh prints a SKIP line for
# each one missing.
SCALE_CAP := $(if $(filter arm i386,$(ARCH)),100000,1000000)
GO        ?= go
SCALE_GO  := $(PEERS_DIR)/scale-go
SCALE_FC  := $(PEERS_DIR)/scale-fcontext
bench-scale:
	@$(MAKE) -s app APP=bench/scale.c CAPACITY=$(SCALE_CAP) STACK_SIZE=16384 GUARD=1 \
		BUILD=build/bench/$(ARCH)/scale CFLAGS=-Werror
	@$(MAKE) -s app APP=bench/scale.c CAPACITY=$(SCALE_CAP) STACK_SIZE=16384 GUARD=1 PREFETCH=4 \
		BUILD=build/bench/$(ARCH)/scale-prefetch CFLAGS=-Werror
	@if [ -z "$(RUNNER)" ] && command -v $(GO) >/dev/null; then $(MAKE) -s $(SCALE_GO); fi
	@rm -f $(SCALE_FC); if [ -z "$(RUNNER)" ]; then $(MAKE) -s $(SCALE_FC) 2>/dev/null || true; fi
	@sh bench/scale.sh build/bench/$(ARCH)/scale "$(RUNNER)" $(SCALE_GO) $(SCALE_FC)

$(SCALE_GO): bench/peers/scale.go
	@mkdir -p $(@D) build/bench/go
	$(call say,GO,$@)GOCACHE=$(CURDIR)/build/bench/go/cache GOPATH=$(CURDIR)/build/bench/go \
		GO111MODULE=off $(GO) build -o $@ bench/peers/scale.go

$(SCALE_FC): bench/peers/scale_fcontext.cpp bench/peers/rss.h
	@mkdir -p $(@D)
	$(call say,HOSTCXX,$@)$(HOSTCXX) $(PEER_FLAGS) -o $@ $< $(PEER_LIBS_fcontext)

# A variable's value, for bench/table.sh: make -s print-HOSTCXX
print-%:
	@echo '$($*)'
