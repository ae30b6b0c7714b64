/* Processes: co_exec and co_wait_process (proc.c, clone.S; event.c's fd
 * wait for the pidfd). */
#include "part.h"

static void part(void)
{
	static char *argv[] = { "true", 0 };

	co_wait_process(co_exec("/bin/true", argv, 0, 0), -1);
}
