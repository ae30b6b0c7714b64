/*
 * bench/scale.c - many coroutines alive in one process (make bench-scale).
 *
 *   scale N   spawn N coroutines, let each run once, time whole rounds in
 *             which each of them, and main, yields in turn, then let each
 *             finish.  Prints one line, times in ns per coroutine (the
 *             yield: per yield):
 *               N  SPAWN  FIRST_RUN  YIELD  FINISH  RSS_PER_COROUTINE  0
 *             (the last column: bench/peers/scale.go's stack bytes per
 *             goroutine, which this runtime does not count apart from RSS).
 *
 * spawn: the N co_spawn calls; first run: main's one co_yield, in which
 * each coroutine runs for the first time, up to its first co_yield; finish:
 * main's co_run, in which each returns.  RSS per coroutine is VmRSS's
 * growth from before the spawns to after the first run, divided by N.
 * Built with a pool as large as the largest N (see bench/bench.mk); the
 * program keeps no static data of its own, which would lie beyond the
 * multi-gigabyte pool.
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

/* ns per unit, with two decimals: "12.34" */
static void put_ns(long long ns, long long units)
{
	unsigned long long ps = (unsigned long long)ns * 1000 / (unsigned long long)units;

	co_print(" %llu.%02llu", ps / 1000, ps % 1000 / 10);
}

int main(int argc, char **argv)
{
	volatile int stop = 0;
	long n = 0, before, after;
	unsigned long rounds = 0;
	long long t0, spawned, ran, t, yields, finished;

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
	co_yield();                     /* each runs for the first time */
	ran = co_now();
	after = vm_rss();
	t = co_now();
	do {
		co_yield();             /* n + 1 switches: each coroutine's, then main's */
		rounds++;
	} while (co_now() - t < ROUND_NS || rounds < ROUNDS);
	yields = co_now() - t;
	stop = 1;
	t = co_now();
	co_run();                       /* each returns */
	finished = co_now() - t;
	co_print("%ld", n);
	put_ns(spawned - t0, n);
	put_ns(ran - spawned, n);
	put_ns(yields, (long long)rounds * (n + 1));
	put_ns(finished, n);
	co_print(" %ld 0\n", (after - before) / n);
	return 0;
}
