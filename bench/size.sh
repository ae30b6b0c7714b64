#!/bin/sh
# bench/size.sh [ARCH ...] - stripped sizes: the demo, the smallest program
# (bench/parts/base.c) and what each optional part adds to it
# (bench/parts/*.c), per architecture, built by gcc and, where clang is
# installed, by clang (CC=clang) beside it; spawn+yield+join (join.c) also
# after sht.c's post-link step (make app TINY=1), with the fault report
# and without it (FAULT_REPORT=0); and examples/init.c beside
# tini-static and catatonit (when installed); then, after them, gcc's rows
# again with PIE=1 (static PIE: docs/boot.md), what it costs; and the
# instructions one co_yield executes on each architecture, counted from
# base's disassembly (bench/yieldpath.sh); printed, and written into
# docs/figures.md (section "size").  Architectures whose cross compiler is
# missing are skipped, with a line saying so.
set -u
cd "$(dirname "$0")/.." || exit 2
archs=${*:-$(make -s archs)}           # the Makefile names them all
parts="join sleep fd wait sem chan select selectfd prio output format proc signal net cancel"
out=$(mktemp) && init=$(mktemp) && yield=$(mktemp) && trap 'rm -f "$out" "$init" "$yield"' EXIT
make -s build/sht || exit 1            # the post-link step, a host program

{
	echo "Stripped sizes in bytes (GNU strip, default settings), from \`make size\`."
	echo "The demo (the tests keep gcc's within 4096 bytes); *base*, bench/parts/base.c:"
	echo "two coroutines that take turns, no output; *spawn+yield+join*, base with"
	echo "co_join (bench/parts/join.c); *TINY=1*, the same after the post-link step"
	echo "that drops the section header table (sht.c, as \`make app TINY=1\` does),"
	echo "and *TINY=1, FAULT_REPORT=0* without the fault report too (docs/size.md);"
	echo "then what each part adds to base (bench/parts/NAME.c). Every program but"
	echo "the FAULT_REPORT=0 one carries the fault report, and all the guards."
	echo "The parts are built as \`make app\` builds a program, its own files without"
	echo "link-time optimisation; the second row of each architecture and compiler"
	echo "with \`CFLAGS=-flto\` (docs/size.md). The demo is built with it (gcc)."
	echo "*cc*: the compiler, gcc or \`CC=clang\` (with ld.lld; docs/porting.md)."
	echo "The last rows, *gcc PIE=1*: gcc's programs built as static PIEs that relocate"
	echo "themselves (docs/boot.md), without \`CFLAGS=-flto\`; beside gcc's rows, what PIE costs."
	echo
	printf '| arch | cc | demo | base | spawn+yield+join | TINY=1 | TINY=1, FAULT_REPORT=0 |'
	for p in $parts; do printf ' +%s |' "$p"; done; echo
	printf '|---|---|---|---|---|---|---|'; for p in $parts; do printf -- '---|'; done; echo
} >"$out"

# row ARCH CC NAME [PIE]: build the demo and the parts with CC into a
# directory of their own and append the table's row (NAME in its cc
# column); PIE=1 builds (PIE 1): one row, without CFLAGS=-flto.
row() {
	arch=$1 cc=$2 name=$3 PIE=${4:-0}
	export PIE
	B=build/bench/$arch/size-$(echo "$name" | tr ' =' '-_')
	stripped() { ${CROSS_COMPILE}strip -o "$1.stripped" "$1" && wc -c <"$1.stripped"; }
	tiny() { stripped "$1" >/dev/null && build/sht "$1.stripped" "$1.tiny" && wc -c <"$1.tiny"; }
	make -s ARCH="$arch" CC="$cc" PIE="$PIE" BUILD="$B" >/dev/null || exit 1
	if [ "$name" = gcc ]; then      # init beside tini: gcc's build
		make -s ARCH="$arch" BUILD="$B" "$B/examples/init" >/dev/null || exit 1
		echo "| init (examples/init.c) | $arch | $(stripped "$B/examples/init") |" >>"$init"
	fi
	demo=$(stripped "$B/coroutines")
	# users' programs as make app builds them, then with CFLAGS=-flto
	for lto in "" $([ "$PIE" = 1 ] || echo -flto); do
		for p in base $parts; do
			make -s ARCH="$arch" CC="$cc" PIE="$PIE" BUILD="$B" app APP=bench/parts/$p.c CFLAGS=$lto \
				>/dev/null || exit 1
		done
		make -s ARCH="$arch" CC="$cc" BUILD="$B/noreport" FAULT_REPORT=0 app \
			APP=bench/parts/join.c CFLAGS=$lto >/dev/null || exit 1
		base=$(stripped "$B/bin/base")
		if [ -z "$lto" ]; then  # the yield path, from the unstripped file
			n=$(sh bench/yieldpath.sh "${CROSS_COMPILE}objdump" "$B/bin/base") || exit 1
			echo "| $arch | $name | $n |" >>"$yield"
		fi
		line="| $arch${lto:+, CFLAGS=$lto} | $name | $demo | $base | $(stripped "$B/bin/join") |"
		line="$line $(tiny "$B/bin/join") | $(tiny "$B/noreport/bin/join") |"
		for p in $parts; do line="$line +$(($(stripped "$B/bin/$p") - base)) |"; done
		echo "$line" >>"$out"
	done
	# make size's own view: the demo, section by section
	printf '%s (%s): demo %s bytes stripped;' "$arch" "$name" "$demo"
	${CROSS_COMPILE}size -A "$B/coroutines.stripped" | awk 'NR > 2 && $2 > 0 && $1 != "Total" {
		printf " %s %d%s", $1, $2, ($1 == ".bss" ? " (no file bytes)" : "") } END { print "" }'
}

for arch in $archs; do
	eval "$(make -s test-env ARCH="$arch")"
	if ! command -v "${CROSS_COMPILE}gcc" >/dev/null 2>&1; then
		echo "SKIP $arch: ${CROSS_COMPILE}gcc is not installed" >&2
		continue
	fi
	row "$arch" "${CROSS_COMPILE}gcc" gcc
	if ! command -v clang >/dev/null 2>&1 || ! command -v ld.lld >/dev/null 2>&1; then
		echo "SKIP $arch clang: clang or ld.lld is not installed" >&2
	elif ! why=$(make -s ARCH="$arch" CC=clang test-env 2>&1 >/dev/null); then
		echo "SKIP $arch clang: $why" >&2     # the Makefile refuses it there
	else
		row "$arch" clang clang
	fi
done
# What PIE costs: gcc's rows again, PIE=1.
for arch in $archs; do
	eval "$(make -s test-env ARCH="$arch")"
	command -v "${CROSS_COMPILE}gcc" >/dev/null 2>&1 && row "$arch" "${CROSS_COMPILE}gcc" "gcc PIE=1" 1
done
PIE=0
# examples/init.c beside the PID 1 programs people use, as Debian ships
# them for the host (static builds), stripped the same way.
{
	echo
	echo "examples/init.c beside Debian's static tini and catatonit (the host's"
	echo "packages), all stripped with GNU strip:"
	echo
	echo "| program | arch | bytes |"
	echo "|---|---|---|"
	cat "$init"
	for peer in tini:/usr/bin/tini-static catatonit:/usr/bin/catatonit; do
		f=${peer#*:}
		if [ -x "$f" ] && strip -o "$init.peer" "$f"; then
			echo "| $(basename "$f") | $(uname -m) | $(wc -c <"$init.peer") |"
		else
			echo "SKIP $(basename "$f"): not installed (apt-get install ${peer%%:*})" >&2
		fi
		rm -f "$init.peer"
	done
	echo
	echo "Instructions one \`co_yield\` executes (another coroutine ready, the FP"
	echo "control state the same on both sides; the call not counted), from the"
	echo "disassembly of base as \`make app\` builds it (bench/yieldpath.sh: every"
	echo "architecture, no emulator timing; docs/switch.md):"
	echo
	echo "| arch | cc | instructions per co_yield |"
	echo "|---|---|---|"
	cat "$yield"
} >>"$out"
echo
cat "$out"
. bench/figures.sh
figures_write size "$out"
