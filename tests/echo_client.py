#!/usr/bin/env python3
"""tests/echo_client.py PORT MODE - a client for examples/echo.c that we did
not write in C: the standard library's sockets and threads.

MODE many     200 concurrent connections, each sending a few kilobytes,
              every byte echoed back; a client that vanishes mid-stream; a
              client that sends nothing; then the server still answers.
MODE full     with the server's pool holding 4: four connections held open,
              the fifth is told the server is full, and closed.
MODE emfile   with the server's fd limit low: more connections than fds, the
              server backs off instead of spinning, and recovers.
MODE once     one round trip.

Every check prints one line ending [OK] or [FAIL]; loopback only; every loop
is bounded in count and time.
"""
import os
import socket
import sys
import threading
import time

PORT = int(sys.argv[1])
MODE = sys.argv[2]
failures = 0
number = 0


def check(ok, name, observed):
    global failures, number
    number += 1
    failures += not ok
    print("%3d %-46s %-28s %s" % (number, name, observed, "[OK]" if ok else "[FAIL]"), flush=True)


def connect():
    s = socket.create_connection(("127.0.0.1", PORT), timeout=20)
    s.settimeout(20)
    return s


def recv_all(s, n):
    got = b""
    while len(got) < n:
        chunk = s.recv(65536)
        if not chunk:
            break
        got += chunk
    return got


def round_trip(data):
    with connect() as s:
        s.sendall(data)
        return recv_all(s, len(data)) == data


def eventually(data, within=10.0):
    """round_trip(data) until it works or within seconds pass: a server
    under an emulator on a busy machine takes its time to see a close."""
    end = time.monotonic() + within
    while not round_trip(data):
        if time.monotonic() > end:
            return False
        time.sleep(0.1)
    return True


def many():
    results = [False] * 200
    barrier = threading.Barrier(200, timeout=30)

    def client(i):
        data = os.urandom(2048 + 37 * i)
        try:
            with connect() as s:
                barrier.wait()          # all 200 open at once
                s.sendall(data)
                results[i] = recv_all(s, len(data)) == data
        except Exception:
            results[i] = False

    threads = [threading.Thread(target=client, args=(i,)) for i in range(200)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    check(all(results), "200 concurrent connections, all echoed", "%d of 200" % sum(results))

    # A client that sends a lot and vanishes without reading.
    s = connect()
    try:
        s.sendall(os.urandom(1 << 20))
    except OSError:
        pass
    s.close()
    # A client that sends nothing, held open.
    idle = connect()
    time.sleep(0.2)
    check(round_trip(b"still there?\n" * 100), "after a client vanished mid-stream: echoes", "1300 bytes")
    idle.close()
    check(round_trip(b"x"), "after an idle client left: echoes", "1 byte")


def full():
    held = [connect() for _ in range(4)]
    for s in held:
        s.sendall(b"ping")
        s.recv(4)
    fifth = connect()
    line = b""
    try:
        while not line.endswith(b"\n"):
            chunk = fifth.recv(100)
            if not chunk:
                break
            line += chunk
        closed = fifth.recv(100) == b""
    except OSError:
        closed = True
    check(b"server full" in line and closed, "pool full: one line, then closed", line.decode().strip()[:28])
    for s in held:
        s.close()
    check(eventually(b"back"), "after the pool drained: echoes", "4 bytes")


def ticks(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])        # utime + stime


def emfile():
    pid = int(sys.argv[3])
    conns = []
    for _ in range(40):                 # more than the server has fds
        try:
            conns.append(connect())
        except OSError:
            break
    time.sleep(0.3)
    t0 = ticks(pid)
    time.sleep(1.0)
    used = ticks(pid) - t0
    hz = os.sysconf("SC_CLK_TCK")
    check(used < hz // 4, "out of fds: the server backs off, no spin", "%d ticks in 1 s" % used)
    for s in conns:
        s.close()
    check(eventually(b"after EMFILE"), "fds back: the server answers again", "12 bytes")


{"many": many, "full": full, "emfile": emfile, "once": lambda: check(round_trip(b"hi"), "one round trip", "2 bytes")}[MODE]()
sys.exit(1 if failures else 0)
