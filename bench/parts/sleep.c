/* Waiting for time: co_sleep (timer.c's heap and poller). */
#include "part.h"

static void part(void) { co_sleep(1000); }
