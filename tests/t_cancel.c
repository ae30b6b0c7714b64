/*
 * t_cancel.c - deadlines and cancellation (cancel.c, co_join_for,
 * co_read_for, co_write_for; the contract: coroutine.h): every blocking
 * call cancelled while it blocks returns -ECANCELED and the caller's next
 * call behaves as usual; a cancel of a ready or running coroutine (itself
 * included) ends its next blocking call; nothing lost or duplicated when a
 * cancel races a send, a semaphore post or a write; the waits' leftovers
 * (queue nodes, timers, join queues, fd waiters) gone.  At most four
 * coroutines besides main.
 */
#include "check.h"

#define MS 1000000LL

static struct co_queue q, q2;
static struct co_sem sem;
static unsigned char chbuf[4];
static struct co_chan ch0, ch1;         /* rendezvous; one slot of an int */
static int pfd[2];                      /* a pipe, both ends O_NONBLOCK */
static int lfd;                         /* a listening socket */
static int child;                       /* a child that sleeps */
static int sleeper_id;

/* ---- one blocking call each -------------------------------------------- */

static void nap(void *arg) { (void)arg; co_sleep(1000 * MS); }

static long c_sleep(void) { return co_sleep(10000 * MS); }
static long c_join(void) { return co_join(sleeper_id); }
static long c_join_for(void) { return co_join_for(sleeper_id, 10000 * MS); }
static long c_wait(void) { return co_wait(&q, -1); }
static long c_wait_timed(void) { return co_wait(&q, 10000 * MS); }
static long c_sem(void) { return co_sem_wait(&sem, -1); }
static long c_send(void) { int m = 7; return co_send(&ch0, &m, -1); }
static long c_recv(void) { int m; return co_recv(&ch0, &m, -1); }
static long c_select(void)
{
	int a, b = 1;
	struct co_case cs[2] = { { .ch = &ch0, .op = CO_RECV, .msg = &a },
				 { .ch = &ch0, .op = CO_SEND, .msg = &b } };

	return co_select(cs, 2, 10000 * MS);
}
static long c_wait_fd(void) { return co_wait_fd(pfd[0], CO_READ, -1); }
static long c_read(void) { char b[8]; return co_read(pfd[0], b, sizeof b); }
static long c_read_for(void) { char b[8]; return co_read_for(pfd[0], b, sizeof b, 10000 * MS); }
static long c_accept(void) { return co_accept(lfd, -1); }
static long c_wait_process(void) { return co_wait_process(child, -1); }
static long c_signal(void) { return co_signal_wait(CO_SIG(10), -1); }

/* Its call's result, then a plain wait on q2 (woken by main: 0; a timer or
 * a cancel left over from the first call would end it otherwise). */
static struct job {
	long (*call)(void);
	long result, again;
	int done;
} job;

static void run_job(void *arg)
{
	struct job *j = arg;

	j->result = j->call();
	j->again = co_wait(&q2, 50 * MS);
	j->done = 1;
}

/* Start the job, let it block, cancel it, then wake its second wait. */
static void cancel_blocked(const char *name, long (*call)(void))
{
	int id;

	job = (struct job){ call, 1, 1, 0 };
	id = co_spawn(run_job, &job);
	co_yield();
	co_yield();
	co_cancel(id);
	co_yield();                     /* it runs, and waits on q2 */
	co_wake_one(&q2);
	co_join(id);
	check(job.result == -ECANCELED && job.again == 0, name,
	      "%ld, then %ld (want %d, 0)", job.result, job.again, -ECANCELED);
}

static void every_call(void)
{
	static const struct { const char *name; long (*call)(void); } calls[] = {
		{ "cancelled: co_sleep", c_sleep },
		{ "cancelled: co_join", c_join },
		{ "cancelled: co_join_for", c_join_for },
		{ "cancelled: co_wait", c_wait },
		{ "cancelled: co_wait with a timeout", c_wait_timed },
		{ "cancelled: co_sem_wait", c_sem },
		{ "cancelled: co_send", c_send },
		{ "cancelled: co_recv", c_recv },
		{ "cancelled: co_select", c_select },
		{ "cancelled: co_wait_fd", c_wait_fd },
		{ "cancelled: co_read", c_read },
		{ "cancelled: co_read_for", c_read_for },
		{ "cancelled: co_accept", c_accept },
		{ "cancelled: co_wait_process", c_wait_process },
		{ "cancelled: co_signal_wait", c_signal },
	};
	char *argv[] = { "sleep", "100", 0 };

	sleeper_id = co_spawn(nap, 0);
	lfd = co_listen("127.0.0.1:0", 4);
	child = co_exec("sleep", argv, 0, 0);
	for (unsigned i = 0; i < sizeof calls / sizeof calls[0]; i++) {
		if ((calls[i].call == c_accept && lfd < 0) || (calls[i].call == c_wait_process && child < 0)) {
			co_print("%3s %-46s %-28s [SKIP]\n", "-", calls[i].name, "no socket or no child");
			continue;
		}
		cancel_blocked(calls[i].name, calls[i].call);
	}
	/* The join queue is whole: a plain joiner still sees the end. */
	CHECK_EQ("the sleeper's joiners left: it is cancelled", co_cancel(sleeper_id), 0);
	CHECK_EQ("then joined: 0", co_join(sleeper_id), 0);
	CHECK_EQ("co_cancel of a finished coroutine: -ESRCH", co_cancel(sleeper_id), -ESRCH);
	if (child > 0) {
		sys_kill(child, 9);
		CHECK_EQ("the child, still there, reaped", co_wait_process(child, -1), 128 + 9);
	}
	if (lfd >= 0)
		co_close(lfd);
}

/* ---- pending cancels ---------------------------------------------------- */

static long r1, r2, r3;

static void sleep_twice(void *arg)
{
	(void)arg;
	r1 = co_sleep(MS);
	r2 = co_sleep(MS);
}

static void self_cancel(void *arg)
{
	(void)arg;
	r1 = co_cancel(co_self());
	r2 = co_sem_wait(&sem, -1);     /* a unit: returns without blocking */
	r3 = co_wait(&q, MS);           /* blocks: cancelled */
}

static void pending(void)
{
	int id = co_spawn(sleep_twice, 0);

	CHECK_EQ("co_cancel of a ready coroutine: 0", co_cancel(id), 0);
	co_join(id);
	check(r1 == -ECANCELED && r2 == 0, "its next blocking call cancelled, then not",
	      "%ld, then %ld", r1, r2);
	co_sem_post(&sem);
	id = co_spawn(self_cancel, 0);
	co_join(id);
	check(r1 == 0 && r2 == 0 && r3 == -ECANCELED, "co_cancel(co_self()): the next wait",
	      "%ld; sem %ld; wait %ld", r1, r2, r3);
	CHECK_EQ("co_cancel(-1): -ESRCH", co_cancel(-1), -ESRCH);
	CHECK_EQ("co_cancel of an id never spawned: -ESRCH", co_cancel(1 << 30), -ESRCH);
	/* main cancels itself: its next blocking call. */
	co_cancel(0);
	CHECK_EQ("main cancelled: its co_sleep", co_sleep(MS), -ECANCELED);
	CHECK_EQ("then sleeps", co_sleep(MS), 0);
}

/* ---- races: nothing lost or duplicated ---------------------------------- */

static int got;

static void receiver(void *arg)
{
	r1 = co_recv(arg, &got, -1);
	r2 = co_sleep(MS);
}

static void sem_taker(void *arg)
{
	(void)arg;
	r1 = co_sem_wait(&sem, -1);
	r2 = co_sleep(MS);
}

static void races(void)
{
	int m = 42, id;

	/* The send comes first: received, and the cancel ends the next call. */
	got = 0;
	id = co_spawn(receiver, &ch0);
	co_yield();
	CHECK_EQ("a send to a blocked receiver: 0", co_send(&ch0, &m, 0), 0);
	co_cancel(id);
	co_join(id);
	check(r1 == 0 && got == 42 && r2 == -ECANCELED, "send, then cancel: received once",
	      "recv %ld got %d, next %ld", r1, got, r2);
	/* The cancel first: the message stays with the sender, or queued. */
	got = 0;
	id = co_spawn(receiver, &ch1);
	co_yield();
	co_cancel(id);
	CHECK_EQ("cancel, then send: queued", co_send(&ch1, &m, 0), 0);
	co_join(id);
	check(r1 == -ECANCELED && got == 0 && co_chan_len(&ch1) == 1, "the message still queued",
	      "recv %ld got %d, held %d", r1, got, co_chan_len(&ch1));
	co_recv(&ch1, &m, 0);
	id = co_spawn(receiver, &ch0);
	co_yield();
	co_cancel(id);
	CHECK_EQ("cancel, then rendezvous send: nobody", co_send(&ch0, &m, 0), -EAGAIN);
	co_join(id);
	/* A semaphore unit: taken once, or left. */
	id = co_spawn(sem_taker, 0);
	co_yield();
	co_sem_post(&sem);
	co_cancel(id);
	co_join(id);
	check(r1 == 0 && r2 == -ECANCELED && co_sem_value(&sem) == 0, "post, then cancel: unit taken",
	      "wait %ld next %ld, left %ld", r1, r2, co_sem_value(&sem));
	id = co_spawn(sem_taker, 0);
	co_yield();
	co_cancel(id);
	co_sem_post(&sem);
	co_join(id);
	check(r1 == -ECANCELED && co_sem_value(&sem) == 1, "cancel, then post: unit left",
	      "wait %ld, left %ld", r1, co_sem_value(&sem));
	co_sem_wait(&sem, 0);
}

/* ---- writes and reads with deadlines ------------------------------------ */

static char big[1 << 20];
static long wrote;

static void writer(void *arg)
{
	(void)arg;
	wrote = co_write(pfd[1], big, sizeof big);
}

/* Read what the pipe holds now: the byte count. */
static long drain(void)
{
	static char b[65536];
	long n = 0, r;

	while ((r = sys_read(pfd[0], b, sizeof b)) > 0)
		n += r;
	return n;
}

static void deadlines(void)
{
	char b[16];
	long n;
	int id;

	CHECK_EQ("co_read_for, empty pipe, 0: -ETIMEDOUT", co_read_for(pfd[0], b, 16, 0), -ETIMEDOUT);
	CHECK_EQ("co_read_for, empty pipe, 1 ms: -ETIMEDOUT", co_read_for(pfd[0], b, 16, MS), -ETIMEDOUT);
	co_write(pfd[1], "hello", 5);
	CHECK_EQ("co_read_for with data: its bytes", co_read_for(pfd[0], b, 16, MS), 5);
	n = co_write_for(pfd[1], big, sizeof big, MS);
	check(n > 0 && n < (long)sizeof big, "co_write_for, pipe full: the count so far",
	      "%ld of %lu", n, (unsigned long)sizeof big);
	CHECK_EQ("the reader gets that many", drain(), n);
	CHECK_EQ("co_write_for, a room, 0: all of it", co_write_for(pfd[1], "x", 1, 0), 1);
	drain();
	/* A writer cancelled mid-write: its count is what the reader gets. */
	id = co_spawn(writer, 0);
	co_yield();                             /* it fills the pipe and blocks */
	n = drain();
	co_yield();                             /* it writes more, blocks again */
	co_yield();
	co_cancel(id);
	co_join(id);
	n += drain();
	check(wrote > 0 && wrote < (long)sizeof big && wrote == n, "a writer cancelled: its count read",
	      "wrote %ld, read %ld", wrote, n);
	/* co_join_for */
	sleeper_id = co_spawn(nap, 0);
	CHECK_EQ("co_join_for, 0, alive: -ETIMEDOUT", co_join_for(sleeper_id, 0), -ETIMEDOUT);
	CHECK_EQ("co_join_for, 1 ms: -ETIMEDOUT", co_join_for(sleeper_id, MS), -ETIMEDOUT);
	CHECK_EQ("co_join_for of a finished one, 0: 0", co_join_for(1, 0), 0);
	co_cancel(sleeper_id);
	CHECK_EQ("co_join_for once it ends: 0", co_join_for(sleeper_id, 5000 * MS), 0);
}

/* Three joiners of one sleeper, the middle one cancelled, the last timed
 * out, with priorities in use (their levels' queues link through the same
 * field as the join queue): the first still sees the end. */
static int jr[3];
static void joiner(void *arg) { int *r = arg; *r = co_join(sleeper_id); }
static void joiner_for(void *arg) { int *r = arg; *r = co_join_for(sleeper_id, MS); }

static void join_queue(void)
{
	int a, b;

	co_set_priority(0, CO_PRIO_DEFAULT);
	sleeper_id = co_spawn(nap, 0);
	a = co_spawn(joiner, &jr[0]);
	b = co_spawn(joiner, &jr[1]);
	co_spawn(joiner_for, &jr[2]);
	co_yield();
	co_cancel(b);
	co_sleep(2 * MS);               /* the third times out */
	co_cancel(sleeper_id);
	co_join(a);
	co_run();
	check(jr[0] == 0 && jr[1] == -ECANCELED && jr[2] == -ETIMEDOUT, "joiners: ended, cancelled, timed out",
	      "%d, %d, %d", jr[0], jr[1], jr[2]);
}

int main(void)
{
	co_chan_init(&ch0, sizeof(int), 0, 0);
	co_chan_init(&ch1, sizeof(int), chbuf, 1);
	if (sys_pipe2(pfd, O_NONBLOCK) < 0)
		return 1;
	every_call();
	pending();
	races();
	deadlines();
	join_queue();
	return check_done();
}
