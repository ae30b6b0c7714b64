/* Wait queues: co_wait and co_wake_one (wait.c, and timer.c for the
 * timeout the wait may take). */
#include "part.h"

static struct co_queue q;

static void part(void)
{
	if (co_self() == 1)
		co_wait(&q, -1);
	else
		co_wake_one(&q);
}
