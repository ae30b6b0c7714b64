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
