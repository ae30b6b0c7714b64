/*
 * bench/scale.c - many coroutines alive in one process (make bench-scale).
 *
 *   scale N   spawn N coroutines (timed), let each run once, then time whole
 *             rounds in which each of them, and main, yields in turn.
 *             Prints one line:  N  SPAWN_MS  NS_PER_YIELD  RSS_PER_COROUTINE
 *
 * RSS per coroutine is VmRSS's growth from before the spawns to after each
 * coroutine has run once (its stack touched as far as a yield needs, its
 * slot in the table written), divided by N.  Built with a pool as large as
 * the largest N (see the Makefile); the program keeps no static data of its
 * own, which would lie beyond the multi-gigabyte pool.
 */
#include "coroutine.h"
#include "print.h"
#include "vmrss.h"

#define ROUND_NS 300000000LL    /* time rounds for at least 300 ms ... */
#define ROUNDS   3              /* ... and at least 3 of them */

static void body(void *arg)
{
	volatile int *stop = arg;

	while (!*stop)
		co_yield();
}

int main(int argc, char **argv)
{
	volatile int stop = 0;
	long n = 0, before, after;
	unsigned long rounds = 0;
	long long t0, spawned, t;

	for (const char *s = argc == 2 ? argv[1] : ""; *s >= '0' && *s <= '9'; s++)
		n = n * 10 + *s - '0';
	if (n < 1 || n > CO_CAPACITY) {
		co_eprint("usage: scale N, from 1 to CO_CAPACITY (%d in this build)\n", CO_CAPACITY);
		return CO_EXIT_USAGE;
	}
	before = vm_rss();
	t0 = co_now();
	for (long i = 0; i < n; i++) {
		int id = co_spawn(body, (void *)&stop);

		if (id < 0) {
			co_eprint("scale: co_spawn failed at %ld: error %d\n", i, -id);
			return 1;
		}
	}
	spawned = co_now();
	co_yield();                     /* each runs once */
	after = vm_rss();
	t = co_now();
	do {
		co_yield();             /* n + 1 switches: each coroutine's, then main's */
		rounds++;
	} while (co_now() - t < ROUND_NS || rounds < ROUNDS);
	t = co_now() - t;
	stop = 1;
	co_run();
	unsigned long long ps = (unsigned long long)t * 1000 / (rounds * (n + 1));
	co_print("%ld %lld.%02lld %llu.%02llu %ld\n", n, (spawned - t0) / 1000000,
	      (spawned - t0) / 10000 % 100, ps / 1000, ps % 1000 / 10, (after - before) / n);
	return 0;
}
