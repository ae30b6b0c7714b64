#!/bin/sh
# tests/build.sh - what `make app` promises a user, on the host, in the
# build directory of the host's tests (build/test/<arch>/, already built by
# make test-build, so the runtime is not built again):
#   - a program may have any name: one named like the runtime's outputs, the
#     demo, an example or a test variant goes to bin/ and runs, and neither
#     it nor they are overwritten, nor deleted by `make test-build`;
#   - users' programs get the warnings but not -Werror;
#   - CPPFLAGS, CFLAGS, LDFLAGS and LDLIBS on make's command line reach the
#     program, and not the runtime.
#
# Prints the checks as tests/check.h does (number, name, observed, [OK] or
# [FAIL]), for tests/run.sh to count; exit status 1 if any failed.
set -u
cd "$(dirname "$0")/.." || exit 2
arch=$(make -s print-HOST_ARCH)
eval "$(make -s test-env ARCH="$arch")"            # CC, RUNNER, B
. tests/check.sh                                 # check, $tmp
app() { make app ARCH="$arch" BUILD="$B" "$@" >"$tmp/log" 2>&1; }

# ---- names: any, in bin/ ----------------------------------------------------
for name in small coroutines echo flags; do
	printf 'int main(void) { return 42; }\n' >"$tmp/$name.c"
	app APP="$tmp/$name.c"; st=$?
	timeout 60 $RUNNER "$B/bin/$name"; run=$?
	check "make app of a program named $name" "status $st, runs: $run" [ "$st" -eq 0 -a "$run" -eq 42 ]
done
timeout 60 $RUNNER "$B/coroutines" 1 1 >"$tmp/out" 2>&1; st=$?
check "the demo is still the demo" "status $st" eval '[ "$st" -eq 0 ] && grep -q "^done" "$tmp/out"'
cp "$B/bin/small" "$tmp/small.bin"
make -s test-build ARCH="$arch" TEST_PROGS=small/t_pool >"$tmp/log" 2>&1; st=$?
check "make test-build leaves bin/small alone" "status $st" cmp -s "$B/bin/small" "$tmp/small.bin"
timeout 60 $RUNNER "$B/small/t_pool" >/dev/null 2>&1; st=$?
check "  ... and the variant small/ is its own" "t_pool status $st" [ "$st" -eq 0 ]

# ---- warnings, not errors ----------------------------------------------------
cat >"$tmp/unused.c" <<'EOF'
#include "coroutine.h"

static void body(void *arg) { }         /* ignores arg: a warning */

int main(void) { co_spawn(body, 0); return co_run() + 5; }
EOF
app APP="$tmp/unused.c"; st=$?
timeout 60 $RUNNER "$B/bin/unused"; run=$?
check "unused parameter: a warning, not an error" "status $st, runs: $run" \
	eval '[ "$st" -eq 0 -a "$run" -eq 5 ] && grep -q "unused parameter" "$tmp/log"'

# ---- the user's flags ----------------------------------------------------------
# X from CPPFLAGS, -O2 from CFLAGS (no __OPTIMIZE_SIZE__ then), a symbol
# from LDFLAGS (main + 7: a PIE=1 program moves with its load base, so a
# fixed address would not stay fixed), a library (and its directory) from
# LDLIBS and LDFLAGS.
cat >"$tmp/flags.c" <<'EOF'
#include "coroutine.h"

extern char user_ld[];
int extra(void);

int main(void)
{
#if !defined(X)
	return 1;
#elif defined(__OPTIMIZE_SIZE__)
	return 2;
#else
	return (unsigned long)user_ld == (unsigned long)main + 7 ? X * 10 + extra() : 3;
#endif
}
EOF
mkdir "$tmp/lib"
printf 'int extra(void) { return 2; }\n' >"$tmp/extra.c"
$CC -ffreestanding -fno-pie -O2 -c -o "$tmp/extra.o" "$tmp/extra.c" && ar rcs "$tmp/lib/libextra.a" "$tmp/extra.o"
app APP="$tmp/flags.c" CPPFLAGS=-DX=3 CFLAGS=-O2 LDFLAGS="-L$tmp/lib -Wl,--defsym=user_ld=main+7" LDLIBS=-lextra
st=$?
timeout 60 $RUNNER "$B/bin/flags"; run=$?
check "CPPFLAGS, CFLAGS, LDFLAGS, LDLIBS reach it" "status $st, runs: $run (want 32)" [ "$st" -eq 0 -a "$run" -eq 32 ]
rt=$(grep -E '^ +(CC|AS|AR) .*(/obj/|libcoroutine)' "$tmp/log" | head -1)
check "  ... and do not rebuild the runtime" "${rt:-nothing of it rebuilt}" [ -z "$rt" ]
# ---- sht.c, TINY=1's post-link step: what it refuses ------------------------
# Each refused file is left as it was, with one line on stderr and status
# 65; a file with no section table is left alone (0); usage, 2.
make -s build/sht >"$tmp/log" 2>&1
strip -o "$tmp/ok" "$B/bin/unused"
cp "$tmp/ok" "$tmp/appended" && echo data >>"$tmp/appended"
printf 'not a program\n' >"$tmp/text"
head -c 100 "$tmp/ok" >"$tmp/short"
cp "$B/bin/unused" "$tmp/unstripped"
for case in "text:not an ELF file" "short:past the end of the file" \
	"unstripped:not stripped" "appended:is not the section table's"; do
	f=$tmp/${case%%:*} want=${case#*:}
	cp "$f" "$f.before"
	build/sht "$f" 2>"$tmp/err"; st=$?
	check "sht refuses ${case%%:*}: status 65, file kept" "status $st" \
		eval '[ "$st" -eq 65 ] && grep -q "^sht: .*$want" "$tmp/err" && cmp -s "$f" "$f.before"'
done
build/sht "$tmp/ok" "$tmp/tiny"; st=$?
build/sht "$tmp/tiny" 2>"$tmp/err"; st2=$?
cp "$tmp/tiny" "$tmp/tiny.before"
check "sht: done (0), then nothing to do (0)" "status $st, then $st2" \
	eval '[ "$st" -eq 0 -a "$st2" -eq 0 ] && [ ! -s "$tmp/err" ] && cmp -s "$tmp/tiny" "$tmp/tiny.before"'
build/sht "$tmp/ok" "$tmp/nowhere/x" 2>"$tmp/err"; st=$?
check "sht: cannot write, status 74" "status $st" eval '[ "$st" -eq 74 ] && [ ! -e "$tmp/nowhere" ]'
build/sht 2>"$tmp/err"; st=$?
check "sht without a file: usage, status 2" "status $st" eval '[ "$st" -eq 2 ] && grep -q "^usage: sht" "$tmp/err"'

# ---- PIE=1: RELATIVE relocations only (docs/boot.md) ----------------------------
# An ifunc needs an IRELATIVE relocation, which no PIE=1 program may have:
# make app refuses it (tests/pie_check.sh); linked without that check
# (PIE_CHECK= on make's command line), the program refuses to start.
if [ "$PIE" = 1 ]; then
	cat >"$tmp/ifunc.c" <<'EOF'
static int one(void) { return 1; }
static int (*pick(void))(void) { return one; }
int chosen(void) __attribute__((ifunc("pick")));
int main(void) { return chosen() + 41; }
EOF
	app APP="$tmp/ifunc.c"; st=$?
	check "PIE=1: an ifunc (IRELATIVE) refused by the build" "status $st" \
		eval '[ "$st" -ne 0 ] && grep -q "other than RELATIVE" "$tmp/log" && [ ! -e "$B/bin/ifunc" ]'
	app APP="$tmp/ifunc.c" PIE_CHECK=; st=$?
	timeout 60 $RUNNER "$B/bin/ifunc" 2>"$tmp/err"; run=$?
	check "  ... linked unchecked: refused at start, 127" "status $st, runs: $run" \
		eval '[ "$run" -eq 127 ] && grep -q "other than RELATIVE" "$tmp/err"'
	rm -f "$B/bin/ifunc"
fi
rm -f "$B"/bin/small "$B"/bin/coroutines "$B"/bin/echo "$B"/bin/flags "$B"/bin/unused
[ "$failed" -eq 0 ]
