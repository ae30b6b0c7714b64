# bench/figures.sh - sourced by bench/table.sh, scale.sh and size.sh: one
# function that writes a generated section of docs/figures.md, the one
# place for every measured figure.
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
