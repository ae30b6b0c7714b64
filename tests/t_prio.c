/*
 * t_prio.c - priorities: a coroutine runs only when none of a higher level
 * is ready, FIFO within a level; levels are inherited on spawn; setting one
 * does not switch; the codes for a bad id or level; with blocking (join, a
 * sleep) a woken coroutine runs by its level.  At the default 8 levels and,
 * in the small variant, at 32 (the bitmap's every bit).
 */
#include "check.h"

/* Levels 1, 2 and 3 are below CO_PRIO_DEFAULT, HIGH above it. */
_Static_assert(CO_PRIORITIES >= 8, "t_prio needs 8 levels or more");
#define TOP (CO_PRIORITIES - 1)
#define HIGH (CO_PRIORITIES - 2)

static char log[64];
static int n;

static void rec(char c)
{
	if (n < (int)sizeof log - 1)
		log[n++] = c;
	log[n] = 0;
}

static void clear(void)
{
	n = 0;
	log[0] = 0;
}

/* Records its letter, yields, records it again. */
static void twice(void *arg)
{
	rec((char)(long)arg);
	co_yield();
	rec((char)(long)arg);
}

static void once(void *arg)
{
	rec((char)(long)arg);
}

static int spawn_at(void (*fn)(void *), long arg, int level)
{
	int id = co_spawn(fn, (void *)arg);

	co_set_priority(id, level);
	return id;
}

/* ---- order ---------------------------------------------------------------- */

static void order(void)
{
	int c;

	clear();                        /* before the first co_set_priority */
	co_spawn(once, (void *)'a');
	co_spawn(once, (void *)'b');
	co_spawn(once, (void *)'c');
	CHECK_EQ("the first call: main's own level, 0", co_set_priority(0, CO_PRIO_DEFAULT), 0);
	co_run();
	check(str_eq(log, "abc"), "the first call keeps the ready in order", "%s", log);

	clear();
	spawn_at(twice, 'a', 2);
	spawn_at(twice, 'b', HIGH);
	c = spawn_at(twice, 'c', CO_PRIO_DEFAULT);
	spawn_at(twice, 'd', HIGH);
	CHECK_EQ("co_priority of a coroutine", co_priority(c), CO_PRIO_DEFAULT);
	co_run();
	check(str_eq(log, "bdbdccaa"), "higher levels first, FIFO within one", "%s", log);

	clear();
	for (long x = 'x'; x <= 'z'; x++)
		spawn_at(twice, x, 1);
	co_run();
	check(str_eq(log, "xyzxyz"), "FIFO within a level", "%s", log);

	clear();
	c = co_spawn(once, (void *)'p');
	co_spawn(once, (void *)'q');
	co_spawn(once, (void *)'r');
	co_set_priority(c, 3);
	co_set_priority(c, CO_PRIO_DEFAULT);
	co_run();
	check(str_eq(log, "qrp"), "a ready one moved: the tail of its level", "%s", log);

	clear();
	co_spawn(once, (void *)'p');
	c = co_spawn(once, (void *)'q');
	co_set_priority(c, CO_PRIO_DEFAULT);
	co_run();
	check(str_eq(log, "pq"), "set to its own level: keeps its place", "%s", log);

	clear();
	co_spawn(once, (void *)'p');
	c = co_spawn(once, (void *)'q');
	co_set_priority(c, TOP);
	co_set_priority(c, CO_PRIO_DEFAULT);
	co_yield();
	co_run();
	check(str_eq(log, "pq"), "raised, lowered again before a yield: FIFO", "%s", log);
}

/* ---- inheritance, switching ------------------------------------------------ */

static int child_level;

static void child(void *arg)
{
	(void)arg;
	child_level = co_priority(co_self());
}

static void parent(void *arg)
{
	(void)arg;
	co_spawn(child, 0);
}

static void raised(void *arg)
{
	*(int *)arg = 1;
}

static void switching(void)
{
	int ran = 0, id;

	spawn_at(parent, 0, HIGH);
	co_run();
	CHECK_EQ("a coroutine inherits its spawner's level", child_level, HIGH);
	co_set_priority(0, 1);
	co_spawn(child, 0);
	co_run();
	CHECK_EQ("... and main's", child_level, 1);
	co_set_priority(0, CO_PRIO_DEFAULT);

	id = co_spawn(raised, &ran);
	CHECK_EQ("raise a ready one above the caller: 0", co_set_priority(id, TOP), 0);
	CHECK_EQ("it has not run: no switch", ran, 0);
	co_yield();
	CHECK_EQ("it runs at the caller's next yield", ran, 1);

	ran = 0;
	co_set_priority(0, TOP);
	spawn_at(raised, (long)&ran, HIGH);
	co_yield();
	CHECK_EQ("yield with only lower ones ready: goes on", ran, 0);
	co_set_priority(0, CO_PRIO_DEFAULT);
	co_run();
}

static void thrice(void *arg)
{
	for (int i = 0; i < 3; i++) {
		rec((char)(long)arg);
		co_yield();
	}
}

static void lowering(void)
{
	clear();
	co_spawn(thrice, (void *)'A');
	CHECK_EQ("main lowers itself: 0", co_set_priority(co_self(), 0), 0);
	CHECK_EQ("co_priority(0) after", co_priority(0), 0);
	rec('M');
	co_yield();                     /* A runs to its end first */
	rec('M');
	check(str_eq(log, "MAAAM"), "lowered: runs when no one above is ready", "%s", log);
	co_set_priority(0, CO_PRIO_DEFAULT);
}

/* ---- codes ------------------------------------------------------------------ */

static int main_level_seen;

static void sets_main(void *arg)
{
	(void)arg;
	main_level_seen = co_set_priority(0, 2) ? -1 : co_priority(0);
}

static void codes(void)
{
	int done = co_spawn(once, (void *)'f'), live;

	co_run();
	CHECK_EQ("main's level at first: CO_PRIO_DEFAULT", co_priority(0), CO_PRIO_DEFAULT);
	CHECK_EQ("set main's level (id 0): 0", co_set_priority(0, TOP), 0);
	CHECK_EQ("co_priority(0)", co_priority(0), TOP);
	co_spawn(sets_main, 0);
	co_set_priority(0, 0);          /* let it run */
	co_yield();
	CHECK_EQ("another sets main's level", main_level_seen, 2);
	co_set_priority(0, CO_PRIO_DEFAULT);

	CHECK_EQ("never spawned: -ESRCH", co_set_priority(9999, 1), -ESRCH);
	CHECK_EQ("finished: -ESRCH", co_set_priority(done, 1), -ESRCH);
	CHECK_EQ("negative id: -ESRCH", co_set_priority(-1, 1), -ESRCH);
	CHECK_EQ("co_priority, never spawned: -ESRCH", co_priority(9999), -ESRCH);
	CHECK_EQ("co_priority, finished: -ESRCH", co_priority(done), -ESRCH);
	CHECK_EQ("co_priority, negative id: -ESRCH", co_priority(-5), -ESRCH);
	live = co_spawn(once, (void *)'l');
	CHECK_EQ("level -1: -EINVAL", co_set_priority(live, -1), -EINVAL);
	CHECK_EQ("level CO_PRIORITIES: -EINVAL", co_set_priority(live, CO_PRIORITIES), -EINVAL);
	CHECK_EQ("main, level CO_PRIORITIES: -EINVAL", co_set_priority(0, CO_PRIORITIES), -EINVAL);
	CHECK_EQ("a bad level changes nothing", co_priority(live), CO_PRIO_DEFAULT);
	CHECK_EQ("the top level: 0", co_set_priority(live, TOP), 0);
	CHECK_EQ("the bottom level: 0", co_set_priority(live, 0), 0);
	co_run();
}

/* ---- blocking --------------------------------------------------------------- */

static int target;

static void joiner(void *arg)
{
	(void)arg;
	rec('H');
	co_join(target);
	rec('h');
}

static void one_yield(void *arg)
{
	rec((char)(long)arg);
	co_yield();
}

static volatile int woke;
static long spins;

static void spinner(void *arg)
{
	while (!woke) {
		rec((char)(long)arg);
		spins++;
		co_yield();
	}
}

static void sleeper(void *arg)
{
	rec('S');
	co_sleep((unsigned long)arg);
	rec('s');
	woke = 1;
}

/* A consumer at a high level that waits, and a producer below that wakes
 * it and yields, until the sleeper has woken (or 1000 rounds). */
static struct co_queue handoff;
static long rounds;

static void consumer(void *arg)
{
	(void)arg;
	while (!woke && rounds < 1000)
		co_wait(&handoff, -1);
}

static void producer(void *arg)
{
	(void)arg;
	while (!woke && ++rounds < 1000) {
		co_wake_one(&handoff);
		co_yield();
	}
	co_wake_one(&handoff);
}

static void blocking(void)
{
	clear();
	target = spawn_at(one_yield, '1', 2);
	spawn_at(thrice, '2', 2);
	spawn_at(joiner, 0, HIGH);
	co_run();
	check(str_eq(log, "H12h22"), "a joiner woken runs before lower ones", "%s", log);

	/* co_sleep(0) ends at the poller's next turn: once per pass of the
	 * others, here a and b; then the sleeper before them. */
	clear();
	woke = 0;
	spawn_at(spinner, 'a', 1);
	spawn_at(spinner, 'b', 1);
	spawn_at(sleeper, 0, HIGH);
	co_run();
	check(str_eq(log, "Sabs"), "a sleeper woken runs before lower spinners", "%s", log);

	/* The poller has no level: spinners at the top level cannot starve it. */
	woke = 0;
	spins = 0;
	spawn_at(spinner, 'a', TOP);
	spawn_at(spinner, 'b', TOP);
	spawn_at(sleeper, 1000000, TOP);
	co_run();
	check(woke && spins > 2, "a sleeper wakes among top-level spinners", "%ld spins", spins);

	/* Two levels waking each other: the poller's ring changes under it at
	 * every round, and it must still get its turn. */
	woke = 0;
	rounds = 0;
	spawn_at(consumer, 0, TOP);
	spawn_at(producer, 0, 1);
	spawn_at(sleeper, 0, 1);
	co_run();
	check(woke && rounds < 1000, "a sleeper wakes while two levels wake each other",
	      "after %ld rounds", rounds);
}

int main(void)
{
	order();
	switching();
	lowering();
	codes();
	blocking();
	return check_done();
}
