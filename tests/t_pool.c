/*
 * t_pool.c - the stack pool: exactly CO_CAPACITY coroutines at once, chunks
 * reclaimed and reused, ids never reused, returning equals co_exit().
 * Built twice by the runner: with the default pool and with CAPACITY=4.
 * Argument: how many spawn/finish cycles to make (default 1000000).
 */
#include "check.h"

static int ran;
static unsigned char *where[CO_CAPACITY];

static void note(void *arg)
{
	volatile char here;

	where[(long)arg] = (unsigned char *)&here;
	ran++;
}

static void nothing(void *arg)
{
	(void)arg;
}

/* ---- memory per coroutine -------------------------------------------------
 * A coroutine that uses 1 KiB of stack must cost one page of its chunk: the
 * spawn, the switches and the finish touch nothing below the top page
 * (sched.c: the colouring, the canary).  mincore says which pages of a
 * chunk are resident; the pages are counted after the coroutine has
 * yielded and again after it has finished: all but the guard (QEMU's
 * mincore refuses unreadable pages) or, with GUARD=0, the bottom page,
 * where the canary is read at each finish (mincore counts the kernel's
 * zero page mapped there; it is no memory of the process's). */
#define SKIP (CO_GUARD ? CO_GUARD_SIZE : CO_PAGE_SIZE)
/* riscv64 under gcc: and the page its probes touch, CO_PROBE_REACH below
 * any frame (coroutine.h: GCC 12's -fstack-check stores there in every
 * prologue) */
#define PAGES (1 + (CO_PROBE_REACH > 0))
#define RSS_COROUTINES (CO_CAPACITY < 40 ? CO_CAPACITY : 40)   /* past 32 colours */

static __attribute__((noinline)) void use_1k(void)
{
	volatile char buf[1024];

	for (unsigned i = 0; i < sizeof buf; i++)
		buf[i] = (char)i;
}

static void kilobyte(void *arg)
{
	(void)arg;
	use_1k();
	co_yield();
}

/* The most pages resident in any of the first n chunks. */
static int most_resident(int n)
{
	/* one more, zero: QEMU 7.2 reads the vector as a string first */
	static unsigned char vec[(CO_STACK_SIZE - SKIP) / CO_PAGE_SIZE + 1];
	int most = 0;

	for (int i = 0; i < n; i++) {
		int pages = 0;

		if (sys_mincore(stack_pool[i] + SKIP, CO_STACK_SIZE - SKIP, vec))
			return -1;
		for (unsigned p = 0; p < sizeof vec - 1; p++)
			pages += vec[p] & 1;
		most = pages > most ? pages : most;
	}
	return most;
}

static void one_page_each(void)
{
	int ids[RSS_COROUTINES], most;

	for (int i = 0; i < RSS_COROUTINES; i++)
		ids[i] = co_spawn(kilobyte, 0);
	co_yield();                     /* each has used 1 KiB and yielded */
	most = most_resident(RSS_COROUTINES);
	check(most == PAGES, "1 KiB used, yielded: one page (gcc riscv64: two)", "at most %d pages", most);
	for (int i = 0; i < RSS_COROUTINES; i++)
		co_join(ids[i]);
	most = most_resident(RSS_COROUTINES);
	check(most == PAGES, "  ... and finished: still as many", "at most %d pages", most);
}

static __attribute__((noinline)) void leave_deep(int n)
{
	if (n < 0)
		return;
	if (n)
		leave_deep(n - 1);
	co_exit();
}

static int after_exit;

static void exits(void *arg)
{
	(void)arg;
	leave_deep(3);
	after_exit = 1;                 /* never */
}

static int successor = 1;

/* Spawns as its last act: its own chunk is still in use until it returns. */
static void spawn_at_end(void *arg)
{
	(void)arg;
	successor = co_spawn(nothing, 0);
}

int main(int argc, char **argv)
{
	long cycles = argc > 1 ? arg_number(argv[1]) : 1000000;
	int n = 0, id, last = 0, bad = 0;

	/* The spawn lays out the first frame in the slot's own area, not on
	 * the new stack: none of the chunk's pages is touched until the
	 * coroutine runs.  (Pools of more than 256 chunks populate the top
	 * page of each in batches, ahead: pool.c's prepare; VALGRIND=1 builds
	 * keep the frame on the stack, where memcheck follows sp.) */
	if ((id = co_spawn(note, 0)) > 0)
		n++;
	if (CO_CAPACITY <= 256 && !CO_VALGRIND)
		CHECK_EQ("a spawned coroutine, not run yet: no page of its stack touched",
			 most_resident(1), 0);
	while ((id = co_spawn(note, (void *)(long)n)) > 0)
		n++;
	CHECK_EQ("spawn until full: CO_CAPACITY coroutines", n, CO_CAPACITY);
	CHECK_EQ("the next spawn: -EAGAIN", id, -EAGAIN);
	co_run();
	CHECK_EQ("all of them ran", ran, CO_CAPACITY);
	for (int i = 0; i < CO_CAPACITY; i++) {
		long off = where[i] - &stack_pool[0][0];
		/* slots are handed out in order at first: coroutine i in chunk i */
		bad += off / CO_STACK_SIZE != i || where[i] > stack_pool[i] + CO_STACK_SIZE;
	}
	CHECK_EQ("each ran on its own chunk of stack_pool", bad, 0);

	/* Fill, run, repeat: a leaked chunk would make a round come up short,
	 * and ids must keep counting up. */
	long spawned = CO_CAPACITY, rounds = 0, short_rounds = 0;
	last = CO_CAPACITY;
	while (spawned < cycles) {
		int k = 0;

		while ((id = co_spawn(nothing, 0)) > 0) {
			bad += id != last + 1;
			last = id;
			k++;
		}
		short_rounds += k != CO_CAPACITY;
		spawned += k;
		rounds++;
		co_run();
	}
	check(short_rounds == 0, "every round spawns CO_CAPACITY again (no leak)",
	      "%ld rounds, %ld short", rounds, short_rounds);
	check(bad == 0 && last == spawned, "ids never reused: one more each spawn",
	      "last id %d of %ld", last, spawned);
	one_page_each();

	/* Returning from fn and co_exit() deep inside are the same. */
	unsigned long fin = co_finished_count();
	int a = co_spawn(nothing, 0);
	CHECK_EQ("join one that returned", co_join(a), 0);
	int b = co_spawn(exits, 0);
	CHECK_EQ("join one that called co_exit", co_join(b), 0);
	CHECK_EQ("both counted finished", co_finished_count() - fin, 2);
	CHECK_EQ("co_exit does not return", after_exit, 0);
	n = 0;
	while (co_spawn(nothing, 0) > 0)
		n++;
	CHECK_EQ("both chunks came back to the pool", n, CO_CAPACITY);
	co_run();

	co_spawn(spawn_at_end, 0);
	co_run();
	if (CO_CAPACITY == 1)
		CHECK_EQ("spawn as a last act, pool of one: -EAGAIN", successor, -EAGAIN);
	else
		check(successor > 0, "spawn as a last act: a new coroutine", "%d", successor);
	CHECK_EQ("  ... and everything finished", co_spawn(nothing, 0) > 0 && co_run() == 0, 1);
	return check_done();
}
