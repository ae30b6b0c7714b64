/* A channel: one coroutine sends, the other receives (chan.c). */
#include "part.h"

CO_CHAN_DECLARE(ch, int, 0);

static void part(void)
{
	int v = co_self();

	if (v == 1)
		co_send(&ch, &v, -1);
	else
		co_recv(&ch, &v, -1);
}
