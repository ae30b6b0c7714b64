# gdb/coroutines_ext.py - gdb's view of the runtime's coroutines, a module
# that gdb/coroutines.py imports:
#
#   gdb -x gdb/coroutines.py build/x86_64/bin/PROGRAM  (or: source gdb/coroutines.py)
#   make debug [ARCH=...] [APP=prog.c] [ARGS="..."]    (gdb/debug.sh: QEMU too)
#
# Commands (docs/debugging.md):
#   info coroutines      one line per coroutine: id, state, the function it
#                        started with, its chunk of stack_pool, its stack
#                        peak, where it is (* marks the running one)
#   coroutine N [CMD]    run gdb's CMD (default: bt) as if coroutine N (an id,
#                        or "poller") were running: its own backtrace
#
# How a parked coroutine is shown: switch.S's CFI describes _co_switch at
# every instruction; from its label _co_parked on, the frame's CFA is read
# through the save register (CFA = *save + frame size).  So setting, in the
# innermost frame, sp to the coroutine's saved sp (struct co .sp), the save
# register to &.sp and pc to _co_parked makes gdb unwind that coroutine's
# stack with its own CFI, on every architecture.  The registers are put back
# at once.  Nothing is written to the program's memory.
import gdb
import gdb.unwinder

# Per architecture (gdb's name, by prefix): the save register (_co_switch's
# first argument) and the register _co_frame puts fn in (switch.S).
ARCHES = [("i386:x86-64", "rdi", "r12"), ("aarch64", "x0", "x19"),
          ("riscv", "a0", "s1"), ("arm", "r0", "r4"), ("i386", "eax", "ebx"),
          ("s390", "r2", "r12")]


def regs():
    name = gdb.selected_inferior().architecture().name()
    for prefix, save, fn in ARCHES:
        if name.startswith(prefix):
            return save, fn
    raise gdb.GdbError("coroutines: no frame layout for architecture " + name)


def var(name, field=None):
    """The runtime's variable name.  With LTO, gdb finds a static under
    several compilation units, all but one optimised out."""
    syms = gdb.lookup_static_symbols(name) + [gdb.lookup_global_symbol(name)]
    for s in syms:
        if s is None:
            continue
        v = s.value()
        if not v.is_optimized_out and (field is None or
                                       field in [f.name for f in v.type.target().fields()]):
            return v
    return None


def address(name):
    """The address of the runtime's variable or function name.  A variable
    through var: gdb's own lookup, from a frame of the program, may find an
    optimised-out copy first."""
    v = var(name)
    v = v.address if v is not None else gdb.parse_and_eval("&" + name)
    return int(v.cast(gdb.lookup_type("long")))


def function_at(pc):
    """The name of the function that starts at pc, or None (on arm, bit 0
    of a function's address is set for Thumb code).  The outermost
    function's block: a function inlined at the very start of another
    (co_wait into its caller, with LTO) has a block that starts there too."""
    if gdb.selected_inferior().architecture().name().startswith("arm"):
        pc &= ~1
    block, outer = gdb.block_for_pc(pc), None
    while block and not (block.is_static or block.is_global):
        if block.function:                      # the outermost function's,
            outer = block                       # not one inlined at pc
        block = block.superblock                # (clang's debug info has
                                                # such blocks at an entry)
    return outer.function.name if outer and outer.start == pc else None


# ---- the coroutines ------------------------------------------------------

class Co:
    """cos[i]: its id (None for the poller), state, stack."""

    def __init__(self, i, c, cos_len):
        self.i, self.c = i, c
        self.poller = i == cos_len - 1
        self.id = None if self.poller else int(c["id"])
        self.name = "poller" if self.poller else str(self.id)


def coroutines():
    """The live coroutines: main (unless it called co_exit), those in the
    id table _co_sched.by_id, and the poller once started."""
    cos = var("_co_cos")
    n = cos.type.range()[1] + 1
    s = var("_co_sched")
    live = [Co(0, cos[0], n)] if not int(s["main_gone"]) else []
    ids = []
    for b in range(s["by_id"].type.range()[1] + 1):
        c = s["by_id"][b]
        while int(c):
            ids.append(Co(int((c - cos[0].address)), c.dereference(), n))
            c = c["id_next"]
    live += sorted(ids, key=lambda co: co.id)
    if int(cos[n - 1]["sp"]) or running() == n - 1:
        live.append(Co(n - 1, cos[n - 1], n))
    return live


def find(name):
    for co in coroutines():
        if co.name == name:
            return co
    raise gdb.GdbError("coroutines: no live coroutine " + name)


def running():
    """The running coroutine's index: sched.c's _co_running, a pointer."""
    return int(var("_co_running") - var("_co_cos")[0].address)


def state(co):
    if co.i == running():
        return "running"
    w = co.c["wait"]
    if not int(w):
        return "ready"
    text = w["why"].string().replace("#", str(int(w["arg"])))
    t = var("timers", "deadline")
    if int(w["timed"]) and t is not None:
        text += " until %.3f s" % (int(t[co.i]["deadline"]) / 1e9)
    return text


def stack(co):
    """(chunk text, peak bytes): the peak as co_stack_peak measures it, the
    top less the lowest non-zero word (the guard reads as zeros)."""
    if co.i == 0:
        return "process stack", None
    word = gdb.lookup_type("long").sizeof
    if co.poller:
        lo = address("poller_stack")
        size = var("poller_stack").type.sizeof
        top, where = lo + size, "poller_stack"
    else:
        k = co.i - 1
        pool = var("stack_pool")        # clang describes no extern variable
        size = pool[0].type.sizeof if pool is not None else address("_co_stack_size")
        lo = address("stack_pool") + k * size
        top = lo + size - k % 32 * 64        # pool.c, _co_stack_top: COLOURS
        where = "chunk %d" % k
    low = top
    inferior = gdb.selected_inferior()
    for page in range(lo, top, 4096):       # past the first word: the canary
        try:
            mem = bytes(inferior.read_memory(page, min(4096, top - page)))
        except gdb.MemoryError:
            continue                        # a guard page, under QEMU
        if page == lo:
            mem = bytes(word) + mem[word:]
        used = len(mem) - len(mem.lstrip(b"\0"))
        if used < len(mem):
            low = page + used // word * word
            break
    return "%s %#x-%#x" % (where, lo, lo + size), top - low


class Parked:
    """with Parked(co): the innermost frame shows co as it was parked."""

    def __init__(self, co):
        self.co = co

    def __enter__(self):
        self.level = gdb.selected_frame().level()
        gdb.newest_frame().select()
        save, self.fn = regs()
        self.names = ["pc", "sp", save] + (["cpsr"] if save == "r0" else [])
        self.old = [int(gdb.parse_and_eval("$" + r)) for r in self.names]
        sp = int(self.co.c["sp"])
        self.set(**{save: int(self.co.c["sp"].address)}, sp=sp, pc=address("_co_parked"))
        # Not run yet: it "returns" to _co_entry's first instruction, which
        # gdb would look up at the instruction before it (_co_frame's).
        caller = gdb.newest_frame().older()
        self.fresh = caller.pc() == address("_co_entry")
        if self.fresh:
            self.started = int(caller.read_register(self.fn))
            self.set(sp=int(caller.read_register("sp")), pc=caller.pc())
        return self

    def set(self, pc, **values):
        """Write the registers, pc last.  gdb writes a register in the frame
        it finds at pc, so pc is first moved to _co_entry, whose frame it
        finds whatever the other registers hold (CFA = sp + a word)."""
        for r, v in [("pc", address("_co_entry"))] + list(values.items()) + [("pc", pc)]:
            gdb.newest_frame().select()
            gdb.execute("set $%s = %#x" % (r, v), to_string=True)

    def __exit__(self, *exc):
        self.set(**dict(zip(self.names, self.old)))
        frame = gdb.newest_frame()
        for _ in range(self.level):
            frame = frame.older() or frame
        frame.select()


def frames():
    """The selected thread's frames, newest first."""
    f = gdb.newest_frame()
    while f:
        yield f
        f = f.older()


def describe(fn):
    """(the function it started with, where it is).  The function: fn's
    register as unwound in _co_entry's frame (callee-saved: it holds fn
    through the call, tail calls or not); main below _co_start_c.  Where:
    the first frame beyond the runtime's functions (co_*, _co_*) that the
    coroutine called last, and that function."""
    fs = list(frames())
    names = [f.name() or "??" for f in fs]
    end = next((k for k, n in enumerate(names) if n in ("_co_entry", "_co_start_c")), len(fs))
    started = names[end - 1] if end > 0 else "??"
    if end < len(fs) and names[end] == "_co_entry":     # unless fn never
        started = function_at(int(fs[end].read_register(fn))) or started   # returns
    runtime = [k for k in range(end) if names[k].startswith(("co_", "_co_"))]
    last = runtime[-1] if runtime else None
    k = last + 1 if last is not None and last + 1 < end else last or 0
    sal = fs[k].find_sal()
    where = names[k]
    if sal.symtab:
        where += " (%s:%d)" % (sal.symtab.filename.split("/")[-1], sal.line)
    if last is not None and k != last:
        where += " in " + names[last]
    return started, where


class InfoCoroutines(gdb.Command):
    """List the coroutines: id, state, function, stack chunk, peak, where."""

    def __init__(self):
        super().__init__("info coroutines", gdb.COMMAND_STACK)

    def invoke(self, arg, from_tty):
        rows = []
        for co in coroutines():
            if state(co) == "running":
                started, where = describe(regs()[1])
            else:
                with Parked(co) as p:
                    if p.fresh:
                        started = function_at(p.started) or "%#x" % p.started
                        where = "not started"
                    else:
                        started, where = describe(p.fn)
            chunk, peak = stack(co)
            rows.append(("*" if state(co) == "running" else " ", co.name, state(co),
                         started, chunk, "-" if peak is None else str(peak), where))
        head = (" ", "Id", "State", "Function", "Stack", "Peak", "Where")
        widths = [max(len(r[k]) for r in rows + [head]) for k in range(6)]
        for r in [head] + rows:
            print("  ".join(r[k].ljust(widths[k]) if k != 5 else r[k].rjust(widths[k])
                            for k in range(6)) + "  " + r[6])


class CoroutineCommand(gdb.Command):
    """coroutine N [COMMAND]: run COMMAND (default: bt) as if coroutine N
    (an id from `info coroutines`, or poller) were the running one."""

    def __init__(self):
        super().__init__("coroutine", gdb.COMMAND_STACK)

    def invoke(self, arg, from_tty):
        words = arg.split(None, 1)
        if not words:
            raise gdb.GdbError("usage: coroutine N [COMMAND]")
        co, command = find(words[0]), words[1] if len(words) > 1 else "bt"
        if state(co) == "running":
            gdb.execute(command, from_tty)
            return
        with Parked(co):
            gdb.execute(command, from_tty)


class FrameId:
    """A frame's identity for gdb: its CFA and its function's address."""

    def __init__(self, sp, pc):
        self.sp, self.pc = sp, pc


class SwitchReturn(gdb.unwinder.Unwinder):
    """i386 only: at the `ret` that ends _co_switch, gdb does not ask the CFI
    (it trusts CFI at a `ret` for gcc's code only) but guesses the frame
    from esp, by then the next coroutine's.  This says what the CFI says:
    CFA = *eax + 28, ebp edi esi ebx and eip saved below it."""

    SAVED = [("eip", 4), ("ebp", 8), ("ebx", 12), ("esi", 16), ("edi", 20)]

    def __init__(self):
        super().__init__("coroutines: _co_switch's ret (i386)")

    def __call__(self, frame):
        if frame.level() != 0 or frame.architecture().name() != "i386":
            return None
        pc = int(frame.read_register("eip"))
        if pc != address("_co_frame") - 1:
            return None
        word = gdb.lookup_type("unsigned int")
        at = lambda a: gdb.Value(a).cast(word.pointer()).dereference()
        cfa = int(at(int(frame.read_register("eax")))) + 28
        info = frame.create_unwind_info(FrameId(gdb.Value(cfa).cast(word),
                                                gdb.Value(address("_co_switch")).cast(word)))
        for reg, below in self.SAVED:
            info.add_saved_register(reg, at(cfa - below))
        info.add_saved_register("esp", gdb.Value(cfa).cast(word))
        return info


InfoCoroutines()
CoroutineCommand()
gdb.unwinder.register_unwinder(None, SwitchReturn(), replace=True)
