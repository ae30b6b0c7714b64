/*
 * t_join.c - co_join and co_run, and every bad call they answer.
 */
#include "check.h"

static int steps, order[4], norder;

static void slow(void *arg)
{
	for (long i = 0; i < (long)arg; i++) {
		steps++;
		co_yield();
	}
}

static void joiner(void *arg)
{
	co_join((int)(long)arg);
	order[norder++] = co_self();
}

static int bad_self, bad_main, bad_run, bad_join_neg;

static int seen[5];

static void record(void *arg)
{
	seen[(long)arg] = co_self();
}

static void misbehave(void *arg)
{
	(void)arg;
	bad_self = co_join(co_self());
	bad_main = co_join(0);
	bad_run = co_run();
	bad_join_neg = co_join(-5);
}

static int other_result;

static void join_other(void *arg)
{
	other_result = co_join((int)(long)arg);
	order[norder++] = co_self();
}

int main(void)
{
	int id = co_spawn(slow, (void *)5);

	CHECK_EQ("join waits until the coroutine finishes", co_join(id), 0);
	CHECK_EQ("  ... after all its steps", steps, 5);
	CHECK_EQ("join a finished coroutine: 0 at once", co_join(id), 0);
	CHECK_EQ("join an id never spawned: -ESRCH", co_join(id + 1), -ESRCH);
	CHECK_EQ("join a negative id: -ESRCH", co_join(-1), -ESRCH);
	CHECK_EQ("join INT_MIN: -ESRCH", co_join(-2147483647 - 1), -ESRCH);
	CHECK_EQ("join itself (main, 0): -EDEADLK", co_join(0), -EDEADLK);
	CHECK_EQ("spawn NULL: -EINVAL", co_spawn(0, 0), -EINVAL);

	co_spawn(misbehave, 0);
	co_run();
	CHECK_EQ("join itself in a coroutine: -EDEADLK", bad_self, -EDEADLK);
	CHECK_EQ("join main from a coroutine: -EINVAL", bad_main, -EINVAL);
	CHECK_EQ("co_run from a coroutine: -EPERM", bad_run, -EPERM);
	CHECK_EQ("join a negative id in a coroutine: -ESRCH", bad_join_neg, -ESRCH);

	/* Several joiners wake in the order they joined; a coroutine joins
	 * another; main's co_run waits for all. */
	int target = co_spawn(slow, (void *)3);
	int j1 = co_spawn(joiner, (void *)(long)target);
	int j2 = co_spawn(joiner, (void *)(long)target);
	int j3 = co_spawn(join_other, (void *)(long)j1);
	co_run();
	check(norder == 3 && order[0] == j1 && order[1] == j2 && order[2] == j3,
	      "joiners wake in order; coroutines join coroutines",
	      "%d %d %d", order[0], order[1], order[2]);
	CHECK_EQ("  ... and get 0", other_result, 0);
	CHECK_EQ("finished count", co_finished_count(), 6);
	CHECK_EQ("  ... and by its old name co_finished", co_finished(), 6);

	/* Coroutines that have not run yet start from their slot's first
	 * frame (pool.c): each with its own function and argument, joined
	 * before it has run, in any order, finishing without a yield; then
	 * again in the same slots, reused. */
	for (int round = 0; round < 2; round++) {
		int ids[5], bad = 0;

		for (int k = 0; k < 5; k++) {
			seen[k] = 0;
			ids[k] = co_spawn(record, (void *)(long)k);
		}
		for (int k = 4; k >= 0; k--)
			bad += co_join(ids[k]) != 0 || seen[k] != ids[k];
		check(bad == 0, round ? "  ... and in reused slots" :
		      "joined before their first run: each runs its own fn(arg)", "%d wrong", bad);
	}
	int never = co_spawn(record, (void *)3);

	seen[3] = 0;
	CHECK_EQ("co_run with one not run yet: it runs, then 0", co_run(), 0);
	CHECK_EQ("  ... its own fn(arg)", seen[3], never);
	return check_done();
}
