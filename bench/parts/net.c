/* TCP sockets by address: co_listen, co_connect and co_accept (net.c), with
 * what they bring: fd waiting (event.c) and timeouts (timer.c, the clock). */
#include "part.h"

static void part(void)
{
	int ls = co_listen("127.0.0.1:0", 1);

	co_close(co_connect("[::1]:1", 0));
	co_close(co_accept(ls, 0));
}
