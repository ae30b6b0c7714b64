/* Signals as events: co_signal_wait (signal.c; event.c's fd wait for the
 * signalfd, wait.c's queues). */
#include "part.h"

static void part(void)
{
	co_signal_wait(CO_SIG(15), -1);     /* SIGTERM */
}
