# bench/figures.sh - sourced by bench/table.sh, echo.sh, scale.sh and
# size.sh: the function that writes a generated section of docs/figures.md,
# the one place for every measured figure, and those that give the spread
# of repeated runs and compare two spreads.
#
#   figures_write NAME FILE   replace what lies between the lines
#                             <!-- NAME: begin --> and <!-- NAME: end -->
#                             with FILE's text (appending the section if it
#                             is missing, creating the file if need be);
#                             every other section is left as it was.
FIGURES=${FIGURES:-docs/figures.md}

figures_write() {
	begin="<!-- $1: begin -->" end="<!-- $1: end -->"
	mkdir -p "$(dirname "$FIGURES")"
	if [ ! -f "$FIGURES" ]; then
		printf '# Measured figures\n\n%s\n%s\n' \
			"Each section is written by the command that measures it (named in" \
			"the section); edit the commands, not this file." > "$FIGURES"
	fi
	if grep -qxF "$begin" "$FIGURES"; then
		awk -v b="$begin" -v e="$end" -v src="$2" '
			$0 == b { print; while ((getline l < src) > 0) print l; skip = 1; next }
			$0 == e { skip = 0 }
			!skip' "$FIGURES" > "$FIGURES.tmp" && mv "$FIGURES.tmp" "$FIGURES"
	else
		{ echo; echo "$begin"; cat "$2"; echo "$end"; } >> "$FIGURES"
	fi
	echo "(written to $FIGURES, section $1)"
}

# The spread of repeated runs, and when a ratio may be called a win.
#
#   spread FILE > STATS   FILE: lines "NAME V2 V3 ..." (one per run, a
#                         field "-" where there is none); STATS: one line
#                         per NAME and field, "NAME FIELD MIN MEDIAN MAX"
#                         (the median of an even count is the lower middle)
#   cell MIN MED MAX      "min / median / max", as a table shows a figure
#   compare A B LOWER     A and B: "MIN MED MAX" each (ours, a peer's); LOWER
#                         1 when lower is better, 0 when higher is: the
#                         ratio of the medians A / B, called a win or a
#                         loss only when the two ranges do not overlap,
#                         else "no difference" with the ratio's range
#                         (A's min over B's max to A's max over B's min,
#                         "inf" if B's min is 0); "-" if B's median is 0
spread() {
	awk '{ for (i = 2; i <= NF; i++) if ($i != "-") v[$1, i, ++c[$1, i]] = $i }
	END { for (k in c) { split(k, a, SUBSEP); s = a[1]; f = a[2]; n = c[k]
		for (x = 1; x <= n; x++) w[x] = v[s, f, x]
		for (x = 2; x <= n; x++) for (y = x; y > 1 && w[y] + 0 < w[y-1] + 0; y--) { t = w[y]; w[y] = w[y-1]; w[y-1] = t }
		printf "%s %d %s %s %s\n", s, f, w[1], w[int((n + 1) / 2)], w[n] } }' "$1"
}
cell() {
	if [ -n "${1:-}" ]; then echo "$1 / $2 / $3"; else echo "-"; fi
}
compare() {
	awk -v a="$1" -v b="$2" -v lower="$3" 'BEGIN {
		if (split(a, x, " ") != 3 || split(b, y, " ") != 3 || y[2] + 0 == 0) { print "-"; exit }
		r = sprintf(x[2] / y[2] < 0.1 ? "%.2g" : "%.2f", x[2] / y[2])
		if (lower ? x[3] + 0 < y[1] + 0 : x[1] + 0 > y[3] + 0) printf "%sx, win\n", r
		else if (lower ? x[1] + 0 > y[3] + 0 : x[3] + 0 < y[1] + 0) printf "%sx, loss\n", r
		else { hi = (y[1] + 0 > 0) ? sprintf("%.2f", x[3] / y[1]) : "inf"
			printf "no difference (%.2f-%sx)\n", x[1] / y[3], hi } }'
}
