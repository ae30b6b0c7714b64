/*
 * t_wait.c - wait queues and semaphores (wait.c; the contract: coroutine.h):
 * FIFO wakes, lost wakes, timeouts that never fire early and leave no ghost
 * behind, a timeout racing a wake, semaphore units handed to the oldest
 * waiter, -EOVERFLOW, NULL arguments.  At most three coroutines besides main
 * (the CAPACITY=4 build runs it too).
 *   t_wait            the table below
 *   t_wait deadlock   main sleeps once, then 1 waits on a semaphore and main on
 *                     a wait queue: the deadlock is reported (status 70)
 */
#include "check.h"

#define MS 1000000LL

static struct co_queue q, q2;
static struct co_sem sem;

/* What each waiter saw: the order it woke in (1, 2, ...; 0: not yet), what
 * its wait returned, how long it took. */
static struct waiter {
	long long timeout, took;
	int woke, result, again;
} wt[3];
static int nwoke;

static void queue_waiter(void *arg)
{
	struct waiter *me = arg;
	long long t = co_now();

	me->result = co_wait(&q, me->timeout);
	me->took = co_now() - t;
	me->woke = ++nwoke;
}

static void sem_waiter(void *arg)
{
	struct waiter *me = arg;
	long long t = co_now();

	me->result = co_sem_wait(&sem, me->timeout);
	me->took = co_now() - t;
	me->woke = ++nwoke;
}

/* Waits on q, then (once woken) on q2 for ever: a timer left over from the
 * first wait would end the second with -ETIMEDOUT. */
static void wait_twice(void *arg)
{
	struct waiter *me = arg;

	me->result = co_wait(&q, me->timeout);
	me->woke = ++nwoke;
	me->again = co_wait(&q2, -1);
}

/* Spawn n waiters of fn with these timeouts, and let each start waiting. */
static void spawn_waiters(void (*fn)(void *), int n, long long timeout)
{
	nwoke = 0;
	for (int i = 0; i < n; i++) {
		wt[i] = (struct waiter){ .timeout = timeout, .woke = 0, .result = 1 };
		co_spawn(fn, &wt[i]);
	}
	co_yield();
}

static int spawned_ran;
static void set_flag(void *arg) { (void)arg; spawned_ran = 1; }

static void bad_arguments(void)
{
	CHECK_EQ("co_wait(NULL): -EINVAL", co_wait(0, -1), -EINVAL);
	CHECK_EQ("co_wake_one(NULL): -EINVAL", co_wake_one(0), -EINVAL);
	CHECK_EQ("co_wake_all(NULL): -EINVAL", co_wake_all(0), -EINVAL);
	CHECK_EQ("co_sem_wait(NULL): -EINVAL", co_sem_wait(0, -1), -EINVAL);
	CHECK_EQ("co_sem_post(NULL): -EINVAL", co_sem_post(0), -EINVAL);
}

static void queues(void)
{
	long long t;
	int r, woke_before;

	/* Nobody waits: the wake is lost, not remembered. */
	CHECK_EQ("co_wake_one, nobody waiting: 0", co_wake_one(&q), 0);
	CHECK_EQ("co_wake_all, nobody waiting: 0", co_wake_all(&q), 0);
	t = co_now();
	r = co_wait(&q, 5 * MS);
	t = co_now() - t;
	check(r == -ETIMEDOUT && t >= 5 * MS, "a lost wake does not end a later wait",
	      "%d after %lld us", r, t / 1000);

	/* Timeout 0 tries once: no wait, no switch. */
	spawned_ran = 0;
	co_spawn(set_flag, 0);
	r = co_wait(&q, 0);
	check(r == -ETIMEDOUT && !spawned_ran, "co_wait timeout 0: -ETIMEDOUT, no switch",
	      "%d, %s", r, spawned_ran ? "switched" : "did not switch");
	co_run();

	/* A timeout never fires early. */
	t = co_now();
	r = co_wait(&q, 20 * MS);
	t = co_now() - t;
	check(r == -ETIMEDOUT && t >= 20 * MS, "co_wait 20 ms: -ETIMEDOUT, not early",
	      "%d after %lld us", r, t / 1000);
	t = co_now();
	r = co_wait(&q, 1);
	t = co_now() - t;
	check(r == -ETIMEDOUT && t >= 1, "co_wait 1 ns: -ETIMEDOUT, not early",
	      "%d after %lld ns", r, t);

	/* wake_one wakes the oldest; the woken runs at its turn. */
	spawn_waiters(queue_waiter, 3, -1);
	r = co_wake_one(&q);
	woke_before = nwoke;
	co_yield();
	check(r == 1 && woke_before == 0 && wt[0].woke == 1 && !wt[1].woke && !wt[2].woke,
	      "co_wake_one: 1, the oldest, at its turn", "%d; woken %d %d %d", r,
	      wt[0].woke, wt[1].woke, wt[2].woke);
	co_wake_one(&q);
	co_wake_one(&q);
	co_run();
	check(wt[0].woke == 1 && wt[1].woke == 2 && wt[2].woke == 3,
	      "co_wake_one three times: FIFO order", "%d %d %d", wt[0].woke, wt[1].woke,
	      wt[2].woke);
	CHECK_EQ("  ... each wait returned 0", wt[0].result | wt[1].result | wt[2].result, 0);

	/* wake_all: every one, in order, counted. */
	spawn_waiters(queue_waiter, 3, -1);
	r = co_wake_all(&q);
	co_run();
	check(r == 3 && wt[0].woke == 1 && wt[1].woke == 2 && wt[2].woke == 3,
	      "co_wake_all: 3, in the order they came", "%d; %d %d %d", r, wt[0].woke,
	      wt[1].woke, wt[2].woke);
	CHECK_EQ("  ... the queue is empty after", co_wake_one(&q), 0);

	/* A woken waiter with a timeout returns 0 before it, and its timer is
	 * gone: its next wait, for ever, is not ended by the old timer. */
	spawn_waiters(wait_twice, 1, 30 * MS);
	co_wake_one(&q);
	co_sleep(60 * MS);
	r = co_wake_one(&q2);
	co_run();
	check(wt[0].result == 0 && wt[0].again == 0 && r == 1,
	      "woken before its timeout: its timer is gone", "%d, then %d (wake %d)",
	      wt[0].result, wt[0].again, r);
}

/* A waiter whose timeout fires leaves the queue: the next wake goes to the
 * one behind it, not to a ghost. */
static void ghosts(void)
{
	int r;

	nwoke = 0;
	wt[0] = (struct waiter){ .timeout = 10 * MS, .result = 1 };
	wt[1] = (struct waiter){ .timeout = -1, .result = 1 };
	co_spawn(queue_waiter, &wt[0]);
	co_spawn(queue_waiter, &wt[1]);
	co_sleep(30 * MS);
	check(wt[0].result == -ETIMEDOUT && wt[0].took >= 10 * MS && !wt[1].woke,
	      "the first waiter times out, not early", "%d after %lld us", wt[0].result,
	      wt[0].took / 1000);
	r = co_wake_one(&q);
	co_run();
	check(r == 1 && wt[1].woke && wt[1].result == 0, "  ... a wake then goes to the second",
	      "wake %d, its wait %d", r, wt[1].result);
	CHECK_EQ("  ... and the queue is empty", co_wake_one(&q), 0);

	/* The deadline passes while main runs (no pass of the queue): the wake
	 * comes first and wins; the timer must not end the waiter's next wait. */
	spawn_waiters(wait_twice, 1, 5 * MS);
	for (long long t = co_now(); co_now() - t < 10 * MS; )
		;                       /* past the deadline, without yielding */
	r = co_wake_one(&q);
	co_sleep(20 * MS);
	check(r == 1 && wt[0].result == 0 && wt[0].woke == 1,
	      "wake after the deadline, before a pass: wins", "wake %d, its wait %d", r,
	      wt[0].result);
	r = co_wake_one(&q2);
	co_run();
	check(r == 1 && wt[0].again == 0, "  ... and no timer fires its next wait",
	      "wake %d, next wait %d", r, wt[0].again);

	/* The deadline passes and one pass of the queue goes by, then main
	 * wakes: exactly one of them ends the wait, once. */
	spawn_waiters(queue_waiter, 1, 5 * MS);
	for (long long t = co_now(); co_now() - t < 10 * MS; )
		;
	co_yield();
	r = co_wake_one(&q);
	co_run();
	check(nwoke == 1 && ((r == 1 && wt[0].result == 0) || (r == 0 && wt[0].result == -ETIMEDOUT)),
	      "a timeout racing a wake: exactly one wins", "wake %d, its wait %d, woke %d", r,
	      wt[0].result, nwoke);
}

static void semaphores(void)
{
	struct co_sem two = CO_SEM_INIT(2), zero = { 0 };
	long long t;
	int r;

	CHECK_EQ("CO_SEM_INIT(2): a first unit", co_sem_wait(&two, 0), 0);
	CHECK_EQ("  ... a second unit", co_sem_wait(&two, -1), 0);
	CHECK_EQ("  ... no third: -ETIMEDOUT (timeout 0)", co_sem_wait(&two, 0), -ETIMEDOUT);
	CHECK_EQ("a zeroed semaphore holds no unit", co_sem_wait(&zero, 0), -ETIMEDOUT);
	CHECK_EQ("co_sem_post with nobody waiting: 0", co_sem_post(&zero), 0);
	CHECK_EQ("  ... the unit is kept", zero.count, 1);
	CHECK_EQ("  ... and taken", co_sem_wait(&zero, 0), 0);
	t = co_now();
	r = co_sem_wait(&zero, 20 * MS);
	t = co_now() - t;
	check(r == -ETIMEDOUT && t >= 20 * MS, "co_sem_wait 20 ms: -ETIMEDOUT, not early",
	      "%d after %lld us", r, t / 1000);

	/* Units go to the waiters, oldest first; a newcomer cannot take the
	 * unit posted for a waiter that has not run yet. */
	sem = (struct co_sem)CO_SEM_INIT(0);
	spawn_waiters(sem_waiter, 3, -1);
	co_sem_post(&sem);
	co_sem_post(&sem);
	co_yield();
	check(wt[0].woke == 1 && wt[1].woke == 2 && !wt[2].woke && sem.count == 0,
	      "two posts: the two oldest waiters, in order", "%d %d %d, count %ld", wt[0].woke,
	      wt[1].woke, wt[2].woke, sem.count);
	co_sem_post(&sem);
	r = co_sem_wait(&sem, 0);
	co_run();
	check(r == -ETIMEDOUT && wt[2].woke == 3 && wt[2].result == 0 && sem.count == 0,
	      "a posted unit is the waiter's, not main's", "main %d, waiter %d, count %ld", r,
	      wt[2].result, sem.count);

	/* A waiter that timed out takes no unit: the next post is kept. */
	spawn_waiters(sem_waiter, 1, 5 * MS);
	co_run();
	r = co_sem_post(&sem);
	check(wt[0].result == -ETIMEDOUT && wt[0].took >= 5 * MS && r == 0 && sem.count == 1,
	      "a timed-out waiter takes no later unit", "%d after %lld us, count %ld",
	      wt[0].result, wt[0].took / 1000, sem.count);

	/* Counting up to LONG_MAX, and no further. */
	sem.count = __LONG_MAX__ - 1;
	CHECK_EQ("co_sem_post to LONG_MAX: 0", co_sem_post(&sem), 0);
	CHECK_EQ("co_sem_post past LONG_MAX: -EOVERFLOW", co_sem_post(&sem), -EOVERFLOW);
	check(sem.count == __LONG_MAX__, "  ... the count stays LONG_MAX", "%s",
	      sem.count == __LONG_MAX__ ? "LONG_MAX" : "changed");
}

/* ---- many timers at once: the heap, in any order ------------------------- */
#define CHURNERS (CO_CAPACITY - 1 < 64 ? CO_CAPACITY - 1 : 64)
#define ROUNDS 20
static struct co_queue qs[4];
static unsigned seed = 12345;
static int early, wrong, churning;

static unsigned rnd(void)
{
	seed = seed * 1103515245 + 12345;
	return seed >> 16;
}

/* Waits ROUNDS times on one of four queues, each with a timeout of up to
 * 3 ms or none, while main wakes at random: a timeout never ends a wait
 * early, and every wait ends. */
static void churner(void *arg)
{
	(void)arg;
	for (int i = 0; i < ROUNDS; i++) {
		long long timeout = rnd() % 4 == 0 ? -1 : rnd() % (3 * MS);
		long long t = co_now();
		int r = co_wait(&qs[rnd() % 4], timeout);

		t = co_now() - t;
		early += r == -ETIMEDOUT && t < timeout;
		wrong += r != 0 && r != -ETIMEDOUT;
	}
	churning--;
}

static void churn(void)
{
	long long t = co_now();
	long wakes = 0;

	early = wrong = 0;
	churning = CHURNERS;
	for (int i = 0; i < CHURNERS; i++)
		co_spawn(churner, 0);
	while (churning > 0 && co_now() - t < 20000 * MS) {
		if (rnd() % 2)
			wakes += co_wake_one(&qs[rnd() % 4]);
		else
			co_sleep(rnd() % (MS / 2));
		co_yield();
	}
	for (int i = 0; i < 4; i++)
		co_wake_all(&qs[i]);
	co_run();
	check(!churning && !early && !wrong, "many waits, woken or timed out at random",
	      "%d x %d waits, %ld woken, %d early", CHURNERS, ROUNDS, wakes, early);
}

static void wait_for_ever(void *arg)
{
	(void)arg;
	co_sem_wait(&sem, -1);
}

int main(int argc, char **argv)
{
	if (argc > 1 && str_eq(argv[1], "deadlock")) {
		co_sleep(MS);           /* the poller has run, and must park */
		co_spawn(wait_for_ever, 0);
		co_yield();
		co_wait(&q, -1);
		return 0;
	}
	bad_arguments();
	queues();
	ghosts();
	semaphores();
	churn();
	return check_done();
}
