#!/usr/bin/env python3
"""tests/httpd_client.py PORT DEADLINE [full] - raw-socket checks of examples/httpd.c
that curl cannot make: requests too large (413, 414, 431), bytes curl would
not send (NUL, a raw "..", absolute-form), methods it does not serve (501),
pipelined requests, and a slowloris client (half a request, then nothing)
that must be dropped once the server's deadline (-t DEADLINE seconds) has
passed, while other clients are served meanwhile.

With "full", against a server whose pool holds 4 coroutines: four idle
connections fill it, the fifth gets a 503 and is closed, and once one of
the four is gone a request is served again.

The server serves tests/httpd.sh's directory: index.html holds "<h1>hi</h1>".
Every check prints one line ending [OK] or [FAIL]; loopback only; every wait
is bounded (a generous multiple of DEADLINE, never a measured time judged).
"""
import re
import socket
import sys
import time

PORT = int(sys.argv[1])
DEADLINE = float(sys.argv[2])
failures = 0
number = 0


def check(ok, name, observed):
    global failures, number
    number += 1
    failures += not ok
    print("%3d %-46s %-28s %s" % (number, name, observed, "[OK]" if ok else "[FAIL]"), flush=True)


def connect():
    s = socket.create_connection(("127.0.0.1", PORT), timeout=DEADLINE * 5 + 10)
    return s


def exchange(raw):
    """Send raw, read until the server closes (or the timeout): the bytes."""
    s = connect()
    try:
        s.sendall(raw)
        got = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            got += chunk
    except OSError as e:
        got = b"error: %s" % str(e).encode()
    s.close()
    return got


def status(resp):
    line = resp.split(b"\r\n", 1)[0]
    parts = line.split(b" ")
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else -1


def refused(name, raw, want):
    resp = exchange(raw)
    got = status(resp)
    check(got in want, name, "status %d" % got)


if len(sys.argv) > 3 and sys.argv[3] == "full":
    idle = [connect() for i in range(4)]
    for s in idle:
        s.sendall(b"GET / HTTP/1.1\r\n")     # half a request: held
    time.sleep(0.5)
    resp = exchange(b"")        # sends nothing: the answer cannot race a reset
    check(status(resp) == 503, "pool full: the fifth client gets 503", "status %d" % status(resp))
    idle.pop().close()
    # served again once the server has seen the close (10 s at most: a
    # server under an emulator on a busy machine takes its time)
    end = time.monotonic() + 10
    while True:
        resp = exchange(b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n")
        if status(resp) == 200 or time.monotonic() > end:
            break
        time.sleep(0.1)
    check(status(resp) == 200, "one gone: served again", "status %d" % status(resp))
    for s in idle:
        s.close()
    sys.exit(1 if failures else 0)

refused("request line of 3000 bytes: 414",
        b"GET /" + b"a" * 3000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", (414,))
refused("head of 9000 bytes: 431",
        b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 9000 + b"\r\n\r\n", (431,))
refused("a body (Content-Length: 10): 413",
        b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n0123456789", (413,))
refused("Transfer-Encoding: chunked: 413",
        b"GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", (413,))
refused("POST: 501", b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", (501,))
refused("HTTP/2.0 in a request line: 505 or 400", b"GET / HTTP/1.9\r\n\r\n", (505, 400))
refused("garbage: 400", b"\x01\x02 hello\r\n\r\n", (400,))
refused("raw /../ in the target: 400", b"GET /../secret.txt HTTP/1.1\r\n\r\n", (400,))
refused("/sub/../../secret.txt: 400", b"GET /sub/../../secret.txt HTTP/1.1\r\n\r\n", (400,))
refused("%2e%2e: 400", b"GET /%2e%2e/secret.txt HTTP/1.1\r\n\r\n", (400,))
refused("%2E%2E%2F (an escaped slash): 400", b"GET /%2E%2E%2Fsecret.txt HTTP/1.1\r\n\r\n", (400,))
refused("%00 in the path: 400", b"GET /index.html%00.txt HTTP/1.1\r\n\r\n", (400,))
refused("a raw NUL in the path: 400", b"GET /index\x00.html HTTP/1.1\r\n\r\n", (400,))
refused("a backslash ..\\: 400", b"GET /..%5csecret.txt HTTP/1.1\r\n\r\n", (400,))
refused("absolute-form target: 400", b"GET http://x/../secret.txt HTTP/1.1\r\n\r\n", (400,))
refused("a space before a header's colon: 400", b"GET / HTTP/1.1\r\nHost : x\r\n\r\n", (400,))
resp = exchange(b"GET //etc/passwd HTTP/1.1\r\nConnection: close\r\n\r\n")
check(status(resp) == 200 and b"root:" not in resp and b"not the real one" in resp,
      "//etc/passwd: DIR's etc/passwd", "status %d" % status(resp))

# Three requests in one write: three answers, in order, then the close.
resp = exchange(b"GET /index.html HTTP/1.1\r\n\r\nHEAD /index.html HTTP/1.1\r\n\r\n"
                b"GET /nope HTTP/1.1\r\nConnection: close\r\n\r\n")
codes = [int(c) for c in re.findall(rb"HTTP/1\.1 (\d\d\d) ", resp)]
check(codes == [200, 200, 404] and resp.count(b"<h1>hi</h1>") == 1,
      "3 pipelined requests: 200, 200 (HEAD), 404", " ".join(map(str, codes)))
# HTTP/1.0: closed after the answer, unless it asks for keep-alive.
resp = exchange(b"GET / HTTP/1.0\r\n\r\n")
check(status(resp) == 200 and b"<h1>hi</h1>" in resp, "HTTP/1.0: answered, then closed", "status %d" % status(resp))

# A slowloris client: half a request, then nothing.  Another client is
# served meanwhile; the slow one is closed once the deadline has passed.
slow = connect()
slow.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
t0 = time.monotonic()
resp = exchange(b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n")
check(status(resp) == 200, "another client served beside a slowloris", "status %d" % status(resp))
try:
    closed = slow.recv(100) == b""
    why = "closed"
except socket.timeout:
    closed, why = False, "still open after %ds" % (DEADLINE * 5 + 10)
except OSError as e:
    closed, why = True, "reset (%s)" % e.__class__.__name__
waited = time.monotonic() - t0
check(closed and waited >= DEADLINE * 0.9, "slowloris: dropped after the deadline", "%s after %.1fs" % (why, waited))
slow.close()
# One byte a while, the head never complete: dropped all the same.
drip = connect()
drip.sendall(b"G")
t0 = time.monotonic()
closed = False
try:
    for c in b"ET / HTTP/1.1\r\nX: " + b"y" * 200:
        time.sleep(DEADLINE / 8)
        drip.sendall(bytes([c]))
except OSError:
    closed = True
waited = time.monotonic() - t0
check(closed and waited >= DEADLINE * 0.9, "a byte every DEADLINE/8 s: dropped", "after %.1fs" % waited)
drip.close()
sys.exit(1 if failures else 0)
