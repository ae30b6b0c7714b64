#!/bin/sh
# bench/yieldpath.sh OBJDUMP PROGRAM [-v]: the instructions one co_yield
# executes when another coroutine is ready and the floating-point control
# state is the same on both sides (the usual case), counted from PROGRAM's
# disassembly (unstripped: it needs the symbols), on any architecture.
#
# It walks from co_yield's first instruction: a direct unconditional jump
# (a tail call into _co_switch) is followed; a conditional branch is taken
# to fall through, which switch.S's blocks arrange (where a switch reloads
# the control state only if it differs, the reload is out of line); the walk ends
# at the instruction that leaves the switch (ret, bx lr, pop {..., pc},
# br %r14, an indirect jmp).  The call into co_yield is not counted.
# Prints the count; with -v, the path too, on standard error.
set -u
OBJDUMP=$1 PROG=$2 VERBOSE=${3:-}
$OBJDUMP -d --no-show-raw-insn "$PROG" | awk -v verbose="$VERBOSE" '
	/^[0-9a-f]+ <[^>]*>:$/ { fn = substr($2, 2, length($2) - 3); if (!(fn in start)) start[fn] = n + 1; next }
	/^ *[0-9a-f]+:\t/ {
		a = $0; sub(/:\t.*/, "", a); sub(/^ */, "", a)
		x = $0; sub(/^[^\t]*\t/, "", x); gsub(/\t/, " ", x); sub(/ *#.*/, "", x)
		n++; at[a] = n; in_fn[n] = fn
		mn[n] = x; sub(/ .*/, "", mn[n])
		op[n] = x; sub(/^[^ ]* */, "", op[n])
	}
	END {
		if (!("co_yield" in start)) { print "no co_yield in the program" > "/dev/stderr"; exit 1 }
		i = start["co_yield"]; count = 0
		for (steps = 0; steps < 300 && i <= n; steps++) {
			m = mn[i]; o = op[i]; count++
			if (verbose != "") printf "  %-12s %s\t%s\n", in_fn[i], m, o > "/dev/stderr"
			if (m ~ /^(ret|retq|bx|br|jr)$/ && (m != "bx" || o ~ /^lr/) && (m != "br" || o ~ /%r14/) && (m != "jr" || o ~ /^ra/)) break
			if ((m ~ /^(pop|ldm|ldmia|ldmfd)/) && o ~ /pc}/) break
			if (m ~ /^(jmp|jmpq)$/ && o ~ /^\*/) break
			if (m ~ /^(jmp|jmpq|b|b\.n|b\.w|j|jg|jgu|bra|brcl|tail)$/ && o ~ /^[0-9a-f]+ </) {
				t = o; sub(/ .*/, "", t)
				if (!(t in at)) { print "jump to " t ": not in the disassembly" > "/dev/stderr"; exit 1 }
				i = at[t]; continue
			}
			i++
		}
		print count
	}'
