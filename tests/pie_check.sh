#!/bin/sh
# tests/pie_check.sh READELF PROG - is PROG a static PIE as PIE=1 builds
# them (docs/boot.md)?  The Makefile runs it after linking each program
# under PIE=1, and deletes the program if it is not: an ELF of type DYN,
# no interpreter, a dynamic section with no DT_NEEDED and no text
# relocations, and relocations of the architecture's RELATIVE type only
# (the only kind _start's _co_relocate applies).  Says what is wrong, on
# standard error, and exits 1.
readelf=$1 prog=$2
why=""
hdr=$($readelf -hlW "$prog") || exit 1
dyn=$($readelf -dW "$prog")
echo "$hdr" | grep -q 'Type: *DYN' || why="$why not ET_DYN;"
echo "$hdr" | grep -q 'INTERP' && why="$why an interpreter;"
echo "$hdr" | grep -q 'DYNAMIC' || why="$why no dynamic section;"
echo "$dyn" | grep -q '(NEEDED)' && why="$why DT_NEEDED;"
echo "$dyn" | grep -q 'TEXTREL' && why="$why text relocations;"
other=$($readelf -rW "$prog" | awk '$3 ~ /^R_/ && $3 !~ /_RELATIVE$/ { print $3 }' | sort -u | tr '\n' ' ' | sed 's/ $//')
[ -z "$other" ] || why="$why relocations other than RELATIVE: $other;"
[ -z "$why" ] && exit 0
echo "$prog: not a static PIE with RELATIVE relocations only:$why (docs/boot.md)" >&2
rm -f "$prog"
exit 1
