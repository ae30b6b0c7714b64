/* The smallest program: spawn, yield, run to the end.  No part. */
#include "part.h"

static void part(void) { }
