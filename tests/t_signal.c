/*
 * t_signal.c - signals as events (signal.c; the contract: coroutine.h):
 * a routed signal kept pending until waited for, a waiter woken by a signal
 * while others run, one signal to each of several waiters in the order
 * they came, waiters on different sets, real-time signals queued, a signal
 * sent by a child (co_exec), timeouts, the refused signals.
 *   t_signal            the table below
 *   t_signal default    routes SIGUSR1, then sends itself SIGUSR2, which no
 *                       one waits for: it dies by it (140)
 *   t_signal fault      waits for SIGUSR1, then faults: the fault report
 *                       still runs (139)
 */
#include "check.h"

#define MS 1000000LL

static int self;

static void send(int sig)
{
	sys_kill(self, sig);
}

/* ---- waiters ---------------------------------------------------------------- */

static struct got {
	unsigned long long set;
	long long timeout;
	int sig, order;
} got[4];
static int norder;

static void waiter(void *arg)
{
	struct got *g = arg;

	g->sig = co_signal_wait(g->set, g->timeout);
	g->order = ++norder;
}

/* Start n waiters on set, each waiting before the next starts. */
static void waiters(int n, unsigned long long set, long long timeout)
{
	norder = 0;
	for (int i = 0; i < n; i++) {
		got[i] = (struct got){ set, timeout, 0, 0 };
		co_spawn(waiter, &got[i]);
		co_yield();
	}
}

/* Let the waiters run until n of them have their answer (bounded). */
static void settle(int n)
{
	for (int i = 0; i < 1000 && norder < n; i++)
		co_sleep(MS);
}

static void fifo(void)
{
	waiters(3, CO_SIG(SIGUSR1), -1);
	for (int i = 0; i < 3; i++) {
		send(SIGUSR1);
		settle(i + 1);
	}
	check(got[0].order == 1 && got[1].order == 2 && got[2].order == 3 &&
	      got[0].sig == SIGUSR1 && got[1].sig == SIGUSR1 && got[2].sig == SIGUSR1,
	      "3 waiters, 3 SIGUSR1: one each, in order", "order %d %d %d", got[0].order,
	      got[1].order, got[2].order);
	co_run();
}

static void sets(void)
{
	norder = 0;
	got[0] = (struct got){ CO_SIG(SIGTERM), -1, 0, 0 };
	got[1] = (struct got){ CO_SIG(SIGINT) | CO_SIG(SIGHUP), -1, 0, 0 };
	co_spawn(waiter, &got[0]);
	co_spawn(waiter, &got[1]);
	co_yield();
	send(SIGHUP);
	settle(1);
	check(got[1].sig == SIGHUP && !got[0].sig, "SIGHUP: to its waiter, not SIGTERM's",
	      "%d, %d", got[1].sig, got[0].sig);
	send(SIGTERM);
	settle(2);
	CHECK_EQ("  ... then SIGTERM to the other", got[0].sig, SIGTERM);
	co_run();
}

static void realtime(void)
{
	int rt = 34 + 2;        /* SIGRTMIN + 2 of the kernel (no libc reserves any) */

	co_signal_wait(CO_SIG(rt), 0);
	send(rt);
	send(rt);
	send(rt);
	waiters(3, CO_SIG(rt), -1);
	settle(3);
	check(got[0].sig == rt && got[1].sig == rt && got[2].sig == rt,
	      "a real-time signal sent 3 times: 3 taken", "%d %d %d", got[0].sig, got[1].sig, got[2].sig);
	co_run();
}

static void timeouts(void)
{
	long long t = co_now();
	int r = co_signal_wait(CO_SIG(SIGUSR2), 20 * MS);

	t = co_now() - t;
	check(r == -ETIMEDOUT && t >= 20 * MS, "timeout 20 ms: -ETIMEDOUT, not early", "%d after %lld ms",
	      r, t / MS);
	/* a watcher times out while another waits: the other takes over */
	got[0] = (struct got){ CO_SIG(SIGUSR2), 5 * MS, 0, 0 };
	got[1] = (struct got){ CO_SIG(SIGUSR2), -1, 0, 0 };
	norder = 0;
	co_spawn(waiter, &got[0]);
	co_spawn(waiter, &got[1]);
	settle(1);
	send(SIGUSR2);
	settle(2);
	check(got[0].sig == -ETIMEDOUT && got[1].sig == SIGUSR2, "the watcher times out, the next takes over",
	      "%d, %d", got[0].sig, got[1].sig);
	co_run();
}

int main(int argc, char **argv)
{
	volatile int *volatile null = 0;
	int pid;

	self = sys_getpid();
	if (argc == 2 && str_eq(argv[1], "default")) {
		co_signal_wait(CO_SIG(SIGUSR1), 0);
		send(SIGUSR2);
		return 0;
	}
	if (argc == 2 && str_eq(argv[1], "fault")) {
		co_signal_wait(CO_SIG(SIGUSR1), 0);
		return *null;
	}
	if (argc != 1) {
		co_put_err("usage: t_signal [default | fault]\n", 0);
		return CO_EXIT_USAGE;
	}

	CHECK_EQ("empty set: -EINVAL", co_signal_wait(0, 0), -EINVAL);
	CHECK_EQ("SIGSEGV: -EINVAL (the fault report's)", co_signal_wait(CO_SIG(SIGSEGV), 0), -EINVAL);
	CHECK_EQ("SIGBUS: -EINVAL", co_signal_wait(CO_SIG(SIGBUS) | CO_SIG(SIGUSR1), 0), -EINVAL);
	CHECK_EQ("SIGILL: -EINVAL", co_signal_wait(CO_SIG(SIGILL), 0), -EINVAL);
	CHECK_EQ("SIGTRAP: -EINVAL", co_signal_wait(CO_SIG(SIGTRAP), 0), -EINVAL);
	CHECK_EQ("SIGFPE: -EINVAL", co_signal_wait(CO_SIG(SIGFPE), 0), -EINVAL);
	CHECK_EQ("SIGKILL: -EINVAL", co_signal_wait(CO_SIG(SIGKILL), 0), -EINVAL);
	CHECK_EQ("SIGSTOP: -EINVAL", co_signal_wait(CO_SIG(SIGSTOP), 0), -EINVAL);
	CHECK_EQ("SIGUSR1, none pending, timeout 0", co_signal_wait(CO_SIG(SIGUSR1), 0), -ETIMEDOUT);
	send(SIGUSR1);
	CHECK_EQ("SIGUSR1 sent: kept pending, then taken", co_signal_wait(CO_SIG(SIGUSR1), 0), SIGUSR1);
	CHECK_EQ("  ... taken once", co_signal_wait(CO_SIG(SIGUSR1), 0), -ETIMEDOUT);

	waiters(1, CO_SIG(SIGUSR1) | CO_SIG(SIGUSR2), -1);
	check(!got[0].order, "a waiter blocks until a signal comes", "%d", got[0].sig);
	send(SIGUSR2);
	settle(1);
	CHECK_EQ("  ... SIGUSR2 sent: it wakes with it", got[0].sig, SIGUSR2);
	co_run();

	fifo();
	sets();
	realtime();
	timeouts();

	/* A child (sh, co_exec) signals its parent. */
	waiters(1, CO_SIG(SIGWINCH), -1);
	pid = co_exec("/bin/sh", (char *[]){ "sh", "-c", "kill -WINCH $PPID", 0 }, 0, 0);
	CHECK_EQ("sh sends us SIGWINCH, exits 0", co_wait_process(pid, -1), 0);
	settle(1);
	CHECK_EQ("  ... its waiter gets it", got[0].sig, SIGWINCH);
	co_run();
	return check_done();
}
