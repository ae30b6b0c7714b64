/*
 * t_gdb.c - coroutines in known states, for the debugger's test
 * (tests/t_gdb.py drives gdb over this program; see docs/debugging.md).
 *
 * When `running` calls here() (in a nested call, after several yields),
 * the coroutines are:
 *
 *   id  function   state                          parked at the line marked
 *   0   main       waits to join coroutine 1      gdb: main
 *   1   running    running                        -
 *   2   ready      ready (it yields in a loop)    gdb: ready
 *   3   joiner     waits to join coroutine 4      gdb: joiner
 *   4   sleeper    sleeps (an hour)               gdb: sleeper
 *   5   waiter     waits on a wait queue          gdb: waiter
 *   6   fresh      ready, never run yet           -
 *   and the poller (timer.c), ready: sleeper's timer runs.
 *
 * Run alone it checks, in its own table, that it got there, then wakes
 * the waiter and returns (the sleeper and its joiner still wait).
 */
#include "check.h"

static struct co_queue queue;
static volatile int stop, reached, woken;
static int ids[7];

static void ready(void *arg)
{
	(void)arg;
	while (!stop)
		co_yield();                             /* gdb: ready */
}

static void sleeper(void *arg)
{
	(void)arg;
	co_sleep(3600 * 1000000000ULL);                 /* gdb: sleeper */
	__asm__ volatile("" ::: "memory");      /* no tail call: its frame stays */
}

static void joiner(void *arg)
{
	co_join((int)(long)arg);                        /* gdb: joiner */
}

static void waiter(void *arg)
{
	(void)arg;
	woken = co_wait(&queue, -1) == 0;               /* gdb: waiter */
}

static void fresh(void *arg)
{
	(void)arg;
}

/* Where gdb stops: the stack peaks co_stack_peak gives are in peaks[]. */
static volatile long peaks[7];

static __attribute__((noinline)) void here(void)
{
	__asm__ volatile("" ::: "memory");
}

/* A call two deep, so that the backtrace has frames of the coroutine's
 * own above its function. */
static __attribute__((noinline)) void nested(int depth)
{
	if (depth > 0) {
		nested(depth - 1);
		__asm__ volatile("" ::: "memory");      /* not a tail call */
		return;
	}
	for (int i = 1; i <= 6; i++)
		peaks[i] = co_stack_peak(i);
	reached = co_self();
	here();
	__asm__ volatile("" ::: "memory");      /* nor this one (clang's would be) */
}

static void running(void *arg)
{
	for (long i = 0; i < (long)arg; i++)
		co_yield();
	ids[6] = co_spawn(fresh, 0);
	nested(2);
	stop = 1;
	co_wake_one(&queue);
}

int main(void)
{
	ids[1] = co_spawn(running, (void *)5);
	ids[2] = co_spawn(ready, 0);
	ids[3] = co_spawn(joiner, (void *)4L);         /* the sleeper, next */
	ids[4] = co_spawn(sleeper, 0);
	ids[5] = co_spawn(waiter, 0);
	co_join(ids[1]);                                /* gdb: main */
	for (int i = 1; i <= 6; i++)
		check(ids[i] == i, "spawned in order", "coroutine %d: id %d", i, ids[i]);
	CHECK_EQ("here() ran in coroutine 1", reached, 1);
	for (int i = 1; i <= 5; i++)
		check(peaks[i] > 0, "a peak measured", "coroutine %d: %ld bytes", i, peaks[i]);
	/* its first frame is in its slot's area, not on its stack (pool.c) */
	CHECK_EQ("not run yet: a peak of 0", peaks[6], 0);
	co_yield();
	co_yield();
	CHECK_EQ("the waiter woke", woken, 1);
	return check_done();
}
