#!/bin/sh
# tests/docs.sh - the docs (README.md, docs/*.md) name functions, never
# line numbers: a line number moves with the next change above it, and the
# text goes false unnoticed.  One check per file: no `file.c:123` (any of
# our source kinds), no "line 45" or "lines 3-9".  A gdb transcript quotes
# file:line as gdb prints it, with the number elided (`sched.c:…`).
#
# Prints the checks as tests/check.h does (number, name, observed, [OK] or
# [FAIL]), for tests/run.sh to count; exit status 1 if any failed.
set -u
cd "$(dirname "$0")/.." || exit 2
. tests/check.sh                                 # check, $tmp

pattern='[A-Za-z0-9_.-]+\.(c|h|S|ld|py|sh|md|mk|cpp)[:#][0-9]+|[Ll]ines? [0-9]+|Makefile:[0-9]+'
for f in README.md docs/*.md; do
	[ "$f" = docs/figures.md ] && continue   # written by make size/bench
	hit=$(grep -nE "$pattern" "$f" | head -1 | cut -c1-28)
	check "$f: no line numbers" "${hit:-none}" [ -z "$hit" ]
done
[ "$failed" -eq 0 ]
