# tests/t_gdb.py - the debugger's test: run inside gdb over tests/t_gdb.c,
# with gdb/coroutines.py loaded (tests/run.sh: GDB_FLAGS="-nx -batch -x
# tests/t_gdb.py" sh gdb/debug.sh RUNNER build/test/ARCH/t_gdb).
#
# Stops in here() (coroutine 1, after five yields, three calls deep) and
# checks: bt there, in co_yield, at every instruction of a yield and of a
# switch (the CFI); `info coroutines` against the states, functions and lines that
# t_gdb.c's header lists and the peaks it measured; `coroutine N bt` for
# each parked coroutine, and the registers left as they were.  Prints a
# table like tests/check.h's, each line prefixed "t_gdb.py ".
import re
import gdb
from coroutines_ext import var      # a static as LTO leaves it

checks = failures = 0


def check(ok, name, observed):
    global checks, failures
    checks += 1
    failures += not ok
    print("t_gdb.py %3d %-46s %-28s %s" % (checks, name, observed[:28], "[OK]" if ok else "[FAIL]"))


def run(command):
    return gdb.execute(command, to_string=True)


def frames(text):
    """The function names of a backtrace, ?? for an unknown one."""
    return re.findall(r"^#\d+\s+(?:0x[0-9a-f]+ in )?(\S+) \(", text, re.M)


def clean(text, last):
    """A backtrace with no unknown frame that ends at last: (ok, observed)."""
    names = frames(text)
    ok = bool(names) and "??" not in names and names[-1] == last and "stopped" not in text
    return ok, " ".join(names)[-28:]


def marker(name):
    """The line of t_gdb.c marked /* gdb: name */."""
    with open("tests/t_gdb.c") as f:
        for k, line in enumerate(f, 1):
            if "/* gdb: %s */" % name in line:
                return k


gdb.execute("set pagination off")
gdb.execute("set confirm off")
# main's own symbol (clang's LTO keeps it, gcc's does not) would end the
# backtrace there: the checks below follow it on to _start.
gdb.execute("set backtrace past-main on")
gdb.execute("break here")
gdb.execute("run" if gdb.selected_inferior().pid == 0 else "continue")

# ---- bt in the running coroutine -------------------------------------------
text = first_bt = run("bt")
ok, seen = clean(text, "_co_entry")
check(ok and frames(text)[:5] == ["here", "nested", "nested", "nested", "running"],
      "bt in a nested call ends at _co_entry", seen)
main_bt = run("coroutine 0 bt")
ok, seen = clean(main_bt, "_start")
check(ok and "main ()" in main_bt, "coroutine 0 bt (main) ends at _start", seen)

# ---- info coroutines ----------------------------------------------------------
before = run("info registers")
table = run("info coroutines").splitlines()
check(run("info registers") == before, "info coroutines leaves the registers", "%d lines" % len(table))
rows = {}
for line in table[1:]:
    fields = re.split(r"\s{2,}", line[1:].strip())
    rows[fields[0]] = [line[0]] + fields
peaks = var("peaks")
want = [("0", "waits to join coroutine 1", "main", "main (t_gdb.c:%d)" % marker("main")),
        ("1", "running", "running", "here (t_gdb.c:"),
        ("2", "ready", "ready", "ready (t_gdb.c:%d)" % marker("ready")),
        ("3", "waits to join coroutine 4", "joiner", "co_join"),
        ("4", "sleeps until ", "sleeper", "sleeper (t_gdb.c:%d)" % marker("sleeper")),
        ("5", "waits on a wait queue", "waiter", "waiter (t_gdb.c:%d)" % marker("waiter")),
        ("6", "ready", "fresh", "not started"),
        ("poller", "ready", "poller", "poller (timer.c:")]
check(sorted(rows) == sorted(w[0] for w in want), "info coroutines: a line per live coroutine",
      " ".join(sorted(rows)))
for name, state, fn, where in want:
    mark, _, st, started, chunk, peak, at = (rows.get(name, []) + ["?"] * 7)[:7]
    ok = st.startswith(state) and started == fn and where in at and (mark == "*") == (name == "1")
    check(ok, "coroutine %s: %s, %s" % (name, state.strip(), fn), "%s | %s" % (st, at))
    if name not in ("0", "poller") and name in rows:
        k, got = int(name), int(peak)
        ok = chunk.startswith("chunk %d " % (k - 1)) and (
            got >= int(peaks[k]) if k == 1 else got == int(peaks[k]))
        check(ok, "  chunk %d, peak as co_stack_peak's" % (k - 1),
              "%s (co_stack_peak %d)" % (peak, int(peaks[k])))

# ---- coroutine N bt ---------------------------------------------------------------
for name, fn, line in [("2", "ready", marker("ready")), ("3", "co_join", None),
                       ("4", "sleeper", marker("sleeper")), ("5", "waiter", marker("waiter")),
                       ("poller", "poller", None), ("6", "_co_entry", None)]:
    text = run("coroutine %s bt" % name)
    ok, seen = clean(text, "_co_entry")
    ok = ok and fn in frames(text) and (line is None or "t_gdb.c:%d" % line in text)
    check(ok, "coroutine %s bt: %s, ends at _co_entry" % (name, fn), seen)
check(run("info registers") == before, "coroutine N bt leaves the registers", "")
check(run("bt") == first_bt, "  ... and bt as before", "")

# ---- bt in co_yield, and at every instruction of a switch ----------------------------------
gdb.execute("delete")
gdb.execute("break co_yield")
gdb.execute("continue")
text = run("bt")
ok, seen = clean(text, "_co_entry")
check(ok and "co_yield" in frames(text), "bt in co_yield ends at _co_entry", seen)


def switching():
    """Is the pc in a yield's or a switch's instructions?  (x86_64's co_yield
    falls into _co_switch, switch.S; elsewhere it jumps there, on arm through
    the linker's Thumb-to-ARM veneer, ___co_switch_from_thumb; i386's
    PIE=1 co_yield calls __x86.get_pc_thunk.* first, for its own address.)"""
    name = run("info symbol $pc").split(" ")[0]
    return (name in ("co_yield", "_co_parked") or "_co_switch" in name or
            name.startswith("__x86.get_pc_thunk"))


def pc():
    return int(gdb.parse_and_eval("(long)$pc"))


def walk(inside, what):
    """stepi while inside(), the backtrace whole at each instruction: it
    ends at _co_entry or _start, with no ?? frame."""
    steps, bad = 0, ""
    while inside() and steps < 200:
        text = run("bt")
        names = frames(text)
        if "??" in names or "stopped" in text or names[-1] not in ("_co_entry", "_start"):
            bad = bad or "at %s: %s" % (hex(pc()), " ".join(names[-3:]))
        gdb.execute("stepi", to_string=True)
        steps += 1
    check(not bad and steps >= 10, "bt at each instruction of a " + what, bad or "%d instructions" % steps)


walk(switching, "yield")
gdb.execute("delete")
gdb.execute("break _co_switch")
gdb.execute("continue")
start = int(gdb.parse_and_eval("(long)&_co_switch"))
end = int(gdb.parse_and_eval("(long)&_co_frame"))
walk(lambda: start <= pc() < end, "switch")

gdb.execute("kill")
if failures:
    gdb.execute("quit 1")
