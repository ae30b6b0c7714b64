/* Waiting for time: co_sleep (event.c's timers and idle wait). */
#include "part.h"

static void part(void) { co_sleep(1000); }
