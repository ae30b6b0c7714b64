/*
 * examples/timers.c - three coroutines keep time side by side: each sleeps
 * until its next tick, every 20, 35 or 50 ms for 200 ms, and prints when it
 * woke, in whole milliseconds since the start (rounded down), beside the
 * tick's due time.
 *
 *   timers
 *
 * A sleeper never wakes early, and the runtime wakes sleepers in deadline
 * order, so the lines come out sorted by due time, each at or after it; how
 * much after depends on the machine (tests/run.sh checks the order and the
 * "never early", not the times).  Each tick's deadline is counted from the
 * start, not from the last wake-up, so lateness does not add up.
 *
 * This is an example, not part of the demo (./coroutines): the demo must
 * stay within its 4096-byte budget on every architecture, and sleeping
 * links in timer.c's heap and poller.
 */
#include "coroutine.h"
#include "print.h"

#define MS 1000000LL
#define RUN_MS 200

static long long start;

static void timer(void *arg)
{
	long period = (long)arg;

	for (long due = period, tick = 1; due <= RUN_MS; due += period, tick++) {
		long long left = due * MS - (co_now() - start);

		if (left > 0)
			co_sleep(left);
		co_print("%4lld ms  the %2ld ms timer, tick %ld (due %ld ms)\n",
			 (co_now() - start) / MS, period, tick, due);
	}
}

int main(void)
{
	co_print("timers: three coroutines tick every 20, 35 and 50 ms for %d ms\n", RUN_MS);
	start = co_now();
	co_spawn(timer, (void *)20L);
	co_spawn(timer, (void *)35L);
	co_spawn(timer, (void *)50L);
	return co_run();
}
