/*
 * t_select.c - co_select's fd cases (CO_FD_READ, CO_FD_WRITE; the
 * contract: coroutine.h) beside channel cases and a deadline: a channel, a
 * socket and a timeout in one call; two fds; the first ready case winning;
 * fds not open (-EBADF at once) and closed by co_close while selected; a
 * cancel; a select that another case ended leaves nothing behind on its
 * fds (a later event wakes nobody, later waits on the fd work); several
 * coroutines selecting on one fd, and many each on fds of their own; and
 * the trusted waits of co_read on a stream socket (event.c): a socket
 * closed behind the runtime's back and its number reused still reads.
 * At most 100 coroutines besides main (run in the default pool only).
 *   t_select pingpong   2000 round trips of 64 bytes between two coroutines
 *                       over a stream socket pair, with co_read and co_write
 *                       ("trips 2000"): run.sh counts the epoll_ctl calls
 *                       and the reads that return EAGAIN (none per trip)
 */
#include "check.h"

#define MS 1000000LL
#define MANY 100

static int socket_pair(int sv[2])
{
	return (int)syscall6(__NR_socketpair, 1 /* AF_UNIX */, SOCK_STREAM | SOCK_NONBLOCK, 0,
			     (long)sv, 0, 0);
}

static struct co_chan ch;               /* one int at a time */
static unsigned char chbuf[sizeof(int)];
static int sv[2], pa[2], pb[2];

/* ---- helpers run as coroutines ------------------------------------------- */

static void write_after(void *arg)      /* a byte to fd arg after 10 ms */
{
	co_sleep(10 * MS);
	sys_write((int)(long)arg, "x", 1);
}

static void send_after(void *arg)       /* arg on ch after 10 ms */
{
	int v = (int)(long)arg;

	co_sleep(10 * MS);
	co_send(&ch, &v, -1);
}

static void close_after(void *arg)      /* co_close(arg) after 10 ms */
{
	co_sleep(10 * MS);
	co_close((int)(long)arg);
}

/* select { receive on ch, read sv[0], read pa[0] } for timeout: the index,
 * -ETIMEDOUT, ...; *res is the case's result, *msg what ch gave. */
static int three(long long timeout, int *res, int *msg)
{
	struct co_case k[3] = { { .ch = &ch, .op = CO_RECV, .msg = msg },
				{ .op = CO_FD_READ, .fd = sv[0] },
				{ .op = CO_FD_READ, .fd = pa[0] } };
	int i = co_select(k, 3, timeout);

	*res = i >= 0 ? k[i].result : 99;
	return i;
}

/* ---- leftovers: a select ended by a channel leaves nothing on its fd ---- */
static int s_first = -1, s_then = -1, s_later = -1;

static void selector(void *arg)
{
	int m = 0, res;

	(void)arg;
	s_first = three(-1, &res, &m);          /* main sends: case 0 */
	s_then = co_recv(&ch, &m, -1);          /* a pipe event must not end this */
	s_later = co_wait_fd(pa[0], CO_READ, 2000 * MS);
}

/* ---- cancel ------------------------------------------------------------------- */
static int c_result = 1, c_again = 1;

static void cancelled(void *arg)
{
	int m, res;

	(void)arg;
	c_result = three(-1, &res, &m);
	c_again = co_wait_fd(pb[0], CO_READ, 2000 * MS);
}

/* ---- many ---------------------------------------------------------------------- */
static int woke[MANY], fds[MANY][2];

static void on_shared(void *arg)        /* selects on the shared pipe pa[0] */
{
	int m, i = (int)(long)arg;
	struct co_chan own;
	struct co_case k[2] = { { .ch = &own, .op = CO_RECV, .msg = &m },
				{ .op = CO_FD_READ, .fd = pa[0] } };

	co_chan_init(&own, sizeof m, 0, 0);
	woke[i] = co_select(k, 2, 2000 * MS) == 1 && k[1].result == 0;
}

static void on_own(void *arg)           /* selects on a pipe of its own */
{
	int i = (int)(long)arg;
	struct co_case k[2] = { { .op = CO_FD_READ, .fd = pa[0] },
				{ .op = CO_FD_READ, .fd = fds[i][0] } };
	char c;

	woke[i] = co_select(k, 2, 2000 * MS) == 1 && sys_read(fds[i][0], &c, 1) == 1 &&
		  c == (char)i;
}

/* ---- a stream socket closed behind the runtime's back --------------------- */
static void echo_after(void *arg)       /* "hello" into fd arg after 10 ms */
{
	co_sleep(10 * MS);
	sys_write((int)(long)arg, "hello", 5);
}

/* ---- more fds than entries ------------------------------------------------ */
#define PIPES 1200                      /* over 2 * (1 + CO_CAPACITY): entries reused */

static void write_now(void *arg)
{
	sys_write((int)(long)arg, "w", 1);
}

/* ---- pingpong --------------------------------------------------------------- */
#define TRIPS 2000
static int pp[2];

static void pong(void *arg)             /* echoes what comes, short reads */
{
	char b[1024];
	long n;

	(void)arg;
	while ((n = co_read(pp[1], b, sizeof b)) > 0)
		if (co_write(pp[1], b, n) != n)
			break;
	co_close(pp[1]);
}

static int pingpong(void)
{
	char msg[64] = "ping", b[1024];
	int trips = 0;

	socket_pair(pp);
	co_spawn(pong, 0);
	for (int i = 0; i < TRIPS; i++) {
		long got = 0, n;

		if (co_write(pp[0], msg, sizeof msg) != sizeof msg)
			break;
		while (got < (long)sizeof msg && (n = co_read(pp[0], b, sizeof b)) > 0)
			got += n;
		trips += got == sizeof msg;
	}
	co_close(pp[0]);
	co_run();
	co_print("trips %d\n", trips);
	return trips != TRIPS;
}

int main(int argc, char **argv)
{
	int res, m = 0, i, n;
	long long t;
	char buf[64] = "";

	if (argc > 1 && str_eq(argv[1], "pingpong"))
		return pingpong();
	if (argc > 1) {
		co_eprint("usage: t_select [pingpong]\n");
		return CO_EXIT_USAGE;
	}
	co_chan_init(&ch, sizeof(int), chbuf, 1);
	socket_pair(sv);
	sys_pipe2(pa, O_NONBLOCK);
	sys_pipe2(pb, O_NONBLOCK);

	/* Nothing ready: the deadline, never early. */
	t = co_now();
	i = three(30 * MS, &res, &m);
	t = co_now() - t;
	check(i == -ETIMEDOUT && t >= 30 * MS, "channel, socket, pipe: the deadline",
	      "%d after %lld ms", i, t / MS);
	CHECK_EQ("  ... timeout 0: -EAGAIN", three(0, &res, &m), -EAGAIN);

	/* Each wakes it in turn. */
	co_spawn(send_after, (void *)42);
	i = three(2000 * MS, &res, &m);
	check(i == 0 && res == 0 && m == 42, "a send on the channel wakes it: case 0",
	      "%d, result %d, message %d", i, res, m);
	co_spawn(write_after, (void *)(long)sv[1]);
	i = three(2000 * MS, &res, &m);
	check(i == 1 && res == 0, "data on the socket wakes it: case 1", "%d, result %d", i, res);
	sys_read(sv[0], buf, sizeof buf);
	co_spawn(write_after, (void *)(long)pa[1]);
	i = three(2000 * MS, &res, &m);
	check(i == 2 && res == 0, "data in the pipe wakes it: case 2", "%d, result %d", i, res);
	co_run();

	/* Ready at once: the first ready case wins, in the array's order. */
	sys_write(sv[1], "y", 1);
	i = three(-1, &res, &m);
	check(i == 1 && res == 0, "socket and pipe both ready: the first, 1", "%d", i);
	sys_read(sv[0], buf, sizeof buf);
	i = three(-1, &res, &m);
	check(i == 2 && res == 0, "then the pipe (still unread): 2", "%d", i);
	sys_read(pa[0], buf, sizeof buf);

	/* Writing: a full pipe becomes writable when drained. */
	while (sys_write(pb[1], buf, sizeof buf) > 0)
		;
	{
		struct co_case k[2] = { { .op = CO_FD_WRITE, .fd = pb[1] },
					{ .op = CO_FD_READ, .fd = pa[0] } };

		CHECK_EQ("a full pipe: CO_FD_WRITE not ready", co_select(k, 2, 0), -EAGAIN);
		while (sys_read(pb[0], buf, sizeof buf) > 0)
			;
		CHECK_EQ("  ... drained: CO_FD_WRITE ready", co_select(k, 2, 0), 0);
		k[0].fd = sv[0], k[1].fd = sv[0], k[1].op = CO_FD_WRITE, k[0].op = CO_FD_READ;
		CHECK_EQ("read and write cases on one socket: the write", co_select(k, 2, -1), 1);
	}

	/* Bad fds: ready at once, with -EBADF. */
	{
		struct co_case k[2] = { { .op = CO_FD_READ, .fd = pa[0] },
					{ .op = CO_FD_READ, .fd = 999 } };

		i = co_select(k, 2, -1);
		check(i == 1 && k[1].result == -EBADF, "an fd not open: -EBADF at once",
		      "%d, result %d", i, k[1].result);
		k[1].fd = -1;
		i = co_select(k, 2, -1);
		check(i == 1 && k[1].result == -EBADF, "fd -1: -EBADF", "%d, result %d", i, k[1].result);
		k[1].op = 7;
		CHECK_EQ("an unknown op: -EINVAL", co_select(k, 2, -1), -EINVAL);
	}

	/* co_close while selected: that case, -EBADF. */
	{
		int p[2];

		sys_pipe2(p, O_NONBLOCK);
		struct co_case k[2] = { { .op = CO_FD_READ, .fd = pa[0] },
					{ .op = CO_FD_READ, .fd = p[0] } };
		co_spawn(close_after, (void *)(long)p[0]);
		i = co_select(k, 2, 2000 * MS);
		check(i == 1 && k[1].result == -EBADF, "co_close of a selected fd: -EBADF",
		      "%d, result %d", i, k[1].result);
		co_run();
		sys_close(p[1]);
	}

	/* Ended by the channel: a later event on its fd wakes nobody. */
	i = co_spawn(selector, 0);
	co_yield();                             /* it waits on ch, sv[0], pa[0] */
	m = 5;
	co_send(&ch, &m, -1);
	co_yield();                             /* it takes case 0, then waits in co_recv */
	sys_write(pa[1], "z", 1);
	for (n = 0; n < 5; n++)
		co_sleep(MS);                   /* the poller runs: a stale waiter would wake */
	check(s_first == 0 && s_then == -1, "ended by a channel: a pipe event wakes nobody",
	      "select %d, recv %d", s_first, s_then);
	co_send(&ch, &m, -1);
	co_join(i);
	check(s_then == 0 && s_later == CO_READ, "  ... its later waits work",
	      "recv %d, co_wait_fd %d", s_then, s_later);
	sys_read(pa[0], buf, sizeof buf);

	/* Cancelled: -ECANCELED; its next wait works. */
	i = co_spawn(cancelled, 0);
	co_yield();
	co_cancel(i);
	co_yield();
	sys_write(pa[1], "c", 1);               /* would wake a leftover */
	co_spawn(write_after, (void *)(long)pb[1]);
	co_join(i);
	check(c_result == -ECANCELED && c_again == CO_READ, "cancelled: -ECANCELED, then a wait works",
	      "%d, then %d", c_result, c_again);
	sys_read(pa[0], buf, sizeof buf);
	sys_read(pb[0], buf, sizeof buf);

	/* MANY coroutines on one fd: one byte wakes them all. */
	for (i = 0; i < MANY; i++)
		woke[i] = 0, co_spawn(on_shared, (void *)(long)i);
	co_yield();
	sys_write(pa[1], "m", 1);
	co_run();
	for (i = n = 0; i < MANY; i++)
		n += woke[i];
	check(n == MANY, "100 coroutines select one pipe: all woken", "%d of %d", n, MANY);
	sys_read(pa[0], buf, sizeof buf);

	/* MANY coroutines on fds of their own: each its own. */
	for (i = 0; i < MANY; i++) {
		sys_pipe2(fds[i], O_NONBLOCK);
		woke[i] = 0, co_spawn(on_own, (void *)(long)i);
	}
	co_yield();
	for (i = MANY - 1; i >= 0; i--) {
		char c = (char)i;

		sys_write(fds[i][1], &c, 1);
		if (i % 10 == 0)
			co_yield();
	}
	co_run();
	for (i = n = 0; i < MANY; i++) {
		n += woke[i];
		co_close(fds[i][0]);
		co_close(fds[i][1]);
	}
	check(n == MANY, "100 coroutines, a pipe each: each its own", "%d of %d", n, MANY);

	/* More fds waited on, one after another, than the runtime keeps
	 * entries for (each kept open, on a number of its own): the oldest
	 * that nobody waits on leave epoll, and every wait works. */
	{
		static int open_fds[PIPES];
		struct { unsigned long long cur, max; } lim;
		int k = 0;

		sys_prlimit64(0, 7 /* RLIMIT_NOFILE */, 0, &lim);
		if (lim.cur < PIPES + 100 && lim.max >= PIPES + 100) {
			lim.cur = PIPES + 100;
			sys_prlimit64(0, 7, &lim, 0);
			sys_prlimit64(0, 7, 0, &lim);
		}
		for (i = n = 0; i < PIPES && lim.cur >= PIPES + 100; i++) {
			int p[2];

			if (sys_pipe2(p, O_NONBLOCK))
				break;
			co_spawn(write_now, (void *)(long)p[1]);
			n += co_wait_fd(p[0], CO_READ, 2000 * MS) == CO_READ;
			sys_close(p[1]);
			open_fds[k++] = p[0];
		}
		if (lim.cur < PIPES + 100)
			skip("1200 fds waited on in turn: each woken", "RLIMIT_NOFILE too low");
		else
			check(n == PIPES, "1200 fds waited on in turn: each woken", "%d of %d", n, PIPES);
		while (k)
			co_close(open_fds[--k]);
	}

	/* co_read of a stream socket after a short read waits without a read;
	 * the socket closed behind the runtime's back and another put on its
	 * number (with data waiting) still reads: a check finds it. */
	{
		int a[2], b[2];
		long r1, r2;

		socket_pair(a);
		sys_write(a[1], "ab", 2);
		r1 = co_read(a[0], buf, sizeof buf);            /* short: 2 */
		co_spawn(echo_after, (void *)(long)a[1]);
		r2 = co_read(a[0], buf, sizeof buf);            /* waits, trusting */
		check(r1 == 2 && r2 == 5, "a socket read short, then read again", "%ld, %ld", r1, r2);
		co_run();
		socket_pair(b);
		sys_dup3(b[0], a[0], 0);                        /* behind its back */
		sys_close(b[0]);
		sys_write(b[1], "hello", 5);
		t = co_now();
		r2 = co_read_for(a[0], buf, sizeof buf, 5000 * MS);
		check(r2 == 5, "  ... another socket dup3'd onto it: read", "%ld after %lld ms",
		      r2, (co_now() - t) / MS);
		co_close(a[0]);
		co_close(a[1]);
		co_close(b[1]);
	}
	return check_done();
}
