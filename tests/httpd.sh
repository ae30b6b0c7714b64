#!/bin/sh
# tests/httpd.sh B [RUNNER] - examples/httpd.c ($B/examples/httpd) against real
# clients: curl (byte-exact downloads, resumption with -C -, keep-alive
# reuse, HEAD, Range, 304, Content-Type, traversal attempts with
# --path-as-is), tests/httpd_client.py (limits, raw requests, pipelining,
# slowloris; a full pool, with the small build's httpd), wrk and ab (thousands of requests, no error; the host only:
# under QEMU they would load the emulator), and -w workers sharing the port.
# Usage errors first.
#
# Output: one line per check, "  N name observed [OK|FAIL]" as the test
# programs print (tests/run.sh counts them), and "SKIP ..." for each tool
# that is not installed.  Exit status 1 if a check failed.
set -u
B=$1 RUNNER=${2:-}
cd "$(dirname "$0")/.." || exit 2
HTTPD=$B/examples/httpd
n=0 failed=0
tmp=$(mktemp -d) || exit 2
spid=""
trap 'stop; rm -rf "$tmp"' EXIT

check() {       # NAME OBSERVED COMMAND...: OK when COMMAND succeeds
	name=$1 obs=$2; shift 2
	n=$((n + 1))
	if "$@"; then mark="[OK]"; else mark="[FAIL]"; failed=$((failed + 1)); fi
	printf '%3d %-46s %-28s %s\n' "$n" "$name" "$obs" "$mark"
}
have() { command -v "$1" >/dev/null 2>&1; }

# ---- usage -------------------------------------------------------------------
usage_check() { # NAME WANT-STATUS WANT-STDERR ARGS...
	name=$1 want=$2 msg=$3; shift 3
	timeout 20 $RUNNER "$HTTPD" "$@" >"$tmp/out" 2>"$tmp/err"
	st=$?
	check "$name" "status $st" eval '[ "$st" -eq "$want" ] && grep -qF -e "$msg" "$tmp/err"'
}
usage_check "httpd (no DIR): usage, status 2" 2 "usage: httpd"
usage_check "httpd -p 0 DIR: status 2" 2 "usage: httpd" -p 0 .
usage_check "httpd -p 65536 DIR: status 2" 2 "usage: httpd" -p 65536 .
usage_check "httpd -p x DIR: status 2" 2 "usage: httpd" -p x .
usage_check "httpd -w 0 DIR: status 2" 2 "usage: httpd" -w 0 .
usage_check "httpd -t DIR (no value): status 2" 2 "usage: httpd" . -t
usage_check "httpd -x DIR: status 2" 2 "unknown option" -x .
usage_check "httpd DIR DIR: status 2" 2 "one DIR only" . .
usage_check "httpd /nonexistent: said so, status 1" 1 "/nonexistent: not a directory" /nonexistent

# ---- the directory served ------------------------------------------------------
W=$tmp/www
mkdir -p "$W/sub" "$W/etc"
printf '<h1>hi</h1>' >"$W/index.html"
printf 'sub\n' >"$W/sub/index.html"
printf 'body{}\n' >"$W/style.css"
printf 'not the real one\n' >"$W/etc/passwd"
: >"$W/empty.txt"
printf 'secret\n' >"$tmp/secret.txt"
head -c 5000000 /dev/urandom >"$W/big.bin"
ln -s "$tmp/secret.txt" "$W/out.txt"           # leads out of DIR
ln -s ../secret.txt "$W/up.txt"                # so does this one
ln -s index.html "$W/in.html"                  # stays within DIR
mkfifo "$W/fifo"                                # opening it must not block
touch -d '2020-01-01 00:00:00 UTC' "$W/index.html"

# serve ARGS...: start httpd on a free port; sets $port and $spid.
serve() {
	for try in 1 2 3 4 5; do
		port=$((20000 + ($$ * 7 + n * 13 + try * 101) % 40000))
		$RUNNER "$HTTPD" -p "$port" "$@" >"$tmp/serve" 2>&1 &
		spid=$!
		wait=0                  # 10 s at most: a busy machine, an emulator
		while [ $wait -lt 100 ]; do
			grep -q serving "$tmp/serve" 2>/dev/null && return 0
			kill -0 "$spid" 2>/dev/null || break
			sleep 0.1
			wait=$((wait + 1))
		done
		stop
	done
	return 1
}
# client ARGS...: tests/httpd_client.py's lines, numbered on from ours.
client() {
	timeout 120 python3 tests/httpd_client.py "$port" "$@" >"$tmp/py" 2>&1
	pst=$?
	while IFS= read -r l; do
		n=$((n + 1))
		case $l in *"[FAIL]") failed=$((failed + 1)) ;; esac
		printf '%3d %s\n' "$n" "${l#????}"
	done <"$tmp/py"
	[ "$pst" -eq 0 ] || grep -q '\[FAIL\]$' "$tmp/py" || check "httpd_client.py $* ends cleanly" "status $pst" false
}
stop() { [ -n "$spid" ] && kill "$spid" 2>/dev/null && wait "$spid" 2>/dev/null; spid=""; }

if ! have curl; then
	echo "SKIP httpd with curl: curl is not installed (apt-get install curl)"
elif ! serve -t 2 "$W"; then
	check "httpd listens" "$(head -c 60 "$tmp/serve")" false
else
	U=http://127.0.0.1:$port
	# get PATH [CURL ARGS...]: "CODE SIZE" of the answer, the body in $tmp/body
	get() { p=$1; shift; curl -s --path-as-is -o "$tmp/body" -w '%{http_code} %{size_download}' "$@" "$U$p"; }

	r=$(get /big.bin)
	check "5 MB file, byte for byte (cmp)" "$r" cmp -s "$tmp/body" "$W/big.bin"
	r=$(curl -s -g -o "$tmp/body6" -w '%{http_code}' "http://[::1]:$port/big.bin" 2>&1)
	if [ "$r" = 000 ]; then
		echo "SKIP httpd over IPv6: no IPv6 loopback here"
	else
		check "the same over IPv6 ([::1])" "$r" cmp -s "$tmp/body6" "$W/big.bin"
	fi
	head -c 1234567 "$W/big.bin" >"$tmp/part"
	r=$(curl -s -C - -o "$tmp/part" -w '%{http_code}' "$U/big.bin")
	check "curl -C - resumes a partial download" "$r" eval '[ "$r" = 206 ] && cmp -s "$tmp/part" "$W/big.bin"'
	curl -s -v -o /dev/null -o /dev/null "$U/index.html" "$U/big.bin" 2>"$tmp/v"
	check "keep-alive: curl reuses the connection" "$(grep -c 'Re-using existing' "$tmp/v") reuse" \
		grep -q 'Re-using existing' "$tmp/v"
	r=$(curl -s -I -o "$tmp/head" -w '%{http_code} %{size_download}' "$U/big.bin")
	check "HEAD: 200, Content-Length, no body" "$r" \
		eval '[ "$r" = "200 0" ] && grep -q "^Content-Length: 5000000" "$tmp/head"'
	r=$(get /big.bin -r 1000-1999 -D "$tmp/hdr")
	tail -c +1001 "$W/big.bin" | head -c 1000 >"$tmp/want"
	check "Range 1000-1999: 206, those bytes" "$r" \
		eval 'cmp -s "$tmp/body" "$tmp/want" && grep -q "^Content-Range: bytes 1000-1999/5000000" "$tmp/hdr"'
	r=$(get /big.bin -r -100)
	check "Range -100: 206, the last 100 bytes" "$r" eval 'tail -c 100 "$W/big.bin" | cmp -s - "$tmp/body"'
	r=$(get /big.bin -r 6000000- -D "$tmp/hdr")
	check "Range past the end: 416, bytes */size" "$r" \
		eval '[ "${r%% *}" = 416 ] && grep -q "^Content-Range: bytes \*/5000000" "$tmp/hdr"'
	r=$(get /index.html -H 'If-Modified-Since: Wed, 01 Jan 2020 00:00:00 GMT')
	check "If-Modified-Since = mtime: 304, no body" "$r" [ "$r" = "304 0" ]
	r=$(get /index.html -H 'If-Modified-Since: Tue, 31 Dec 2019 23:59:59 GMT')
	check "If-Modified-Since before mtime: 200" "$r" [ "$r" = "200 11" ]
	r=$(get /index.html -H 'If-Modified-Since: yesterday')
	check "If-Modified-Since unparsable: ignored, 200" "$r" [ "$r" = "200 11" ]
	curl -s -D "$tmp/hdr" -o /dev/null "$U/index.html"
	check "Last-Modified: the file's mtime" "$(grep -c '^Last-Modified: Wed, 01 Jan 2020 00:00:00 GMT' "$tmp/hdr")" \
		grep -q '^Last-Modified: Wed, 01 Jan 2020 00:00:00 GMT' "$tmp/hdr"
	for tc in index.html:text/html style.css:text/css big.bin:application/octet-stream; do
		curl -s -D "$tmp/hdr" -o /dev/null "$U/${tc%%:*}"
		check "Content-Type of ${tc%%:*}: ${tc#*:}" "$(sed -n 's/^Content-Type: \([^;]*\).*/\1/p' "$tmp/hdr" | tr -d '\r')" \
			grep -q "^Content-Type: ${tc#*:}" "$tmp/hdr"
	done
	r=$(get /); check "/: index.html" "$r" [ "$r" = "200 11" ]
	r=$(get /sub); check "/sub: sub/index.html" "$r" [ "$r" = "200 4" ]
	r=$(get /empty.txt); check "an empty file: 200, 0 bytes" "$r" [ "$r" = "200 0" ]
	r=$(get /nope); check "a missing file: 404" "$r" [ "${r%% *}" = 404 ]
	r=$(get /fifo -m 10); check "a FIFO: 403, nothing blocked" "$r" [ "${r%% *}" = 403 ]
	for p in /../secret.txt /%2e%2e/secret.txt /sub/..%2f..%2fsecret.txt /%2E%2E/secret.txt \
		 /out.txt /up.txt /sub/../../secret.txt; do
		r=$(get "$p")
		check "$p: refused, the secret not sent" "$r" \
			eval '[ "${r%% *}" -ge 400 ] && ! grep -q secret "$tmp/body"'
	done
	r=$(get //etc/passwd)
	check "//etc/passwd: DIR's etc/passwd" "$r" grep -q 'not the real one' "$tmp/body"
	# A symlink within DIR: followed where openat2 resolves beneath DIR,
	# refused where only O_NOFOLLOW guards (QEMU without openat2).
	r=$(get /in.html)
	check "a symlink within DIR: 200, or 403" "$r" eval '[ "$r" = "200 11" ] || [ "${r%% *}" = 403 ]'
	if have python3; then
		client 2
	else
		echo "SKIP httpd raw requests and slowloris: python3 is not installed"
	fi
	# Load: thousands of requests, none failed (the host only).
	if [ -n "$RUNNER" ]; then
		echo "SKIP httpd under wrk and ab: not under QEMU (the host's run loads it)"
	else
		if have wrk; then
			wrk -t2 -c50 -d2s "$U/index.html" >"$tmp/wrk" 2>&1
			reqs=$(awk '/requests in/ { print $1 }' "$tmp/wrk")
			errs=$(grep -E 'Socket errors|Non-2xx' "$tmp/wrk" | tr -s ' ' | head -1)
			check "wrk -c50 2s: thousands, no errors" "${reqs:-?} requests${errs:+, $errs}" \
				eval '[ "${reqs:-0}" -ge 2000 ] && [ -z "$errs" ]'
		else
			echo "SKIP httpd under wrk: wrk is not installed (apt-get install wrk)"
		fi
		if have ab; then
			ab -q -k -n 5000 -c 50 "$U/index.html" >"$tmp/ab" 2>&1
			done=$(awk '/^Complete requests:/ { print $3 }' "$tmp/ab")
			bad=$(awk '/^Failed requests:/ { print $3 }' "$tmp/ab")
			check "ab -k -n 5000 -c 50: all complete, 0 failed" "${done:-?} done, ${bad:-?} failed" \
				[ "${done:-0}" = 5000 -a "${bad:-1}" = 0 ]
		else
			echo "SKIP httpd under ab: ab is not installed (apt-get install apache2-utils)"
		fi
	fi
	stop
	# A pool of 4 (the small build): a fifth client gets a 503.
	if ! have python3; then
		:
	elif [ ! -x "$B/small/examples/httpd" ]; then
		echo "SKIP httpd with a full pool: no $B/small/examples/httpd (make test-build)"
	elif HTTPD=$B/small/examples/httpd && serve -t 30 "$W"; then
		client 30 full
		stop
	else
		check "small/httpd listens" "$(head -c 60 "$tmp/serve")" false
	fi
	HTTPD=$B/examples/httpd
	# -w 3: three processes on the port, all serving; gone with the first.
	if serve -w 3 "$W"; then
		sleep 0.3
		kids=$(ps -o pid= --ppid "$spid" | wc -l)
		ok=0
		for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
			[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/")" = 200 ] && ok=$((ok + 1))
		done
		check "-w 3: 2 more processes, 20 of 20 answered" "$kids more, $ok answered" [ "$kids" -eq 2 -a "$ok" -eq 20 ]
		pids=$(ps -o pid= --ppid "$spid")
		stop
		for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30; do
			left=0
			for p in $pids; do kill -0 "$p" 2>/dev/null && left=$((left + 1)); done
			[ "$left" -eq 0 ] && break
			sleep 0.1
		done
		check "-w 3: the workers end with the first" "$left left" [ "$left" -eq 0 ]
		for p in $pids; do kill "$p" 2>/dev/null; done
	else
		check "httpd -w 3 listens" "$(head -c 60 "$tmp/serve")" false
	fi
fi
[ "$failed" -eq 0 ]
