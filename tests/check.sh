# tests/check.sh - sourced by the test scripts that print a table of their
# own for tests/run.sh to count (tests/build.sh, tests/install.sh): the
# lines tests/check.h prints, from shell.  The caller sets -u and ends with
# [ "$failed" -eq 0 ].
n=0 failed=0
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT

# check NAME OBSERVED COMMAND...: [OK] when COMMAND succeeds.
check() {
	name=$1 obs=$2; shift 2
	n=$((n + 1))
	if "$@"; then mark="[OK]"; else mark="[FAIL]"; failed=$((failed + 1)); fi
	printf '%3d %-46s %-28s %s\n' "$n" "$name" "$obs" "$mark"
}
