/*
 * t_timer.c - fair waiting (timer.c's poller): a sleeper whose deadline has
 * passed, or an fd waiter whose fd is ready, runs within a pass or two of
 * the ready queue while every other coroutine keeps yielding; timeouts never
 * fire early, whether the process waits in the kernel or the others keep
 * it busy; the poller parks when nothing is left to watch.  Lateness is
 * counted in passes of the queue, not in time: main yields once per pass and
 * counts.  Up to 100 spinners, fewer in a smaller pool (none with
 * CAPACITY=1: main spins alone).
 *   t_timer            the table below
 *   t_timer park       main sleeps once, then coroutines only yield: all
 *                      finish and the process exits 0 (the poller parked)
 *   t_timer spin       100 spinners of 1000 yields each beside a sleeper of
 *                      a minute: prints "yields N" (run.sh counts the
 *                      system calls under strace)
 *   t_timer spin-fd    the same beside a coroutine waiting on an empty pipe
 *   t_timer sleep0     main alone calls co_sleep(0) 1000 times, then 1000
 *                      times with a deadline already past: prints "sleeps N"
 *                      (run.sh counts the system calls: a deadline that has
 *                      passed needs none)
 */
#include "check.h"

#define MS 1000000LL
#define SPINNERS (CO_CAPACITY - 2 < 100 ? CO_CAPACITY - 2 : 100)
#define LATE_PASSES 8           /* generous: starved means thousands */
#define GIVE_UP (10000 * MS)    /* a starved waiter fails instead of hanging */

static volatile int stop;
static int spinners;

static void spinner(void *arg)
{
	(void)arg;
	while (!stop)
		co_yield();
}

/* The spinners, up to n of them (fewer if the pool is smaller). */
static void start_spinners(int n)
{
	stop = 0;
	for (spinners = 0; spinners < n && spinners < SPINNERS; spinners++)
		co_spawn(spinner, 0);
}

static void stop_spinners(void)
{
	stop = 1;
	co_run();
}

/* ---- (a), (b): a consumer that spins on a flag a sleeper sets ----------------
 * Main yields until the sleeper has run, once a pass of the queue, beside n
 * spinners (none for (a)). */
static long pass, due_pass, woke_pass;
static volatile int sleeping, woke;

static void sleeper(void *arg)
{
	sleeping = 1;           /* no switch from here into co_sleep */
	co_sleep((unsigned long)arg);
	woke_pass = pass;
	woke = 1;
}

/* The sleeper's deadline is no later than due, taken by main once the
 * sleeper is asleep; due_pass is the first pass that began past it.  So
 * the passes counted late are never more than the sleeper really was,
 * whatever the machine does meanwhile. */
static void sleeper_among_spinners(int n, const char *name)
{
	long long t = co_now(), due = 0, ns = 10 * MS;
	long late;

	start_spinners(n);
	sleeping = woke = 0, woke_pass = due_pass = -1;
	co_spawn(sleeper, (void *)(unsigned long)ns);
	for (pass = 1; !woke && co_now() - t < GIVE_UP; pass++) {
		if (!due && sleeping)
			due = co_now() + ns;
		if (due && due_pass < 0 && co_now() >= due)
			due_pass = pass;
		co_yield();
	}
	stop_spinners();
	late = due_pass < 0 ? 0 : (woke ? woke_pass : pass) - due_pass;
	check(woke && late <= LATE_PASSES, name, "%d spinners, %ld passes late", spinners, late);
}

/* ---- (c) an fd waiter among spinners ---------------------------------------- */
static int pfd[2];
static volatile long read_pass;
static long write_pass;
static long got;

static void pipe_reader(void *arg)
{
	char c;

	(void)arg;
	got = co_read(pfd[0], &c, 1);
	read_pass = pass;
}

/* The writer is main: it spins, writes at pass 20, spins on. */
static void fd_waiter_among_spinners(void)
{
	long long t = co_now();

	sys_pipe2(pfd, O_NONBLOCK);
	start_spinners(100);
	read_pass = -1, got = 0, write_pass = -1;
	co_spawn(pipe_reader, 0);
	for (pass = 1; read_pass < 0 && co_now() - t < GIVE_UP; pass++) {
		if (pass == 20) {
			sys_write(pfd[1], "x", 1);
			write_pass = pass;
		}
		co_yield();
	}
	stop_spinners();
	check(got == 1 && read_pass >= 0 && read_pass - write_pass <= LATE_PASSES,
	      "fd waiter among spinners: runs in time", "%d spinners, %ld passes late",
	      spinners, read_pass - write_pass);
	co_close(pfd[0]);
	co_close(pfd[1]);
}

/* ---- (e) timeouts never fire early ------------------------------------------ */
static struct co_queue q;
static struct co_sem sem;

/* How long each wait took, and what it returned. */
static long long took(int which, long long timeout, int *r)
{
	long long t = co_now();

	switch (which) {
	case 0: *r = co_sleep(timeout); break;
	case 1: *r = co_wait(&q, timeout); break;
	case 2: *r = co_sem_wait(&sem, timeout); break;
	default: *r = co_wait_fd(pfd[0], CO_READ, timeout); break;
	}
	return co_now() - t;
}

static void never_early(const char *busy)
{
	static const char *what[] = { "co_sleep", "co_wait", "co_sem_wait", "co_wait_fd" };
	static const int want[] = { 0, -ETIMEDOUT, -ETIMEDOUT, 0 };
	static const long long timeouts[] = { 1, 1500000, 20 * MS };
	char name[64];

	sys_pipe2(pfd, O_NONBLOCK);
	for (int k = 0; k < 4; k++) {
		long long worst = 0x7fffffffffffffffLL;
		int r, wrong = 0;

		for (int i = 0; i < 3; i++) {
			long long t = took(k, timeouts[i], &r), spare = t - timeouts[i];

			wrong += r != want[k];
			worst = spare < worst ? spare : worst;
		}
		co_format(name, sizeof name, "%s: 1 ns, 1.5 ms, 20 ms, %s", what[k], busy);
		check(!wrong && worst >= 0, name, "%s, %lld us to spare", wrong ? "bad result" : "result ok",
		      worst / 1000);
	}
	co_close(pfd[0]);
	co_close(pfd[1]);
}

/* ---- scenarios for tests/run.sh --------------------------------------------- */
static void yielder(void *arg)
{
	for (long i = 0; i < (long)arg; i++)
		co_yield();
}

static void wait_pipe(void *arg)
{
	(void)arg;
	co_wait_fd(pfd[0], CO_READ, -1);
}

static void sleep_long(void *arg)
{
	(void)arg;
	co_sleep(60000 * MS);
}

/* Spinners of 1000 yields each beside a waiter that never wakes; main
 * returns without waiting for it. */
static int spin(int fd)
{
	int ids[100], n = 0;

	if (fd) {
		sys_pipe2(pfd, O_NONBLOCK);
		co_spawn(wait_pipe, 0);
	} else {
		co_spawn(sleep_long, 0);
	}
	co_yield();
	while (n < SPINNERS && n < 100)
		ids[n++] = co_spawn(yielder, (void *)1000L);
	for (int i = 0; i < n; i++)
		co_join(ids[i]);
	co_print("yields %d\n", n * 1000);
	return 0;
}

/* co_sleep(0), then co_sleep(1): due before the poller looks at it. */
static int sleep0(void)
{
	int n = 0;

	for (; n < 1000; n++)
		co_sleep(0);
	for (; n < 2000; n++)
		co_sleep(1);
	co_print("sleeps %d\n", n);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && str_eq(argv[1], "park")) {
		co_sleep(MS);
		for (int i = 0; i < SPINNERS && i < 10; i++)
			co_spawn(yielder, (void *)1000L);
		co_exit();              /* the process exits when they finish */
	}
	if (argc > 1 && str_eq(argv[1], "sleep0"))
		return sleep0();
	if (argc > 1 && (str_eq(argv[1], "spin") || str_eq(argv[1], "spin-fd")))
		return spin(str_eq(argv[1], "spin-fd"));

	sleeper_among_spinners(0, "a yield loop waits for a sleeper's flag");
	sleeper_among_spinners(100, "sleeper among spinners: runs in time");
	fd_waiter_among_spinners();

	never_early("idle");
	start_spinners(100);
	never_early("busy");
	stop_spinners();

	/* After the last timed wait the poller parks: co_run still returns. */
	co_spawn(yielder, (void *)100L);
	CHECK_EQ("co_run after the waits: returns 0", co_run(), 0);
	return check_done();
}
