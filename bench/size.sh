#!/bin/sh
# bench/size.sh [ARCH ...] - stripped sizes: the demo, the smallest program
# (bench/parts/base.c) and what each optional part adds to it
# (bench/parts/*.c), per architecture, and examples/init.c beside tini-static
# and catatonit (when installed); printed, and written into
# docs/figures.md (section "size").  Architectures whose cross compiler is
# missing are skipped, with a line saying so.
set -u
cd "$(dirname "$0")/.." || exit 2
archs=${*:-$(make -s archs)}           # the Makefile names them all
parts="join sleep fd wait sem chan select prio output format proc signal net"
out=$(mktemp) && init=$(mktemp) && trap 'rm -f "$out" "$init"' EXIT

{
	echo "Stripped sizes in bytes (GNU strip, default settings), from \`make size\`."
	echo "The demo (the tests keep it within 4096 bytes); *base*, bench/parts/base.c:"
	echo "two coroutines that take turns, no output; *spawn+yield+join*, base with"
	echo "co_join (bench/parts/join.c); then what each part adds to base"
	echo "(bench/parts/NAME.c). Every program carries the fault report and the guards."
	echo "The parts are built as \`make app\` builds a program, its own files without"
	echo "link-time optimisation; the second row of each architecture with"
	echo "\`CFLAGS=-flto\` (docs/size.md). The demo is built with it."
	echo
	printf '| arch | demo | base | spawn+yield+join |'; for p in $parts; do printf ' +%s |' "$p"; done; echo
	printf '|---|---|---|---|'; for p in $parts; do printf -- '---|'; done; echo
} >"$out"

for arch in $archs; do
	eval "$(make -s test-env ARCH="$arch")"
	if ! command -v "$CC" >/dev/null 2>&1; then
		echo "SKIP $arch: $CC is not installed" >&2
		continue
	fi
	B=build/bench/$arch/size
	stripped() { ${CROSS_COMPILE}strip -o "$1.stripped" "$1" && wc -c <"$1.stripped"; }
	make -s ARCH="$arch" BUILD="$B" >/dev/null || exit 1
	make -s ARCH="$arch" BUILD="$B" "$B/examples/init" >/dev/null || exit 1
	echo "| init (examples/init.c) | $arch | $(stripped "$B/examples/init") |" >>"$init"
	demo=$(stripped "$B/coroutines")
	# users' programs as make app builds them, then with CFLAGS=-flto
	for lto in "" -flto; do
		for p in base $parts; do
			make -s ARCH="$arch" BUILD="$B" app APP=bench/parts/$p.c CFLAGS=$lto >/dev/null || exit 1
		done
		base=$(stripped "$B/bin/base")
		row="| $arch${lto:+, CFLAGS=$lto} | $demo | $base | $(stripped "$B/bin/join") |"
		for p in $parts; do row="$row +$(($(stripped "$B/bin/$p") - base)) |"; done
		echo "$row" >>"$out"
	done
	# make size's own view: the demo, section by section
	printf '%s: demo %s bytes stripped;' "$arch" "$demo"
	${CROSS_COMPILE}size -A "$B/coroutines.stripped" | awk 'NR > 2 && $2 > 0 && $1 != "Total" {
		printf " %s %d%s", $1, $2, ($1 == ".bss" ? " (no file bytes)" : "") } END { print "" }'
done
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
} >>"$out"
echo
cat "$out"
. bench/figures.sh
figures_write size "$out"
