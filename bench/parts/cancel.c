/* Cancellation: co_cancel (cancel.c, and the hook _co_wait calls). */
#include "part.h"

static void part(void) { co_cancel(co_self()); }
