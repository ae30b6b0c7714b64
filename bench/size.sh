#!/bin/sh
# bench/size.sh [ARCH ...] - stripped sizes: the demo, the smallest program
# (bench/parts/base.c) and what each optional part adds to it
# (bench/parts/*.c), per architecture; printed, and written into
# docs/figures.md (section "size").  Architectures whose cross compiler is
# missing are skipped, with a line saying so.
set -u
cd "$(dirname "$0")/.." || exit 2
archs=${*:-x86_64 aarch64 riscv64 arm i386}
parts="join sleep fd wait sem chan select prio output format net"
out=$(mktemp) && trap 'rm -f "$out"' EXIT

{
	echo "Stripped sizes in bytes (GNU strip, default settings), from \`make size\`."
	echo "The demo (the tests keep it within 4096 bytes); *base*, bench/parts/base.c:"
	echo "two coroutines that take turns, no output; *spawn+yield+join*, base with"
	echo "co_join (bench/parts/join.c); then what each part adds to base"
	echo "(bench/parts/NAME.c). Every program carries the fault report and the guards."
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
	demo=$(stripped "$B/coroutines")
	for p in base $parts; do
		make -s ARCH="$arch" BUILD="$B" app APP=bench/parts/$p.c >/dev/null || exit 1
	done
	base=$(stripped "$B/base")
	row="| $arch | $demo | $base | $(stripped "$B/join") |"
	for p in $parts; do row="$row +$(($(stripped "$B/$p") - base)) |"; done
	echo "$row" >>"$out"
	# make size's own view: the demo, section by section
	printf '%s: demo %s bytes stripped;' "$arch" "$demo"
	${CROSS_COMPILE}size -A "$B/coroutines.stripped" | awk 'NR > 2 && $2 > 0 && $1 != "Total" {
		printf " %s %d%s", $1, $2, ($1 == ".bss" ? " (no file bytes)" : "") } END { print "" }'
done
echo
cat "$out"
. bench/figures.sh
figures_write size "$out"
