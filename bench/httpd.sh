#!/bin/sh
# bench/httpd.sh BUILD [RUNNER] - examples/httpd.c beside nginx (make bench).
#
# Both serve the same directory (BUILD/www: a 4 KiB index.html) on
# 127.0.0.1 with the same number of worker processes (WORKERS, default 1),
# nginx as a foreground process from a configuration generated in
# BUILD/nginx/ (access log off, sendfile on, keep-alive).  wrk (one thread:
# the other CPU is the server's) loads each for SECS seconds (default 3) at
# 10 and at 1000 connections: requests per second, the 99th percentile
# latency, and any socket error or non-2xx answer.  Then the servers' peak
# resident memory (VmHWM, summed over their processes) and the stripped
# size of each program (nginx's binary alone: its shared libraries not
# counted).  The table goes into docs/figures.md, section "httpd".
#
# The host only: under QEMU the figures would measure the emulator.  A
# missing nginx or wrk is a SKIP line naming its package.
set -u
B=$1 RUNNER=${2:-}
WORKERS=${WORKERS:-1} SECS=${SECS:-3}
NGINX=${NGINX:-/usr/sbin/nginx}
. "$(dirname "$0")/figures.sh"

echo; echo "examples/httpd.c beside nginx, $WORKERS worker(s), wrk for ${SECS}s a run"
if [ -n "$RUNNER" ]; then
	echo "  skipped under QEMU: the host's make bench measures it"
	exit 0
fi
command -v wrk >/dev/null 2>&1 || { echo "SKIP httpd bench: wrk is not installed (apt-get install wrk)"; exit 0; }
[ -x "$NGINX" ] || { echo "SKIP httpd bench: nginx is not installed (apt-get install nginx-light)"; exit 0; }
ulimit -n 8192 2>/dev/null || ulimit -n 4096 2>/dev/null

ROOT=$(cd "$B" && pwd)
mkdir -p "$ROOT/www" "$ROOT/nginx"
awk 'BEGIN { printf "<!doctype html>\n<title>bench</title>\n<pre>\n";
	for (i = 0; i < 62; i++) printf "%063d\n", i; printf "</pre>\n" }' >"$ROOT/www/index.html"
T=$(mktemp -d) && trap 'stop; rm -rf "$T"' EXIT
pid=""

# nginx.conf PORT: a foreground nginx serving www on 127.0.0.1:PORT.
nginx_conf() {
	cat <<EOF
daemon off;
master_process on;
worker_processes $WORKERS;
pid $ROOT/nginx/nginx.pid;
error_log $ROOT/nginx/error.log;
events { worker_connections 4096; }
http {
	access_log off;
	sendfile on;
	tcp_nopush on;
	keepalive_requests 1000000;
	default_type application/octet-stream;
	types { text/html html; }
	client_body_temp_path $ROOT/nginx/body;
	proxy_temp_path $ROOT/nginx/proxy;
	fastcgi_temp_path $ROOT/nginx/fastcgi;
	uwsgi_temp_path $ROOT/nginx/uwsgi;
	scgi_temp_path $ROOT/nginx/scgi;
	server { listen 127.0.0.1:$1; root $ROOT/www; }
}
EOF
}

# start SERVER PORT: start it in the background (pid in $pid), wait until
# it answers.
start() {
	case $1 in
	httpd) "$B/bin/httpd" -p "$2" -w "$WORKERS" "$ROOT/www" >"$T/out" 2>&1 & pid=$! ;;
	nginx) nginx_conf "$2" >"$ROOT/nginx/nginx.conf"
	       "$NGINX" -p "$ROOT/nginx" -c "$ROOT/nginx/nginx.conf" -e "$ROOT/nginx/error.log" \
		       >"$T/out" 2>&1 & pid=$! ;;
	esac
	for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30; do
		curl -s -o /dev/null "http://127.0.0.1:$2/index.html" && return 0
		sleep 0.1
	done
	echo "  $1 did not start: $(head -c 200 "$T/out")" >&2
	return 1
}
stop() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; pid=""; }

# Peak resident memory, KiB, of pid and its children.
hwm() {
	total=0
	for p in $1 $(ps -o pid= --ppid "$1"); do
		k=$(awk '/^VmHWM:/ { print $2 }' "/proc/$p/status" 2>/dev/null)
		total=$((total + ${k:-0}))
	done
	echo $total
}

# load CONNS PORT: "REQ/S P99 ERRORS" from wrk.
load() {
	wrk -t1 -c"$1" -d"${SECS}s" --latency "http://127.0.0.1:$2/index.html" >"$T/wrk" 2>&1
	awk '/^Requests\/sec:/ { r = $2 } $1 == "99%" { p = $2 }
	     /Socket errors/ { e = $0 } /Non-2xx/ { e = e " " $0 }
	     END { gsub(/ +/, " ", e); printf "%s %s %s\n", r ? int(r) : "?", p ? p : "?", e ? "errors" : "none" }' "$T/wrk"
}

size_of() { strip -o "$T/stripped" "$1" 2>/dev/null && wc -c <"$T/stripped"; }

printf '  %-8s %12s %9s %12s %9s %9s %9s\n' server "req/s c=10" p99 "req/s c=1000" p99 "peak RSS" size
rows=""
for server in httpd nginx; do
	port=$((30000 + ($$ * 3 + ${#server}) % 20000))
	start $server $port || exit 1
	set -- $(load 10 "$port") $(load 1000 "$port")
	rss=$(hwm "$pid")
	stop
	case $server in
	httpd) bytes=$(size_of "$B/bin/httpd") label="examples/httpd.c (coroutines)" ;;
	nginx) bytes=$(size_of "$NGINX") label="nginx $("$NGINX" -v 2>&1 | sed 's/.*nginx\///') (Debian nginx-light)" ;;
	esac
	printf '  %-8s %12s %9s %12s %9s %6s KiB %9s%s\n' $server "$1" "$2" "$4" "$5" "$rss" "$bytes" \
		"$([ "$3$6" = nonenone ] || echo "  (wrk saw errors: $3 $6)")"
	rows="$rows| $label | $1 | $2 | $4 | $5 | $rss | $bytes |$([ "$3$6" = nonenone ] || echo " wrk saw errors")
"
done

{
	echo "Measured by \`make bench\` on $(date -u +%Y-%m-%d): $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1), $(nproc) CPUs."
	echo "Both servers: $WORKERS worker process(es), the same directory, a 4 KiB index.html over 127.0.0.1, keep-alive;"
	echo "nginx with access_log off and sendfile on. Load: wrk, one thread, ${SECS} s a run, at 10 and at 1000 connections."
	echo "Peak RSS: VmHWM summed over the server's processes. Size: the stripped program (nginx's"
	echo "binary alone; it also loads shared libraries, not counted)."
	echo
	echo "| server | req/s, 10 connections | p99 latency, 10 | req/s, 1000 connections | p99 latency, 1000 | peak RSS, KiB | stripped size, bytes |"
	echo "|---|---|---|---|---|---|---|"
	printf '%s' "$rows"
} >"$T/table"
echo
cat "$T/table"
figures_write httpd "$T/table"
