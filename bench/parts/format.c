/* The printf-style formatter: print. */
#include "part.h"
#include "print.h"

static void part(void) { co_print("coroutine %d\n", co_self()); }
