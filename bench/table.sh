#!/bin/sh
# bench/table.sh BUILD RUNNER OBJDUMP: our runtime beside its peers (make bench).
#
# On the host: every system runs the same ring (bench/peers/peer.h says
# what each field is), ROUNDS times, taking turns (round-robin over the
# systems, so a noisy moment costs each alike), all pinned to one CPU; the
# table holds the median of the rounds, callgrind's instructions per switch
# (ring of 2: the difference between S and 2S switches, so start-up cancels
# out; user space only) and our ratio to the best peer.  Then exec to exit.
# The tables go into docs/figures.md (section "bench") and the plot into
# docs/bench.svg.  A peer that is not installed is skipped with the command
# that installs it.
#
# Under QEMU a time measures the emulator: no peers, only the static count
# of the yield path's instructions.
set -u
B=$1 RUNNER=${2:-} OBJDUMP=${3:-objdump}
ROUNDS=5
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
HOSTCXX=$(make -s print-HOSTCXX) PEER_FLAGS=$(make -s print-PEER_FLAGS)

# ---- which systems: label, command -------------------------------------
have_header() { printf '#include <%s>\n' "$1" | $HOSTCXX -x c++ -E - >/dev/null 2>&1; }
have_lib() { echo 'int main() { return 0; }' | $HOSTCXX -x c++ - -o "$T/a.out" "$@" 2>/dev/null; }
skip() { echo "  skipped: $1 (install: $2)"; echo "| $1 | not installed: \`$2\` | | | | | |" >> "$T/skipped"; }
: > "$T/skipped"
SYSTEMS="coroutines coroutines-prio"
echo; echo "peers (host programs, $HOSTCXX $PEER_FLAGS):"
if have_header boost/context/detail/fcontext.hpp && have_lib -lboost_context; then
	make -s "$P/fcontext" && SYSTEMS="$SYSTEMS fcontext"
else
	skip "boost.context fcontext (raw)" "apt-get install libboost-context-dev"
fi
if have_header boost/fiber/all.hpp && have_lib -lboost_fiber -lboost_context; then
	make -s "$P/fiber" && SYSTEMS="$SYSTEMS fiber"
else
	skip "boost.fiber (round_robin scheduler)" "apt-get install libboost-fiber-dev"
fi
make -s "$P/ucontext" "$P/threads" && SYSTEMS="$SYSTEMS ucontext threads"
echo "  measured: $SYSTEMS"
echo "  libco and minicoro: not measured (no Debian package; this project copies no outside code)"

label() {
	case $1 in
	coroutines) echo "**coroutines: \`co_yield\` (FIFO scheduler)**" ;;
	coroutines-prio) echo "coroutines: \`co_yield\`, priorities in use (all at one level)" ;;
	fcontext) echo "boost.context \`jump_fcontext\` (raw)" ;;
	fiber) echo "boost.fiber \`this_fiber::yield\` (round_robin scheduler)" ;;
	ucontext) echo "glibc \`swapcontext\` (raw, saves the signal mask)" ;;
	threads) echo "OS threads, futex hand-off" ;;
	esac
}
cmd() {
	case $1 in
	coroutines) echo "$B/bin/bench row" ;;
	coroutines-prio) echo "$B/bin/bench row prio" ;;
	*) echo "$P/$1" ;;
	esac
}
count_cmd() {
	case $1 in
	coroutines) echo "$B/bin/bench count yield2" ;;
	coroutines-prio) echo "$B/bin/bench count yield2prio" ;;
	*) echo "$P/$1 count" ;;
	esac
}

# ---- the rounds ----------------------------------------------------------
echo; echo "$ROUNDS rounds, the systems taking turns${PIN:+, pinned to CPU $LAST}:"
for r in $(seq $ROUNDS); do
	for s in $SYSTEMS; do
		$PIN $(cmd $s) >> "$T/rows" || { echo "  $s failed" >&2; exit 1; }
	done
	printf '  round %d done\n' "$r"
done
# medians of each field, per system: NAME NS2 NS1000 NS4096 SPAWN RSS
awk '{ for (i = 2; i <= 6; i++) v[$1, i, ++c[$1, i]] = $i }
	END { for (k in c) { split(k, a, SUBSEP); if (a[2] != 2) continue; s = a[1]
		printf "%s", s
		for (i = 2; i <= 6; i++) { n = c[s, i]
			for (x = 1; x <= n; x++) w[x] = v[s, i, x]
			for (x = 2; x <= n; x++) for (y = x; y > 1 && w[y] < w[y-1]; y--) { t = w[y]; w[y] = w[y-1]; w[y-1] = t }
			printf " %s", w[int((n + 1) / 2)] }
		printf "\n" } }' "$T/rows" > "$T/median"

# ---- instructions per switch (callgrind) --------------------------------
if command -v valgrind >/dev/null 2>&1; then
	echo "instructions per switch (valgrind --tool=callgrind, ring of 2):"
	ir() {
		valgrind --tool=callgrind --callgrind-out-file=/dev/null $(count_cmd $1) $2 2>&1 |
			sed -n 's/.*Collected : *\([0-9]*\).*/\1/p'
	}
	for s in $SYSTEMS; do
		n=200000
		[ $s = threads ] && n=20000     # each hand-off is two system calls
		a=$(ir $s $n) b=$(ir $s $((2 * n)))
		echo "$s $a $b $n" | awk '{ printf "%s %.1f\n", $1, ($3 - $2) / $4 }' | tee -a "$T/ir" | sed 's/^/  /'
	done
else
	echo "instructions per switch: skipped (install: apt-get install valgrind)"
fi
touch "$T/ir"

# ---- the table -------------------------------------------------------------
{
	echo "Measured by \`make bench\` on $(date -u +%Y-%m-%d): $CPU, $(nproc) CPUs${PIN:+, every system pinned to CPU $LAST}."
	echo "Our runtime: \`$(cat "$B/flags")\`."
	echo "Peers: \`$HOSTCXX $PEER_FLAGS\` ($($HOSTCXX --version | head -1)), glibc $(ldd --version | head -1 | sed 's/.* //')."
	echo "Ring of N stacks of 32 KiB, each passing to the next; median of $ROUNDS rounds taken in turn,"
	echo "each at least 100 ms. Instructions: callgrind, user space only (a thread's hand-off is two system calls besides)."
	echo "Spawn + finish: create, run to the end and reclaim, per coroutine, in batches of 100."
	echo "RSS: VmRSS growth per coroutine, 10,000 alive, each having touched 1 KiB of its stack."
	echo
	echo "| system | ns/switch, N = 2 | N = 1000 | N = 4096 | instructions/switch | spawn + finish, ns | RSS/coroutine, bytes |"
	echo "|---|---|---|---|---|---|---|"
	echo "| libco (raw switch) | not measured: no Debian package, and this project copies no outside code | | | | | |"
	cat "$T/skipped"
	for s in $SYSTEMS; do
		i=$(awk -v s=$s '$1 == s { print $2 }' "$T/ir")
		awk -v s=$s -v l="$(label $s)" -v i="${i:--}" '$1 == s {
			printf "| %s | %s | %s | %s | %s | %s | %s |\n", l, $2, $3, $4, i, $5, $6 }' "$T/median"
	done
	# our ratio to the best peer, column by column (lower is better in every one)
	awk -v ours=coroutines 'FILENAME ~ /ir$/ { ir[$1] = $2; next }
		{ for (i = 2; i <= 6; i++) v[$1, i] = $i; v[$1, 7] = ($1 in ir) ? ir[$1] : ""; sys[$1] = 1 }
		END { printf "| coroutines / the best peer |"
			split("2 3 4 7 5 6", col, " ")
			for (j = 1; j <= 6; j++) { c = col[j]; best = ""; who = ""
				for (s in sys) if (s !~ /^coroutines/ && v[s, c] != "" && (best == "" || v[s, c] + 0 < best + 0)) { best = v[s, c]; who = s }
				if (best == "" || v[ours, c] == "" || best + 0 == 0) printf " - |"
				else printf " %.2fx (%s) |", v[ours, c] / best, who }
			printf "\n" }' "$T/ir" "$T/median"
} > "$T/table"

# ---- goals (x86_64): printed with the run, not written into the docs --------
f() { awk -v s=$1 -v c=$2 '$1 == s { print $c }' "$T/median"; }
verdict() { awk -v a="$2" -v b="$3" -v t="$4" -v what="$1" 'BEGIN {
	if (a == "" || b == "") printf "- %s: not measured\n", what
	else printf "- %s: %s (target %s): %s\n", what, a, t, (a + 0 <= b + 0 ? "met" : "**NOT met**") }'; }
{
	echo
	echo "Goals on x86_64:"
	if echo " $SYSTEMS " | grep -q " fcontext "; then
		for c in 2:2 3:1000 4:4096; do
			col=${c%%:*} n=${c#*:}
			r=$(awk -v a="$(f coroutines $col)" -v b="$(f fcontext $col)" 'BEGIN { printf "%.2f", a / b }')
			verdict "\`co_yield\` / \`jump_fcontext\`, N = $n" "${r}x" 1.00 "at most 1.00x"
		done
	else
		echo "- \`co_yield\` / \`jump_fcontext\`: not measured (boost.context is not installed)"
	fi
	verdict "instructions per \`co_yield\` (callgrind)" "$(awk '$1 == "coroutines" { print $2 }' "$T/ir")" 28 "at most 28"
	verdict "instructions per \`co_yield\`, priorities in use, one level (callgrind)" "$(awk '$1 == "coroutines-prio" { print $2 }' "$T/ir")" 40 "at most 40"
	verdict "RSS per coroutine, 1 KiB touched, bytes" "$(f coroutines 6)" 4608 "at most 4.5 KiB = 4608"
	best=$(for s in $SYSTEMS; do case $s in coroutines*) ;; *) f $s 5 ;; esac; done | sort -g | head -1)
	verdict "spawn + finish, ns" "$(f coroutines 5)" "$best" "at most the best peer's, $best"
} > "$T/goals"

# ---- exec to exit -------------------------------------------------------------
{
	echo
	echo "Exec to exit (posix_spawn to waitpid, stdout to /dev/null), median of 300 runs taken in turn:"
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
$PIN "$P/exectime" 300 "$@" > "$T/exec.us" || exit 1
echo "$names" | tr '|' '\n' | paste -d '|' - "$T/exec.us" | awk -F'|' '{ printf "| %s | %s |\n", $1, $2 }' >> "$T/exec"
cat "$T/exec" >> "$T/table"

echo; cat "$T/table" "$T/goals"
echo
figures_write bench "$T/table"

# ---- the plot -----------------------------------------------------------------
if command -v gnuplot >/dev/null 2>&1; then
	plot="" i=0
	for s in $SYSTEMS; do
		awk -v s=$s '$1 == s { printf "2 %s\n1000 %s\n4096 %s\n\n\n", $2, $3, $4 }' "$T/median" >> "$T/plot.dat"
		t=$(label $s | tr -d '*`')
		plot="$plot${plot:+, }'$T/plot.dat' index $i using 1:2 with linespoints lw 2 pt 7 title \"$t\""
		i=$((i + 1))
	done
	gnuplot <<-GP
		set terminal svg size 800,450 font "sans,12" background rgb "white" noenhanced
		set output "docs/bench.svg"
		set title "ns per switch against N, 32 KiB stacks, median ($CPU)"
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
