/* co_select: one coroutine waits on two channels, the other sends on one
 * (chan.c; the figure, like every part's, is against base, so it includes
 * what the channel itself costs: see +chan). */
#include "part.h"

CO_CHAN_DECLARE(a, int, 0);
CO_CHAN_DECLARE(b, int, 1);

static void part(void)
{
	int v = co_self(), w;
	struct co_case k[2] = { { .ch = &a, .op = CO_RECV, .msg = &w },
				{ .ch = &b, .op = CO_RECV, .msg = &w } };

	if (v == 1)
		co_select(k, 2, -1);
	else
		co_send(&b, &v, -1);
}
