/* Waiting for an fd: co_read on stdin (event.c's epoll side). */
#include "part.h"

static void part(void)
{
	char c;

	co_read(0, &c, 1);
}
