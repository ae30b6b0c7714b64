/*
 * t_event.c - sleeping and waiting on file descriptors: timers, pipes,
 * fds closed and reused behind the runtime's back (sys_close, dup3 over
 * them, a copy kept open elsewhere), fds past 4096, blocking fds.
 *   t_event          the table below
 *   t_event cycle    1 joins 2, 2 joins 1, 3 sleeps: the deadlock is reported
 *                    (status 70) only once the sleeper has finished
 * Broken pipes (run.sh checks the status and the output; each prints
 * "pipe: -32" first, flushed, once a co_write to a broken pipe has returned
 * -EPIPE, so a death before that point is told apart):
 *   t_event epipe-buffered        a line printed (buffered, not flushed), then
 *                                 co_write to a socket whose peer closed: -EPIPE,
 *                                 and the process goes on; both lines appear
 *   t_event broken-stdout HOW     then standard output is a pipe whose reader
 *                                 closed, written by HOW: print (co_print and
 *                                 co_flush), write (co_write), socket (a socket
 *                                 on fd 1, co_write): dies by SIGPIPE, silent
 *   t_event broken-stdout ignored the same with SIGPIPE ignored first (as a
 *                                 parent's SIG_IGN would be): status 74, a line
 *   t_event broken-stderr HOW     standard error a broken pipe, written by HOW:
 *                                 eprint (co_eprint) or write: dies by SIGPIPE
 *   t_event exec                  then execve /bin/sh -c 'kill -PIPE $$': the
 *                                 shell dies by it (no ignored SIGPIPE leaked)
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
static int order[8], norder, early, late;
static long long start;

static void sleeper(void *arg)
{
	long ms = (long)arg;
	long long left = start + ms * 1000000LL - co_now();

	/* Until start + ms, whenever this coroutine got to run: a busy machine
	 * may start the sleepers far apart, but not reorder their deadlines.
	 * One that runs only after its deadline cannot sleep until it: that
	 * round says nothing of the order (main runs another). */
	late += left <= 0;
	co_sleep(left > 0 ? (unsigned long long)left : 0);
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
	static unsigned char buf[3000]; /* an odd size: reads split writes (static:
					 * within every build's frame limit) */
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

/* ---- fds closed and reused behind the runtime's back --------------------- */
static int wait_result, watch_done;

static void wait_fd_forever(void *arg)
{
	wait_result = co_wait_fd((int)(long)arg, CO_READ, -1);
}

static void slow_hello(void *arg)
{
	co_sleep(10 * 1000000ULL);
	co_write((int)(long)arg, "hello", 5);
}

/* A hang becomes a failure: after 5 s, co_close the fd the test reads. */
static void watchdog(void *arg)
{
	for (int k = 0; k < 500 && !watch_done; k++)
		co_sleep(10 * 1000000ULL);
	if (!watch_done)
		co_close((int)(long)arg);
}

/* co_read(fd) in main while a coroutine writes "hello" to wfd 10 ms later:
 * 1 if it returns those 5 bytes.  *r is what co_read returned. */
static int hello_through(int fd, int wfd, long *r)
{
	char buf[16] = "";

	int writer = co_spawn(slow_hello, (void *)(long)wfd);
	int dog = co_spawn(watchdog, (void *)(long)fd);

	watch_done = 0;
	*r = co_read(fd, buf, sizeof buf);
	co_join(writer);
	watch_done = 1;
	co_join(dog);           /* (co_run could wait for a stale waiter) */
	return *r == 5 && buf[0] == 'h' && buf[4] == 'o';
}

/* A fresh non-blocking pipe whose read end has been waited on (so it is
 * registered with epoll) until a timeout. */
static void waited_pipe(int p[2])
{
	sys_pipe2(p, O_NONBLOCK);
	co_wait_fd(p[0], CO_READ, 1000000);
}

static void reuse_tests(void)
{
	int p[2], q[2], keep, ok;
	long r = 0;

	/* co_close wakes a co_wait_fd with -EBADF, not with CO_READ. */
	sys_pipe2(p, O_NONBLOCK);
	co_spawn(wait_fd_forever, (void *)(long)p[0]);
	co_yield();
	co_close(p[0]);
	co_run();
	CHECK_EQ("co_wait_fd woken by co_close: -EBADF", wait_result, -EBADF);
	co_close(p[1]);

	/* sys_close, not co_close, then a new pipe on the same number. */
	waited_pipe(p);
	sys_close(p[0]);
	sys_close(p[1]);
	sys_pipe2(q, O_NONBLOCK);
	ok = q[0] == p[0] && hello_through(q[0], q[1], &r);
	check(ok, "fd reused after sys_close: co_read gets data", "fd %d again: %ld", q[0], r);
	co_close(q[0]);
	co_close(q[1]);

	/* dup3 puts another pipe on the registered number. */
	waited_pipe(p);
	sys_pipe2(q, O_NONBLOCK);
	sys_dup3(q[0], p[0], 0);
	sys_close(q[0]);
	ok = hello_through(p[0], q[1], &r);
	check(ok, "fd reused by dup3 over it: co_read gets data", "%ld", r);
	co_close(p[0]);
	co_close(p[1]);
	co_close(q[1]);

	/* The old file stays open elsewhere (a dup, as a child would keep it),
	 * its number is reused: the old file's readiness wakes nobody. */
	waited_pipe(p);
	keep = sys_fcntl(p[0], F_DUPFD_CLOEXEC, 100);
	sys_close(p[0]);
	sys_pipe2(q, O_NONBLOCK);
	sys_write(p[1], "old", 3);
	r = co_wait_fd(q[0], CO_READ, 30 * 1000000LL);
	check(q[0] == p[0] && keep >= 100 && r == 0,
	      "old file kept by a dup, fd reused: not ready", "fd %d again: %ld", q[0], r);
	ok = hello_through(q[0], q[1], &r);
	check(ok, "  ... and co_read of the new pipe gets data", "%ld", r);
	co_close(keep);
	co_close(p[1]);
	co_close(q[0]);
	co_close(q[1]);

	/* Closed while a coroutine waits on it: the next wait on the reused
	 * number works, and wakes the stale waiter with -EBADF. */
	sys_pipe2(p, O_NONBLOCK);
	closed_read = 0;
	co_spawn(blocked_reader, (void *)(long)p[0]);
	co_yield();
	sys_close(p[0]);
	sys_close(p[1]);
	sys_pipe2(q, O_NONBLOCK);
	ok = q[0] == p[0] && hello_through(q[0], q[1], &r);
	check(ok, "fd closed under a waiter, reused: co_read works", "fd %d again: %ld", q[0], r);
	CHECK_EQ("  ... and the old waiter gets -EBADF", closed_read, -EBADF);
	co_close(q[0]);
	co_close(q[1]);
}

/* ---- fds past 4096 ---------------------------------------------------------- */
static void big_fd_tests(void)
{
	struct { unsigned long long cur, max; } lim;
	int p[2], top, ok;
	char buf[5];
	long r = 0;

	/* RLIMIT_NOFILE (7): the soft limit up to the hard one, at most 65536. */
	sys_prlimit64(0, 7, 0, &lim);
	if (lim.cur < lim.max && lim.cur < 65536) {
		lim.cur = lim.max < 65536 ? lim.max : 65536;
		sys_prlimit64(0, 7, &lim, 0);
		sys_prlimit64(0, 7, 0, &lim);
	}
	if (!check(lim.cur > 5001, "RLIMIT_NOFILE allows fd 5001", "soft %llu, hard %llu",
		   lim.cur, lim.max))
		return;
	top = (int)lim.cur - 1;
	sys_pipe2(p, O_NONBLOCK);
	sys_dup3(p[0], 5000, 0);
	sys_dup3(p[1], 5001, 0);
	sys_close(p[0]);
	sys_close(p[1]);
	ok = hello_through(5000, 5001, &r);
	check(ok, "co_read of fd 5000 (a pipe) gets data", "%ld", r);
	while (sys_read(5000, buf, sizeof buf) > 0)
		;                               /* each check starts empty */
	co_spawn(slow_hello, (void *)5001L);
	CHECK_EQ("co_wait_fd on fd 5000 waits for data", co_wait_fd(5000, CO_READ, -1), CO_READ);
	co_run();
	while (sys_read(5000, buf, sizeof buf) > 0)
		;
	sys_dup3(5000, top, 0);
	ok = hello_through(top, 5001, &r);
	check(ok, "co_read of the highest fd the limit allows", "fd %d: %ld", top, r);
	co_close(top);
	co_close(5000);
	co_close(5001);
}

/* ---- blocking fds ----------------------------------------------------------
 * The slow writer (and reader) is a SIGALRM handler, every 20 ms: it acts
 * only once a coroutine has run while the test's co_read or co_write waits
 * (ticks), or, if none can (the process is blocked in the system call), after
 * 2 s, to unblock it, so that the test fails instead of hanging. */
enum { BLOCK_BYTES = 256 << 10 };
static int bp[2], mode, ticks, rescued, done_waiting;
static volatile int alarms;
static unsigned long drained;

static void on_alarm(int sig, void *info, void *uc)
{
	static char junk[65536];

	(void)sig, (void)info, (void)uc;
	alarms++;
	if (mode == CO_READ && (ticks || alarms > 100)) {
		sys_write(bp[1], "slow\n", 5);
		rescued = !ticks;
		mode = 0;
	}
	if (mode == CO_WRITE && alarms > 100)
		rescued += sys_read(bp[0], junk, sizeof junk) > 0;
}

static void alarm_every(long us)
{
	long t[4] = { 0, us, 0, us };   /* interval, value */

	sys_setitimer(0 /* ITIMER_REAL */, t, 0);
}

static void ticker(void *arg)
{
	(void)arg;
	while (!done_waiting) {
		ticks++;
		co_sleep(2 * 1000000ULL);
	}
}

static void drainer(void *arg)
{
	static char buf[5000];
	long r;

	(void)arg;
	while ((r = co_read(bp[0], buf, sizeof buf)) > 0)
		drained += r;
}

static void blocking_tests(void)
{
	static char data[BLOCK_BYTES];
	char buf[16];
	long r;

	co_sigaction(SIGALRM, on_alarm, 0);
	sys_pipe2(bp, 0);

	/* Reading: main waits for the slow writer, the ticker runs meanwhile. */
	mode = CO_READ, ticks = alarms = done_waiting = 0;
	co_spawn(ticker, 0);
	alarm_every(20000);
	r = co_read(bp[0], buf, sizeof buf);
	done_waiting = 1;
	alarm_every(0);
	co_run();
	check(r == 5 && !rescued, "co_read of a blocking pipe: the others run",
	      "%ld bytes, %s", r, rescued ? "process blocked" : "no block");

	/* Writing 256 KiB (four pipes' worth): the reader gets it all. */
	mode = CO_WRITE, alarms = 0;
	co_spawn(drainer, 0);
	alarm_every(20000);
	r = co_write(bp[1], data, sizeof data);
	alarm_every(0);
	sys_close(bp[1]);
	co_run();
	check(r == BLOCK_BYTES && drained == BLOCK_BYTES && !rescued,
	      "co_write to a blocking pipe: the reader runs", "%ld written, %lu read", r, drained);
	sys_close(bp[0]);
	mode = 0;
}

/* ---- broken pipes and SIGPIPE ----------------------------------------------- */
#define SIG_IGN_ ((void (*)(int, void *, void *))1)

static int socket_pair(int sv[2])
{
	return (int)syscall6(__NR_socketpair, 1 /* AF_UNIX */, SOCK_STREAM, 0, (long)sv, 0, 0);
}

/* A pipe (or, with sock, a socket) whose other end is closed: writing fd[1]
 * finds it broken. */
static void broken(int fd[2], int sock)
{
	if (sock)
		socket_pair(fd);
	else
		sys_pipe2(fd, 0);
	sys_close(fd[0]);
}

/* SIGPIPE's disposition: 0 SIG_DFL, 1 SIG_IGN, or a handler's address. */
static unsigned long sigpipe_disposition(void)
{
	struct sys_sigaction old;

	sys_rt_sigaction(SIGPIPE, 0, &old, SYS_SIGSET_SIZE);
	return (unsigned long)old.handler;
}

static void sigpipe_tests(void)
{
	static char big[100000];
	int s[2], p[2];
	unsigned long d;

	broken(s, 1);
	CHECK_EQ("co_write to a socket whose peer closed: -EPIPE", co_write(s[1], "x", 1), -EPIPE);
	broken(p, 0);
	CHECK_EQ("co_write to a pipe whose reader closed: -EPIPE", co_write(p[1], "x", 1), -EPIPE);
	CHECK_EQ("  ... and co_write of 100000 bytes", co_write(p[1], big, sizeof big), -EPIPE);
	d = sigpipe_disposition();
	check(d > 1, "SIGPIPE then: a handler, not SIG_IGN", "%s",
	      d == 0 ? "SIG_DFL" : d == 1 ? "SIG_IGN" : "a handler");
	sys_close(s[1]);
	sys_close(p[1]);
}

/* The scenarios run.sh checks from outside (see the top of the file). */
static int broken_scenario(const char *what, const char *how, char **envp)
{
	int p[2], s[2];
	long r;

	if (str_eq(how, "ignored"))
		co_sigaction(SIGPIPE, SIG_IGN_, 0);
	if (str_eq(what, "epipe-buffered")) {
		co_print("buffered: this line, not flushed\n");
		broken(s, 1);
		co_print("co_write to a broken socket: %ld\n", co_write(s[1], "x", 1));
		return 0;
	}
	broken(p, 0);
	co_print("pipe: %ld\n", co_write(p[1], "x", 1));
	co_flush();
	broken(s, str_eq(how, "socket"));
	if (str_eq(what, "exec")) {
		static char *argv[] = { "sh", "-c", "kill -PIPE $$; echo survived SIGPIPE", 0 };

		r = syscall6(__NR_execve, (long)"/bin/sh", (long)argv, (long)envp, 0, 0, 0);
		co_print("execve: %ld\n", r);
		return 3;
	}
	sys_dup3(s[1], str_eq(what, "broken-stdout") ? 1 : 2, 0);
	if (str_eq(how, "print") || str_eq(how, "ignored")) {
		co_print("into a broken pipe\n");
		co_flush();
	} else if (str_eq(how, "eprint")) {
		co_eprint("into a broken pipe\n");
	} else if (str_eq(what, "broken-stdout")) {
		r = co_write(1, "x", 1);
		co_eprint("co_write returned %ld\n", r);
	} else {
		r = co_write(2, "x", 1);
		co_print("co_write returned %ld\n", r);
	}
	return 3;                       /* alive: it should not be */
}

/* ---- two coroutines on one blocking fd ---------------------------------------
 * A waits on a blocking pipe; the poller wakes A, but B, ahead of A in the
 * ready queue, takes what woke it.  A must wait again, not block the
 * process in read(2) or write(2).  Should the process block, a SIGALRM
 * 10 s later frees it (a byte into the pipe, or room in it) and the check
 * fails instead of hanging. */
static int sp[2], sp_dir;
static long a_got, b_got;
static volatile int freed;

static void on_stuck(int sig, void *info, void *uc)
{
	static char junk[65536];

	(void)sig, (void)info, (void)uc;
	freed = 1;
	if (sp_dir == CO_READ)
		sys_write(sp[1], "y", 1);
	else
		sys_read(sp[0], junk, sizeof junk);
}

static void one_shot_alarm(long us)
{
	long t[4] = { 0, 0, us / 1000000, us % 1000000 };  /* interval; value: s, us */

	sys_setitimer(0 /* ITIMER_REAL */, t, 0);
}

static void reader_a(void *arg)
{
	char c[2];

	(void)arg;
	a_got = co_read(sp[0], c, sizeof c);
}

static void reader_b(void *arg)
{
	char c[2];

	(void)arg;
	co_yield();                     /* behind main: now A waits, the byte comes */
	b_got = co_read(sp[0], c, sizeof c);
}

static char page[4096];

static void writer_a(void *arg)
{
	(void)arg;
	a_got = co_write(sp[1], page, sizeof page);
}

static void writer_b(void *arg)
{
	(void)arg;
	co_yield();
	b_got = co_write(sp[1], page, sizeof page);     /* fills the pipe again */
}

static void shared_fd_tests(void)
{
	int a, b;

	co_sigaction(SIGALRM, on_stuck, 0);

	/* Readers: A waits; main writes one byte and joins B; the poller
	 * wakes A behind B; B reads the byte; A runs; then main writes A's. */
	sys_pipe2(sp, 0);
	freed = 0, a_got = b_got = 0, sp_dir = CO_READ;
	one_shot_alarm(10000000);
	a = co_spawn(reader_a, 0);
	b = co_spawn(reader_b, 0);
	co_yield();                     /* A waits, B yields */
	sys_write(sp[1], "x", 1);
	co_join(b);
	sys_write(sp[1], "z", 1);
	co_join(a);
	one_shot_alarm(0);
	check(a_got == 1 && b_got == 1 && !freed, "blocking pipe, two readers, one byte: no block",
	      "A %ld, B %ld, %s", a_got, b_got, freed ? "process blocked" : "no block");
	sys_close(sp[0]);
	sys_close(sp[1]);

	/* Writers: the pipe is full; A waits; main reads a page; the poller
	 * wakes A behind B; B fills the pipe again; A runs; then main
	 * drains the pipe. */
	sys_pipe2(sp, 0);
	while (co_wait_fd(sp[1], CO_WRITE, 0))
		sys_write(sp[1], page, sizeof page);
	freed = 0, a_got = b_got = 0, sp_dir = CO_WRITE;
	one_shot_alarm(10000000);
	a = co_spawn(writer_a, 0);
	b = co_spawn(writer_b, 0);
	co_yield();                     /* A waits, B yields */
	sys_read(sp[0], page, sizeof page);
	co_join(b);
	while (co_wait_fd(sp[0], CO_READ, 0))
		sys_read(sp[0], page, sizeof page);
	co_join(a);
	one_shot_alarm(0);
	check(a_got == 4096 && b_got == 4096 && !freed, "full blocking pipe, two writers: no block",
	      "A %ld, B %ld, %s", a_got, b_got, freed ? "process blocked" : "no block");
	sys_close(sp[0]);
	sys_close(sp[1]);
}

/* ---- a wait that has ended leaves its fd ---------------------------------------
 * R's co_wait_fd times out in the same pass of the poller that wakes main,
 * which then waits on the same fd before R has run again. */
static int r_wait = 1;

static void timed_reader(void *arg)
{
	r_wait = co_wait_fd((int)(long)arg, CO_READ, 10 * 1000000LL);
}

static void block_process(void *arg)
{
	struct sys_timespec ts = { 0, 30 * 1000000LL };

	(void)arg;
	sys_clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, 0);       /* past both deadlines */
}

static void ended_wait_test(void)
{
	int p[2], r;

	sys_pipe2(p, O_NONBLOCK);
	co_spawn(timed_reader, (void *)(long)p[0]);
	co_spawn(block_process, 0);
	co_sleep(1000000);              /* R waits, then the process blocks 30 ms */
	r = co_wait_fd(p[0], CO_READ, 1000000);
	co_run();
	check(r == 0 && r_wait == 0, "a timed-out reader no longer holds the fd",
	      "main %d, the reader %d", r, r_wait);
	co_close(p[0]);
	co_close(p[1]);
}

int main(int argc, char **argv, char **envp)
{
	if (argc > 1 && str_eq(argv[1], "cycle")) {
		co_spawn(join_it, (void *)2);
		co_spawn(join_it, (void *)1);
		co_spawn(nap_then_finish, (void *)50);
		co_run();
		return 0;
	}
	if (argc > 1 && (str_eq(argv[1], "epipe-buffered") || str_eq(argv[1], "exec") ||
			 (argc > 2 && (str_eq(argv[1], "broken-stdout") || str_eq(argv[1], "broken-stderr")))))
		return broken_scenario(argv[1], argc > 2 ? argv[2] : "", envp);

	/* Sleepers wake in deadline order, never early.  A round in which a
	 * sleeper got to run only after its deadline (a machine busy for tens
	 * of milliseconds) is run again, up to 10 rounds. */
	long ms[] = { 50, 10, 40, 20, 30 };
	long long took;
	int rounds = 0;
	do {
		norder = late = 0;
		start = co_now();
		for (int i = 0; i < 5; i++)
			co_spawn(sleeper, (void *)ms[i]);
		co_run();
		took = co_now() - start;
	} while (late && ++rounds < 10);
	check(norder == 5 && !late && order[0] == 10 && order[1] == 20 && order[2] == 30 &&
	      order[3] == 40 && order[4] == 50, "sleepers wake in deadline order",
	      "%d %d %d %d %d, %d late", order[0], order[1], order[2], order[3], order[4], late);
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

	/* Two readers of one fd; co_close wakes whoever waits on it. */
	CHECK_EQ("read what wait_then_write wrote", co_read(pfd[0], &r, 1), 1);
	second_wait = 1;
	co_spawn(blocked_reader, (void *)(long)pfd[0]);
	co_spawn(second_reader, (void *)(long)pfd[0]);
	co_yield();                     /* both wait: co_read and co_wait_fd */
	CHECK_EQ("a second reader of the same fd waits too", second_wait, 1);
	co_close(pfd[0]);
	co_run();
	CHECK_EQ("co_close wakes the reader, who finds -EBADF", closed_read, -EBADF);
	CHECK_EQ("  ... and the second, -EBADF", second_wait, -EBADF);
	co_close(pfd[1]);

	reuse_tests();
	big_fd_tests();
	blocking_tests();
	shared_fd_tests();
	ended_wait_test();
	sigpipe_tests();

	/* A sleeper that will finish is no deadlock: main joins it. */
	int id = co_spawn(nap_then_finish, (void *)20);
	CHECK_EQ("join a sleeping coroutine", co_join(id), 0);
	return check_done();
}
