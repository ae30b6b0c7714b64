/* The printf-style formatter: print. */
#include "part.h"
#include "print.h"

static void part(void) { print("coroutine %d\n", co_self()); }
