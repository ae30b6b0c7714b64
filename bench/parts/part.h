/*
 * bench/parts/part.h - the programs `make size` measures.  Each is the same
 * small program (main and two coroutines that take turns, no output) plus
 * one part of the runtime, called from part(): what it adds to the stripped
 * size is that part's cost to a program that uses it.
 */
#include "coroutine.h"

static void part(void);

static void taker(void *arg)
{
	(void)arg;
	co_yield();
	part();
}

int main(void)
{
	co_spawn(taker, 0);
	co_spawn(taker, 0);
	co_yield();
	co_run();
	return 0;
}
