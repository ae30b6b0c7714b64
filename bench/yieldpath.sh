#!/bin/sh
# bench/yieldpath.sh OBJDUMP PROGRAM [-v]: the instructions one co_yield
# executes when another coroutine is ready and the floating-point control
# state is the same on both sides (the usual case), counted from PROGRAM's
# disassembly (unstripped: it needs the symbols), on any architecture.
#
# It walks from co_yield's first instruction: a direct jump (a tail call
# into _co_switch, an ARM/Thumb interworking veneer's `bx pc`) is followed,
# and so is a direct call (i386's co_yield calls _co_switch: its `ret` then
# comes back after the call, as the other side's does); a conditional
# branch is taken to fall through, which switch.S's blocks arrange (where a
# switch reloads the control state only if it differs, the reload is out
# of line); the walk ends at the instruction that leaves co_yield (ret, bx
# lr, pop {..., pc}, br %r14, an indirect jmp).  The call into co_yield is
# not counted.
set -u
OBJDUMP=$1 PROG=$2 VERBOSE=${3:-}
$OBJDUMP -d --no-show-raw-insn "$PROG" | awk -v verbose="$VERBOSE" '
	/^[0-9a-f]+ <[^>]*>:$/ { fn = substr($2, 2, length($2) - 3); if (!(fn in start)) start[fn] = n + 1; next }
	/^ *[0-9a-f]+:\t/ {
		a = $0; sub(/:\t.*/, "", a); sub(/^ */, "", a)
		x = $0; sub(/^[^\t]*\t/, "", x); gsub(/\t/, " ", x); sub(/  +#.*/, "", x); sub(/ *\/\/.*/, "", x)
		n++; at[a] = n; addr[n] = a; in_fn[n] = fn
		mn[n] = x; sub(/ .*/, "", mn[n])
		op[n] = x; sub(/^[^ ]* */, "", op[n])
	}
	function hex(h,   v, k) { v = 0; h = tolower(h)
		for (k = 1; k <= length(h); k++) v = v * 16 + index("0123456789abcdef", substr(h, k, 1)) - 1
		return v }
	function go(t) {
		if (!(t in at)) { print "a jump to " t ": not in the disassembly" > "/dev/stderr"; exit 1 }
		return at[t] }
	END {
		if (!("co_yield" in start)) { print "no co_yield in the program" > "/dev/stderr"; exit 1 }
		i = start["co_yield"]; count = 0; depth = 0
		for (steps = 0; steps < 300 && i <= n; steps++) {
			m = mn[i]; o = op[i]; count++
			if (verbose != "") printf "  %-12s %s\t%s\n", in_fn[i], m, o > "/dev/stderr"
			leave = (m ~ /^(ret|retq|retl)$/) || (m == "bx" && o ~ /^lr/) || (m == "br" && o ~ /%r14/) ||
				(m == "jr" && o ~ /^ra/) || (m ~ /^(pop|ldm|ldmia|ldmfd)/ && o ~ /pc}/) ||
				(m ~ /^(jmp|jmpq)$/ && o ~ /^\*/)
			if (leave) {
				if (!depth) break
				i = back[depth--]; continue
			}
			if (m == "bx" && o == "pc") {           # Thumb: to this + 4, in ARM state
				i = go(sprintf("%x", hex(addr[i]) + 4)); continue
			}
			t = o; sub(/ .*/, "", t)
			if (m ~ /^(call|calll|callq|bl|brasl)$/ && o ~ /^[0-9a-f]+ </) {
				back[++depth] = i + 1; i = go(t); continue
			}
			if (m ~ /^(jmp|jmpq|b|b\.n|b\.w|j|jg|jgu|bra|brcl|tail)$/ && o ~ /^[0-9a-f]+ </) {
				i = go(t); continue
			}
			i++
		}
		if (steps >= 300) { print "no end within 300 instructions" > "/dev/stderr"; exit 1 }
		print count
	}'
