/*
 * t_event.c - sleeping and waiting on file descriptors.
 *   t_event          the table below
 *   t_event cycle    1 joins 2, 2 joins 1, 3 sleeps: the deadlock is reported
 *                    (status 70) only once the sleeper has finished
 */
#include "check.h"

/* CPU time of the process, user + system, in nanoseconds. */
static long long cpu(void)
{
	struct sys_timespec t;

	sys_clock_gettime(2 /* CLOCK_PROCESS_CPUTIME_ID */, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* ---- sleepers ----------------------------------------------------------- */
static int order[8], norder, early;
static long long start;

static void sleeper(void *arg)
{
	long ms = (long)arg;

	co_sleep(ms * 1000000ULL);
	if (co_now() - start < ms * 1000000LL)
		early++;
	order[norder++] = (int)ms;
}

/* ---- a pipe, 1 MiB through it ------------------------------------------- */
enum { MIB = 1 << 20 };
static int pfd[2];
static unsigned long got, sum_in, sum_out;
static long wrote, last_read;

static void writer(void *arg)
{
	static unsigned char data[MIB];

	(void)arg;
	for (unsigned long i = 0; i < MIB; i++) {
		data[i] = (unsigned char)(i * 13 + i / 509);
		sum_out = sum_out * 31 + data[i];
	}
	wrote = co_write(pfd[1], data, MIB);
	co_close(pfd[1]);
}

static void reader(void *arg)
{
	unsigned char buf[3000];        /* an odd size: reads split writes */
	long r;

	(void)arg;
	while ((r = co_read(pfd[0], buf, sizeof buf)) > 0) {
		for (long i = 0; i < r; i++)
			sum_in = sum_in * 31 + buf[i];
		got += r;
	}
	last_read = r;
	co_close(pfd[0]);
}

/* ---- joins and sleepers --------------------------------------------------- */
static void nap_then_finish(void *arg)
{
	co_sleep((unsigned long)arg * 1000000ULL);
}

static void join_it(void *arg)
{
	co_join((int)(long)arg);
}

static int waited_events, second_wait, closed_read;

static void second_reader(void *arg)
{
	second_wait = co_wait_fd((int)(long)arg, CO_READ, -1);
}

static void blocked_reader(void *arg)
{
	char c;

	closed_read = (int)co_read((int)(long)arg, &c, 1);
}
static void wait_then_write(void *arg)
{
	(void)arg;
	co_sleep(20 * 1000000ULL);
	co_write(pfd[1], "x", 1);
}

int main(int argc, char **argv)
{
	if (argc > 1 && str_eq(argv[1], "cycle")) {
		co_spawn(join_it, (void *)2);
		co_spawn(join_it, (void *)1);
		co_spawn(nap_then_finish, (void *)50);
		co_run();
		return 0;
	}

	/* Sleepers wake in deadline order, never early. */
	long ms[] = { 50, 10, 40, 20, 30 };
	start = co_now();
	for (int i = 0; i < 5; i++)
		co_spawn(sleeper, (void *)ms[i]);
	co_run();
	long long took = co_now() - start;
	check(norder == 5 && order[0] == 10 && order[1] == 20 && order[2] == 30 &&
	      order[3] == 40 && order[4] == 50, "sleepers wake in deadline order",
	      "%d %d %d %d %d", order[0], order[1], order[2], order[3], order[4]);
	CHECK_EQ("no sleeper wakes early", early, 0);
	check(took >= 50000000, "the run takes the longest sleep", "%lld ms", took / 1000000);

	/* While every coroutine sleeps, the process sleeps too. */
	long long c0 = cpu(), t0 = co_now();
	co_spawn(nap_then_finish, (void *)500);
	co_spawn(nap_then_finish, (void *)400);
	co_sleep(500 * 1000000ULL);
	co_run();
	long long c1 = cpu() - c0, t1 = co_now() - t0;
	check(c1 * 20 < t1, "CPU time while all sleep half a second: under 5%",
	      "%lld ms CPU in %lld ms", c1 / 1000000, t1 / 1000000);

	/* 1 MiB through a non-blocking pipe. */
	CHECK_EQ("pipe2 O_NONBLOCK", sys_pipe2(pfd, O_NONBLOCK), 0);
	co_spawn(writer, 0);
	co_spawn(reader, 0);
	co_run();
	CHECK_EQ("co_write writes all of 1 MiB", wrote, MIB);
	check(got == MIB && sum_in == sum_out, "co_read gets every byte, in order",
	      "%lu bytes, sum %s", got, sum_in == sum_out ? "equal" : "differs");
	CHECK_EQ("  ... then 0 at end of file", last_read, 0);

	/* co_wait_fd: timeout, ready, bad fds. */
	sys_pipe2(pfd, O_NONBLOCK);
	long long t = co_now();
	int r = co_wait_fd(pfd[0], CO_READ, 30 * 1000000LL);
	t = co_now() - t;
	check(r == 0 && t >= 30000000, "co_wait_fd on an empty pipe times out",
	      "%d after %lld ms", r, t / 1000000);
	CHECK_EQ("co_wait_fd with timeout 0 checks once", co_wait_fd(pfd[0], CO_READ, 0), 0);
	CHECK_EQ("co_wait_fd for writing an empty pipe", co_wait_fd(pfd[1], CO_WRITE, -1), CO_WRITE);
	co_spawn(wait_then_write, 0);
	t = co_now();
	waited_events = co_wait_fd(pfd[0], CO_READ, -1);
	t = co_now() - t;
	check(waited_events == CO_READ && t >= 20000000, "co_wait_fd wakes when data comes",
	      "%d after %lld ms", waited_events, t / 1000000);
	co_run();
	CHECK_EQ("co_wait_fd on a closed fd: -EBADF", co_wait_fd(999, CO_READ, -1), -EBADF);
	CHECK_EQ("co_wait_fd on fd -1: -EBADF", co_wait_fd(-1, CO_READ, -1), -EBADF);
	CHECK_EQ("co_wait_fd with no events: -EINVAL", co_wait_fd(pfd[0], 0, -1), -EINVAL);
	CHECK_EQ("co_read of a closed fd: -EBADF", co_read(999, &r, 1), -EBADF);

	/* One reader per fd; co_close wakes whoever waits on it. */
	CHECK_EQ("read what wait_then_write wrote", co_read(pfd[0], &r, 1), 1);
	co_spawn(blocked_reader, (void *)(long)pfd[0]);
	co_spawn(second_reader, (void *)(long)pfd[0]);
	co_yield();                     /* the first waits in co_read, the second is refused */
	CHECK_EQ("a second reader of the same fd: -EBUSY", second_wait, -EBUSY);
	co_close(pfd[0]);
	co_run();
	CHECK_EQ("co_close wakes the reader, who finds -EBADF", closed_read, -EBADF);
	co_close(pfd[1]);

	/* A sleeper that will finish is no deadlock: main joins it. */
	int id = co_spawn(nap_then_finish, (void *)20);
	CHECK_EQ("join a sleeping coroutine", co_join(id), 0);
	return check_done();
}
