#!/bin/sh
# bench/table.sh BUILD RUNNER OBJDUMP: our runtime beside its peers (make bench).
#
# On the host: every system runs the same ring (bench/peers/peer.h says
# what each field is), ROUNDS times, taking turns (round-robin over the
# systems, so a noisy moment costs each alike), all pinned to one CPU.  Each
# peer allocates its stacks the way its own users get them by default (its
# file says how); our runtime runs twice, as it is and with every stack
# starting at the same offset in its chunk (`bench row flat`: no colouring),
# so the switch and the layout can be told apart.  The table holds every
# figure as min / median / max over the rounds, callgrind's instructions per
# switch (ring of 2: the difference between S and 2S switches, so start-up
# cancels out; user space only) and our ratio to the best peer, a win or a
# loss only when the ranges do not overlap (figures.sh: compare).  Then
# channels beside Go's (bench/peers/chan.go, GOMAXPROCS=1), then exec to
# exit.  The tables go into docs/figures.md (section "bench") and the plot
# into docs/bench.svg.  A peer that is not installed is skipped with the
# command that installs it.
#
# BENCH_QUICK=1: 3 rounds of short runs, fewer instructions counted, fewer
# execs: a test of the harness, not figures to publish.
#
# Under QEMU a time measures the emulator: no peers, only the static count
# of the yield path's instructions.
set -u
B=$1 RUNNER=${2:-} OBJDUMP=${3:-objdump}
ROUNDS=5 EXECS=300 IR_N=200000
if [ "${BENCH_QUICK:-0}" = 1 ]; then
	ROUNDS=3 EXECS=30 IR_N=20000
fi
# libco's raw switch is not measured here (no Debian package, and this
# project copies no outside code): its instructions per switch as counted
# by an independent measurement with callgrind, user space, for the
# instructions column to compare with.
LIBCO_IR=29
. "$(dirname "$0")/figures.sh"

# The yield path, counted from the disassembly (bench/yieldpath.sh: the
# instructions one co_yield executes, the usual case).  Printed only: make
# size writes every architecture's count into docs/figures.md.
echo; echo "the co_yield path from the disassembly ($OBJDUMP -d $B/bin/bench):"
echo "  $(sh "$(dirname "$0")/yieldpath.sh" "$OBJDUMP" "$B/bin/bench") instructions per co_yield (bench/yieldpath.sh; make size writes every architecture's)"
if [ -n "$RUNNER" ]; then
	echo "  (under QEMU no times and no peers: the host's make bench measures them)"
	exit 0
fi

P=$B/peers
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
CPU=$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1)
LAST=$(($(nproc) - 1))
PIN=""
command -v taskset >/dev/null && PIN="taskset -c $LAST"
HOSTCXX=$(make -s print-HOSTCXX) PEER_FLAGS=$(make -s print-PEER_FLAGS) GO=$(make -s print-GO)
OUR_STACK=$(sed -n 's/.*-DCO_STACK_SIZE=\([0-9]*\).*/\1/p' "$B/flags")

# ---- which systems: label, command -------------------------------------
have_header() { printf '#include <%s>\n' "$1" | $HOSTCXX -x c++ -E - >/dev/null 2>&1; }
have_lib() { echo 'int main() { return 0; }' | $HOSTCXX -x c++ - -o "$T/a.out" "$@" 2>/dev/null; }
skip() { echo "  skipped: $1 (install: $2)"; echo "| $1 | | not installed: \`$2\` | | | | | |" >> "$T/skipped"; }
: > "$T/skipped"
SYSTEMS="coroutines coroutines-flat coroutines-prio"
echo; echo "peers (host programs, $HOSTCXX $PEER_FLAGS):"
if have_header boost/context/detail/fcontext.hpp && have_lib -lboost_context; then
	make -s "$P/fcontext" "$P/fcontext-protected" && SYSTEMS="$SYSTEMS fcontext fcontext-protected"
else
	skip "boost.context fcontext (raw)" "apt-get install libboost-context-dev"
fi
if have_header boost/fiber/all.hpp && have_lib -lboost_fiber -lboost_context; then
	make -s "$P/fiber" && SYSTEMS="$SYSTEMS fiber"
else
	skip "boost.fiber (round_robin scheduler)" "apt-get install libboost-fiber-dev"
fi
make -s "$P/ucontext" "$P/threads" && SYSTEMS="$SYSTEMS ucontext threads"
CHANS="coroutines"
if command -v "$GO" >/dev/null 2>&1; then
	make -s "$P/chan" && CHANS="coroutines go"
	GOVERSION=$("$GO" version | sed 's/^go version //')
else
	echo "  [SKIP] Go's channels: $GO not found (install: apt-get install golang-go)"
fi
echo "  measured: $SYSTEMS; channels: $CHANS"
echo "  libco and minicoro: not measured (no Debian package; this project copies no outside code)"

kib() { echo "$(($1 / 1024)) KiB"; }
stack_of() {
	case $1 in
	coroutines) echo "the pool: $(kib "$OUR_STACK") chunks, guard, coloured tops" ;;
	coroutines-flat) echo "the pool, every stack starting at one offset in its chunk (no colouring)" ;;
	coroutines-prio) echo "the pool, as the first row" ;;
	fcontext) echo "\`fixedsize_stack\` (malloc), $(kib "$($P/$1 stack)")" ;;
	fcontext-protected) echo "\`protected_fixedsize_stack\` (mmap, guard page), $(kib "$($P/$1 stack)")" ;;
	fiber) echo "\`default_stack\` (malloc) of its default size, $(kib "$($P/$1 stack)")" ;;
	ucontext) echo "malloc, $(kib "$($P/$1 stack)")" ;;
	threads) echo "glibc's pthread stacks, $(kib "$($P/$1 stack)")" ;;
	esac
}
label() {
	case $1 in
	coroutines) echo "**coroutines: \`co_yield\` (FIFO scheduler)**" ;;
	coroutines-flat) echo "coroutines: \`co_yield\`, stacks not coloured" ;;
	coroutines-prio) echo "coroutines: \`co_yield\`, priorities in use (all at one level)" ;;
	fcontext) echo "boost.context \`jump_fcontext\` (raw)" ;;
	fcontext-protected) echo "boost.context \`jump_fcontext\` (raw), guarded stacks" ;;
	fiber) echo "boost.fiber \`this_fiber::yield\` (round_robin scheduler)" ;;
	ucontext) echo "glibc \`swapcontext\` (raw, saves the signal mask)" ;;
	threads) echo "OS threads, futex hand-off" ;;
	esac
}
cmd() {
	case $1 in
	coroutines) echo "$B/bin/bench row" ;;
	coroutines-prio) echo "$B/bin/bench row prio" ;;
	coroutines-flat) echo "$B/bin/bench row flat" ;;
	*) echo "$P/$1" ;;
	esac
}
count_cmd() {
	case $1 in
	coroutines) echo "$B/bin/bench count yield2" ;;
	coroutines-prio) echo "$B/bin/bench count yield2prio" ;;
	coroutines-flat) echo "$B/bin/bench count yield2flat" ;;
	*) echo "$P/$1 count" ;;
	esac
}
chan_cmd() {
	case $1 in
	coroutines) echo "$B/bin/bench chans" ;;
	go) echo "env GOMAXPROCS=1 $P/chan" ;;
	esac
}

# ---- the rounds ----------------------------------------------------------
echo; echo "$ROUNDS rounds, the systems taking turns${PIN:+, pinned to CPU $LAST}${BENCH_QUICK:+ (BENCH_QUICK=$BENCH_QUICK)}:"
for r in $(seq $ROUNDS); do
	for s in $SYSTEMS; do
		$PIN $(cmd $s) >> "$T/rows" || { echo "  $s failed" >&2; exit 1; }
	done
	for s in $CHANS; do
		$PIN $(chan_cmd $s) >> "$T/chanrows" || { echo "  channels: $s failed" >&2; exit 1; }
	done
	printf '  round %d done\n' "$r"
done
# NAME FIELD MIN MEDIAN MAX, fields 2..6: NS2 NS1000 NS4096 SPAWN RSS
spread "$T/rows" > "$T/stats"
spread "$T/chanrows" > "$T/chanstats"
st() { awk -v s=$1 -v f=$2 '$1 == s && $2 == f { print $3, $4, $5 }' "${3:-$T/stats}"; }
med() { awk -v s=$1 -v f=$2 '$1 == s && $2 == f { print $4 }' "${3:-$T/stats}"; }

# ---- instructions per switch (callgrind) --------------------------------
ir() {
	valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 |
		sed -n 's/.*Collected : *\([0-9]*\).*/\1/p'
}
: > "$T/ir"
if command -v valgrind >/dev/null 2>&1; then
	echo "instructions per switch (valgrind --tool=callgrind, ring of 2):"
	for s in $SYSTEMS; do
		n=$IR_N
		[ $s = threads ] && n=$((IR_N / 10))    # each hand-off is two system calls
		a=$(ir $(count_cmd $s) $n) b=$(ir $(count_cmd $s) $((2 * n)))
		echo "$s $a $b $n" | awk '{ printf "%s %.1f\n", $1, ($3 - $2) / $4 }' | tee -a "$T/ir" | sed 's/^/  /'
	done
	echo "instructions per channel operation of ours (callgrind):"
	for op in rendezvous buffered select; do
		n=$((IR_N / 10))
		a=$(ir $B/bin/bench count $op $n) b=$(ir $B/bin/bench count $op $((2 * n)))
		echo "$op $a $b $n" | awk '{ printf "%s %.1f\n", $1, ($3 - $2) / $4 }' | tee -a "$T/chanir" | sed 's/^/  /'
	done
else
	echo "instructions per switch: skipped (install: apt-get install valgrind)"
fi
touch "$T/chanir"
irof() { awk -v s=$1 '$1 == s { print $2 }' "$2"; }

# ---- the tables ----------------------------------------------------------
# our ratio to the best peer (the lowest median) in column f: "RATIO (WHO)";
# in the instructions column the best count, libco's among them
best_peer() {
	for s in $SYSTEMS; do
		case $s in coroutines*) ;; *) m=$(med $s $1); [ -n "$m" ] && echo "$m $s" ;; esac
	done | sort -g | head -1 | cut -d' ' -f2
}
ratio_row() {
	printf '| %s / the best peer | |' "$(label $1 | tr -d '*')"
	for f in 2 3 4 ir 5 6; do
		if [ $f = ir ]; then
			w=$( { echo "$LIBCO_IR libco"
				for s in $SYSTEMS; do case $s in coroutines*) ;; *) echo "$(irof $s "$T/ir") $s" ;; esac; done; } |
				awk 'NF == 2' | sort -g | head -1)
			a=$(irof $1 "$T/ir")
			if [ -n "$w" ] && [ -n "$a" ]; then
				awk -v a="$a" -v b="${w%% *}" -v who="${w#* }" 'BEGIN { printf " %.2fx (%s) |", a / b, who }'
			else
				printf ' - |'
			fi
			continue
		fi
		who=$(best_peer $f)
		if [ -n "$who" ] && [ -n "$(st $1 $f)" ]; then
			printf ' %s (%s) |' "$(compare "$(st $1 $f)" "$(st $who $f)" 1)" "$who"
		else
			printf ' - |'
		fi
	done
	printf '\n'
}
{
	echo "Measured by \`make bench\` on $(date -u +%Y-%m-%d): $CPU, $(nproc) CPUs${PIN:+, every system pinned to CPU $LAST}${BENCH_QUICK:+, BENCH_QUICK=$BENCH_QUICK (short runs: a test of the harness)}."
	echo "Our runtime: \`$(cat "$B/flags")\`."
	echo "Peers: \`$HOSTCXX $PEER_FLAGS\` ($($HOSTCXX --version | head -1)), glibc $(ldd --version | head -1 | sed 's/.* //')."
	echo "Ring of N stacks, each passing to the next, each system's stacks allocated as its users get them (the stacks column);"
	echo "every time is min / median / max of $ROUNDS rounds taken in turn, each at least $([ "${BENCH_QUICK:-0}" = 1 ] && echo 10 || echo 100) ms."
	echo "Instructions: callgrind, user space only (a thread's hand-off is two system calls besides)."
	echo "Spawn + finish: create, run to the end and reclaim, per coroutine, in batches of 100, the stack's allocation included."
	echo "RSS: VmRSS growth per coroutine, 10,000 alive, each having touched 1 KiB of its stack."
	echo "A ratio to the best peer (the lowest median) is a win or a loss only when the two ranges do not overlap;"
	echo "otherwise it reads \"no difference\", with the range of the ratio."
	echo
	echo "| system | stacks | ns/switch, N = 2 | N = 1000 | N = 4096 | instructions/switch | spawn + finish, ns | RSS/coroutine, bytes |"
	echo "|---|---|---|---|---|---|---|---|"
	echo "| libco (raw switch) | | not measured: no Debian package, and this project copies no outside code | | | $LIBCO_IR, an independent count (callgrind), not made here | | |"
	cat "$T/skipped"
	for s in $SYSTEMS; do
		printf '| %s | %s |' "$(label $s)" "$(stack_of $s)"
		for f in 2 3 4 ir 5 6; do
			if [ $f = ir ]; then
				i=$(irof $s "$T/ir"); printf ' %s |' "${i:--}"
			else
				printf ' %s |' "$(cell $(st $s $f))"
			fi
		done
		printf '\n'
	done
	ratio_row coroutines
	ratio_row coroutines-flat
	echo
	echo "Channels, one thread: ours (\`bench chans\`, bench/bench.c) beside Go's (bench/peers/chan.go, ${GOVERSION:-not measured}, GOMAXPROCS=1),"
	echo "min / median / max of the same $ROUNDS rounds; a rendezvous round trip over two unbuffered channels, a channel of 128"
	echo "from one sender to one receiver, a receiver selecting over two unbuffered channels sent on in turn."
	echo
	echo "| operation | coroutines, ns | instructions (callgrind) | Go, ns | coroutines / Go |"
	echo "|---|---|---|---|---|"
	f=2
	for op in "rendezvous:rendezvous round trip (\`co_send\`, \`co_recv\`; Go: unbuffered \`chan\`)" \
		"buffered:buffered channel of 128, per message" \
		"select:two-way select, per message (\`co_select\`; Go: \`select\`)"; do
		name=${op%%:*} what=${op#*:}
		go=$(st go $f "$T/chanstats")
		printf '| %s | %s | %s | %s | %s |\n' "$what" "$(cell $(st coroutines $f "$T/chanstats"))" \
			"$(irof $name "$T/chanir" | sed 's/^$/-/')" \
			"$( [ -n "$go" ] && cell $go || echo "not measured: $GO not found")" \
			"$( [ -n "$go" ] && compare "$(st coroutines $f "$T/chanstats")" "$go" 1 || echo -)"
		f=$((f + 1))
	done
} > "$T/table"

# ---- goals: printed with the run, not written into the docs -----------------
verdict() { awk -v a="$2" -v b="$3" -v t="$4" -v what="$1" 'BEGIN {
	if (a == "" || b == "") printf "- %s: not measured\n", what
	else printf "- %s: %s (target %s): %s\n", what, a, t, (a + 0 <= b + 0 ? "met" : "**NOT met**") }'; }
{
	echo
	echo "Goals on x86_64 (a ratio met only when the whole range meets it):"
	for p in fcontext fcontext-protected; do
		if echo " $SYSTEMS " | grep -q " $p "; then
			for c in 2:2 3:1000 4:4096; do
				echo "- \`co_yield\` / \`jump_fcontext\` ($p), N = ${c#*:}: $(compare "$(st coroutines ${c%%:*})" "$(st $p ${c%%:*})" 1) (target: no slower)"
			done
		fi
	done
	verdict "instructions per \`co_yield\` (callgrind; libco's raw switch: $LIBCO_IR)" "$(irof coroutines "$T/ir")" 28 "at most 28"
	verdict "instructions per \`co_yield\`, priorities in use, one level (callgrind)" "$(irof coroutines-prio "$T/ir")" 40 "at most 40"
	verdict "RSS per coroutine, 1 KiB touched, bytes (median)" "$(med coroutines 6)" 4608 "at most 4.5 KiB = 4608"
	who=$(best_peer 5)
	[ -n "$who" ] && echo "- spawn + finish against the best peer ($who): $(compare "$(st coroutines 5)" "$(st $who 5)" 1) (target: no slower)"
	f=2
	for op in rendezvous buffered select; do
		a=$(st coroutines $f "$T/chanstats") g=$(st go $f "$T/chanstats")
		if [ -n "$g" ]; then
			awk -v a="$a" -v g="$g" -v op=$op 'BEGIN { split(a, x, " "); split(g, y, " ")
				printf "- channels, %s: %.2fx Go'"'"'s (range %.2f-%.2fx; target at most 0.10x): %s\n", op,
					x[2] / y[2], x[1] / y[3], x[3] / y[1], (x[3] / y[1] <= 0.10 ? "met" : "**NOT met**") }'
		else
			echo "- channels, $op: not measured (no Go)"
		fi
		f=$((f + 1))
	done
} > "$T/goals"

# ---- exec to exit -------------------------------------------------------------
{
	echo
	echo "Exec to exit (posix_spawn to waitpid, stdout to /dev/null), min / median / max of $EXECS runs taken in turn:"
	echo
	echo "| program | µs |"
	echo "|---|---|"
} > "$T/exec"
make -s "$P/exectime" "$P/hello-glibc"
progs="$B/demo/coroutines 0|$P/hello-glibc"
names="\`./coroutines 0\` (this runtime's demo, default build)|static glibc hello (\`gcc -static\`, puts)"
if command -v musl-gcc >/dev/null; then
	make -s "$P/hello-musl"
	progs="$progs|$P/hello-musl"
	names="$names|static musl hello (\`musl-gcc -static\`, puts)"
else
	echo "  skipped: static musl hello (install: apt-get install musl-tools)"
fi
IFS='|'; set -- $progs; unset IFS
$PIN "$P/exectime" $EXECS "$@" > "$T/exec.us" || exit 1
echo "$names" | tr '|' '\n' | paste -d '|' - "$T/exec.us" |
	awk -F'|' '{ split($2, t, " "); printf "| %s | %s / %s / %s |\n", $1, t[1], t[2], t[3] }' >> "$T/exec"
cat "$T/exec" >> "$T/table"

echo; cat "$T/table" "$T/goals"
echo
figures_write bench "$T/table"

# ---- the plot: medians, the bars from min to max ------------------------------
if command -v gnuplot >/dev/null 2>&1; then
	plot="" i=0
	for s in $SYSTEMS; do
		for c in 2:2 3:1000 4:4096; do
			echo "${c#*:} $(awk -v s=$s -v f=${c%%:*} '$1 == s && $2 == f { print $4, $3, $5 }' "$T/stats")"
		done >> "$T/plot.dat"
		printf '\n\n' >> "$T/plot.dat"
		t=$(label $s | tr -d '*`')
		plot="$plot${plot:+, }'$T/plot.dat' index $i using 1:2:3:4 with yerrorlines lw 2 pt 7 title \"$t\""
		i=$((i + 1))
	done
	gnuplot <<-GP
		set terminal svg size 800,450 font "sans,12" background rgb "white" noenhanced
		set output "docs/bench.svg"
		set title "ns per switch against N, median, bars min to max ($CPU)"
		set logscale xy
		set xrange [1.5:6000]
		set xtics ("2" 2, "1000" 1000, "4096" 4096)
		set xlabel "N, coroutines in the ring"
		set ylabel "ns per switch (log scale)"
		set key outside below
		set grid
		plot $plot
	GP
	echo "(plot: docs/bench.svg)"
else
	echo "(plot skipped: apt-get install gnuplot-nox)"
fi
