#!/bin/sh
# tests/fuzz.sh fuzz|replay TARGET... - make fuzz's and make fuzz-replay's
# work (docs/testing.md), one table line per target.
#
# fuzz: build each target's libFuzzer program (make fuzz-build, with
# FUZZ_CC, clang), then run it on build/fuzz/<target>/corpus/ (where new
# inputs go, kept from run to run) and the seeds in tests/fuzz/<target>/,
# one target after another, one process each, for FUZZ_TIME seconds (0: no
# limit) or FUZZ_RUNS inputs (-1: no limit), whichever comes first, with
# FUZZ_ARGS added.  libFuzzer's output goes to build/fuzz/<target>/log; an
# input that crashed, leaked, hung or broke a target's promise to
# build/fuzz/<target>/crashes/, and the line says how to replay it.
# Without clang's libFuzzer: a message, status 2.
#
# replay: run build/fuzz/<target>/replay (make fuzz-replay-build) once on
# each input in tests/fuzz/<target>/, or on FUZZ_INPUT (a file or a
# directory) if set; a SKIP line for a target without its replay program
# (no host compiler).
set -u
cd "$(dirname "$0")/.." || exit 2
mode=$1; shift
make=${MAKE:-make}
failed=0 n=0

line() {        # MARK NAME OBSERVED
	n=$((n + 1))
	printf '%3d %-46s %-28s %s\n' "$n" "$2" "$3" "$1"
	[ "$1" != "[FAIL]" ] || failed=$((failed + 1))
}

# libFuzzer's options for each target: the longest input worth trying, a
# dictionary.
options() {
	case $1 in
	http)   echo "-max_len=8300 -dict=tests/fuzz/http.dict" ;;  # past HTTP_MAX_HEAD
	addr)   echo "-max_len=80" ;;
	format) echo "-max_len=600" ;;
	esac
}

fuzz() {
	t=$1 d=build/fuzz/$1
	mkdir -p "$d/corpus" "$d/crashes"
	start=$(date +%s)
	# shellcheck disable=SC2046
	"$d/fuzzer" -max_total_time="$FUZZ_TIME" -runs="$FUZZ_RUNS" -timeout=10 \
		-artifact_prefix="$d/crashes/" -print_final_stats=1 $(options "$t") ${FUZZ_ARGS:-} \
		"$d/corpus" "tests/fuzz/$t" >"$d/log" 2>&1
	st=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$d/log")
	obs="${runs:-?} inputs in $(($(date +%s) - start)) s"
	crash=$(sed -n "s/.*Test unit written to \(.*\)/\1/p" "$d/log" | tail -1)
	if [ "$st" -eq 0 ] && [ -z "$crash" ]; then
		line "[OK]" "fuzz $t: every input passes" "$obs"
		return
	fi
	line "[FAIL]" "fuzz $t: ${crash:-status $st}" "$obs"
	grep -v '^#\|^INFO\|^ *"' "$d/log" | head -40 >&2
	echo "fuzz $t: the report is in $d/log; replay the input with" >&2
	echo "  $d/fuzzer ${crash:-FILE}    or    make fuzz-replay FUZZ_TARGETS=$t FUZZ_INPUT=${crash:-FILE}" >&2
	echo "  then copy it into tests/fuzz/$t/ as a regression input" >&2
}

replay() {
	t=$1 p=build/fuzz/$1/replay
	if [ ! -x "$p" ]; then
		line "[SKIP]" "replay tests/fuzz/$t" "no host C compiler (cc)"
		return
	fi
	"$p" ${FUZZ_INPUT:-tests/fuzz/$t} >"build/fuzz/$t/replay.out" 2>"build/fuzz/$t/replay.err"
	st=$?
	in=$(sed -n 's/.* \([0-9]* inputs\), no fault .*/\1/p' "build/fuzz/$t/replay.out" | tr '\n' ' ')
	if [ "$st" -eq 0 ]; then
		line "[OK]" "replay ${FUZZ_INPUT:-tests/fuzz/$t}: no fault" "${in:-?}"
	else
		line "[FAIL]" "replay ${FUZZ_INPUT:-tests/fuzz/$t}: status $st" "$(tail -1 "build/fuzz/$t/replay.err")"
		grep -v '^replay: ' "build/fuzz/$t/replay.err" | head -30 >&2
		grep '^replay: ' "build/fuzz/$t/replay.err" | tail -1 >&2
	fi
}

case $mode in
fuzz)
	probe=$(mktemp -d) || exit 2
	echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return d[0] * !n; }' >"$probe/p.c"
	if ! ${FUZZ_CC:-clang} -fsanitize=fuzzer,address,undefined -o "$probe/p" "$probe/p.c" 2>"$probe/err"; then
		echo "make fuzz needs clang with libFuzzer and the sanitizers' runtime" \
			"(Debian: apt-get install clang); ${FUZZ_CC:-clang} says:" >&2
		head -3 "$probe/err" >&2
		rm -rf "$probe"
		exit 2
	fi
	rm -rf "$probe"
	$make -s --no-print-directory fuzz-build FUZZ_TARGETS="$*" || exit 2
	for t in "$@"; do fuzz "$t"; done ;;
replay)
	for t in "$@"; do replay "$t"; done ;;
*)
	echo "usage: tests/fuzz.sh fuzz|replay TARGET..." >&2
	exit 2 ;;
esac
[ "$failed" -eq 0 ]
