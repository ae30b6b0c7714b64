# tests/native.sh - sourced by tests/run.sh and tests/memcheck.sh: does this
# host run an architecture's programs itself, without QEMU?
#
# native ARCH PROG [ARGS...]: sets $native to yes or no, and $why to the reason.  The
# host's own architecture: yes.  i386 on an x86_64 host: yes if the kernel
# runs i386 programs (IA32 emulation; a kernel built or booted without it
# answers "Exec format error"), found out by running PROG, a static program
# of ARCH that exits with status 0 when it runs.  Any other: no.  Ask once per
# architecture and keep the answer.
#
# NATIVE_I386=no in the environment takes the path of a host without IA32
# emulation on one that has it: i386 only under qemu-i386, gdb through its
# stub, no memcheck of i386.
native() {
	native=no why="not the host's architecture"
	a=$1; shift
	if [ "$a" = "$host" ]; then
		native=yes why="the host's architecture"
	elif [ "$a" = i386 ] && [ "$host" = x86_64 ]; then
		case ${NATIVE_I386:-} in
		no) why="NATIVE_I386=no" ;;
		*)
			err=$("$@" 2>&1 >/dev/null </dev/null)
			st=$?
			if [ "$st" -eq 0 ]; then
				native=yes why="the kernel runs i386 programs"
			else
				why="the kernel does not run i386 programs (${err##*: }, status $st)"
			fi ;;
		esac
	fi
}
