#!/bin/sh
# tests/install.sh ARCH BUILD - make install and make uninstall, checked from
# a temporary prefix: the installed headers, archive, linker script and
# pkg-config file build a program with the architecture's gcc alone
#     $CC -o prog prog.c $(pkg-config --cflags --libs coroutines)
# that is static and freestanding (nm -u prints nothing) and runs (under
# QEMU for another architecture); and again through a linker that reads no
# LTO bytecode (under CC=clang, which installs machine code only: GNU ld).  BUILD is the build directory whose archive is installed
# (tests/run.sh passes build/test/<arch>, already built).
#
# Prints the checks as tests/check.h does (number, name, observed, [OK] or
# [FAIL]), for tests/run.sh to count; exit status 1 if any failed.
set -u
cd "$(dirname "$0")/.." || exit 2
arch=$1 build=$2
eval "$(make -s test-env ARCH="$arch")"            # CC, RUNNER, CROSS_COMPILE
. tests/check.sh                                 # check, $tmp
# the installed files, relative to the root they went into
files() { (cd "$1" && find . -type f | sort | tr '\n' ' '); }

cat >"$tmp/prog.c" <<'EOF'
#include "coroutine.h"
#include "print.h"

static void player(void *name)
{
	for (int i = 1; i <= 2; i++) {
		co_print("%s %d\n", (char *)name, i);
		co_yield();
	}
}

int main(void)
{
	co_spawn(player, "ping");
	co_spawn(player, "pong");
	return co_run() + 7;
}
EOF
printf 'ping 1\npong 1\nping 2\npong 2\n' >"$tmp/want"

make -s install ARCH="$arch" BUILD="$build" PREFIX="$tmp/usr" >"$tmp/log" 2>&1
st=$?
pc=$(find "$tmp/usr" -name coroutines.pc)
check "make install PREFIX=tmp" "status $st, $(files "$tmp/usr" | wc -w) files" \
	[ "$st" -eq 0 -a -n "$pc" -a "$(files "$tmp/usr" | wc -w)" -eq 6 ]
flags=$(PKG_CONFIG_PATH=$(dirname "${pc:-.}") pkg-config --cflags --libs coroutines 2>&1)
st=$?
check "pkg-config --cflags --libs coroutines" "status $st" [ "$st" -eq 0 -a -n "$pc" ]

# built by the compiler alone, then with the linker plugin off (no LTO read)
# (clang: GNU ld instead of ld.lld)
case $CC in
*clang*) hows="clang gnu-ld" other=-fuse-ld=bfd ;;
*) hows="gcc no-plugin" other=-fno-use-linker-plugin ;;
esac
for how in $hows; do
	extra=""; [ $how = "${hows#* }" ] && extra=$other
	$CC -o "$tmp/prog" "$tmp/prog.c" $flags $extra >"$tmp/log" 2>&1
	st=$?
	check "$how: builds" "status $st $(head -c 60 "$tmp/log")" [ "$st" -eq 0 ]
	und=$(${CROSS_COMPILE}nm -u "$tmp/prog" 2>&1)
	check "$how: nm -u prints nothing" "${und:-nothing}" [ "$st" -eq 0 -a -z "$und" ]
	timeout 60 $RUNNER "$tmp/prog" >"$tmp/out" 2>&1
	st=$?
	check "$how: runs, its lines and its status" "status $st" \
		eval '[ "$st" -eq 7 ] && cmp -s "$tmp/out" "$tmp/want"'
	rm -f "$tmp/prog"
done

make -s uninstall ARCH="$arch" PREFIX="$tmp/usr" >"$tmp/log" 2>&1
st=$?
left=$(files "$tmp/usr")
check "make uninstall removes every file" "status $st, ${left:-none left}" [ "$st" -eq 0 -a -z "$left" ]

# DESTDIR: the files under it, the pkg-config file naming PREFIX alone
make -s install ARCH="$arch" BUILD="$build" PREFIX=/opt/co DESTDIR="$tmp/stage" >"$tmp/log" 2>&1
st=$?
pc=$(find "$tmp/stage/opt/co" -name coroutines.pc 2>/dev/null)
check "make install DESTDIR=tmp PREFIX=/opt/co" "status $st, $(files "$tmp/stage" | wc -w) files" \
	eval '[ "$st" -eq 0 -a -n "$pc" ] && grep -qx "prefix=/opt/co" "$pc"'
make -s uninstall ARCH="$arch" PREFIX=/opt/co DESTDIR="$tmp/stage" >"$tmp/log" 2>&1
left=$(files "$tmp/stage")
check "make uninstall DESTDIR=tmp" "${left:-none left}" [ -z "$left" ]
[ "$failed" -eq 0 ]
