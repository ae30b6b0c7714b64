/*
 * bench/sleep.c - how late co_sleep wakes: 10 coroutines each sleeping 1 ms
 * a hundred times; prints the median and 99th percentile of the lateness, in
 * microseconds.
 */
#include "coroutine.h"
#include "print.h"
#include "syscalls.h"

static long late[1000];
static int n;

static void sleeper(void *arg)
{
	(void)arg;
	for (int i = 0; i < 100; i++) {
		long long t = co_now();

		co_sleep(1000000);
		late[n++] = (long)((co_now() - t - 1000000) / 1000);
	}
}

int main(void)
{
	for (int i = 0; i < 10; i++)
		co_spawn(sleeper, 0);
	co_run();
	for (int i = 1; i < n; i++)             /* insertion sort */
		for (int j = i; j > 0 && late[j] < late[j - 1]; j--) {
			long x = late[j];
			late[j] = late[j - 1];
			late[j - 1] = x;
		}
	co_print("%ld %ld\n", late[n / 2], late[n * 99 / 100]);
	return 0;
}
