/*
 * bench/peers/peer.c - the harness of the peer programs (see peer.h): the
 * timing, the RSS reading and main.  The method is bench/bench.c's, so the
 * figures of every system can stand in one table.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "peer.h"
#include "rss.h"

long long now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static long long ring_ns = RING_NS;      /* RING_NS_QUICK with BENCH_QUICK=1 */

__attribute__((noinline)) void touch_1k(void)
{
	volatile char buf[1024];

	for (int i = 0; i < 1024; i++)
		buf[i] = (char)i;
	(void)buf[0];
}

/* ns per switch in a ring of n; the clock is read every 4096 switches or so. */
static double ring(int n)
{
	unsigned long rounds = 0, every = (4096 + n - 1) / n;
	long long start, t;

	ring_start(n);
	ring_round();                   /* untimed: every coroutine runs once */
	start = now_ns();
	do {
		for (unsigned long i = 0; i < every; i++)
			ring_round();
		rounds += every;
	} while ((t = now_ns()) - start < ring_ns);
	ring_stop();
	return (double)(t - start) / ((double)rounds * n);
}

static double spawn(void)
{
	unsigned long done = 0;
	long long start, t;

	spawn_batch(BATCH);             /* untimed: first use of the stacks */
	start = now_ns();
	do {
		spawn_batch(BATCH);
		done += BATCH;
	} while ((t = now_ns()) - start < ring_ns);
	return (double)(t - start) / (double)done;
}

static long rss(void)
{
	long before = vm_rss(), after;

	rss_start(RSS_COUNT);
	after = vm_rss();
	rss_stop();
	return (after - before) / RSS_COUNT;
}

int main(int argc, char **argv)
{
	const char *quick = getenv("BENCH_QUICK");

	if (quick && strcmp(quick, "1") == 0)
		ring_ns = RING_NS_QUICK;
	if (argc == 3 && strcmp(argv[1], "count") == 0) {
		unsigned long s = strtoul(argv[2], 0, 10);

		ring_start(2);
		for (unsigned long i = 0; i < s / 2; i++)
			ring_round();
		ring_stop();
		return 0;
	}
	if (argc == 2 && strcmp(argv[1], "stack") == 0) {
		printf("%ld\n", stack_bytes());
		return 0;
	}
	if (argc != 1) {
		fprintf(stderr, "usage: %s [count SWITCHES | stack]\n", argv[0]);
		return 2;
	}
	long bytes = rss();             /* first: in a fresh process */
	double r2 = ring(2), r1000 = ring(1000), r4096 = ring(4096), sp = spawn();

	printf("%s %.2f %.2f %.2f %.2f %ld\n", peer_name, r2, r1000, r4096, sp, bytes);
	return 0;
}
