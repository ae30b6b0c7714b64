# gdb/coroutines.py - load the coroutines extension into gdb:
#
#   gdb -x gdb/coroutines.py PROGRAM    or, in gdb:    source gdb/coroutines.py
#
# The commands live in gdb/coroutines_ext.py, imported as a module so that
# its names never clash with other scripts' (gdb runs sourced files in one
# namespace, __main__).
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import coroutines_ext  # noqa: E402,F401  (info coroutines, coroutine N)

# main is called by the runtime (_start, then _co_start_c): a backtrace in
# main goes on to _start, as in a coroutine it goes on to _co_entry.
import gdb  # noqa: E402
gdb.execute("set backtrace past-main on")
