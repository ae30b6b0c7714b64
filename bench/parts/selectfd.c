/* co_select with an fd case beside a channel (event.c's select; against
 * base, so it includes event.c's waiting and what the channel costs:
 * compare +select, a select on channels only, which carries none of it). */
#include "part.h"

CO_CHAN_DECLARE(a, int, 0);

static void part(void)
{
	int v = co_self(), w;
	struct co_case k[2] = { { .ch = &a, .op = CO_RECV, .msg = &w },
				{ .op = CO_FD_READ, .fd = 0 } };

	if (v == 1)
		co_select(k, 2, -1);
	else
		co_send(&a, &v, -1);
}
