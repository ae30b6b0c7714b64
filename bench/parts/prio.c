/* Priorities: co_set_priority (prio.c's levels replace the one queue). */
#include "part.h"

static void part(void) { co_set_priority(co_self(), 1); }
