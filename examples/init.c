/*
 * examples/init.c - a PID 1 for containers and initramfs images, as tini,
 * catatonit and dumb-init are.
 *
 *   init [--] CMD [ARG...]
 *
 * Starts CMD (looked up in PATH when it has no '/'), forwards SIGTERM,
 * SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 and SIGWINCH to it, reaps every
 * child that ends, also the orphans the kernel re-parents to it (as PID 1,
 * or as a child subreaper, which it makes itself when it is not PID 1), and
 * when CMD ends, exits with CMD's shell-style status: its exit status, or
 * 128 + N if a signal N killed it.
 *
 * Where it can be neither (QEMU 7.2's user mode refuses the subreaper:
 * EINVAL) it says so on stderr and goes on: orphans then go to the real
 * init.
 *
 * Exit statuses of its own: 127 when CMD is not found, 126 when it is found
 * but cannot be run (as a shell, and tini); 2 for a usage error (tini says
 * 1); -h or --help prints the usage on standard output, status 0.
 *
 * Three coroutines, each a loop around one wait:
 *   main        waits for CMD (co_wait_process), then reaps what is left
 *   forwarder   co_signal_wait on the forwarded signals, then kill(CMD, sig)
 *   reaper      co_signal_wait on SIGCHLD, then reaps every ended child but
 *               CMD (whose status main collects): orphans
 * The signals are routed (blocked, read through the runtime) before CMD
 * starts, so none is lost or acted on by default in between; CMD itself
 * starts with an empty signal mask and default dispositions (co_exec).
 * Unlike tini, it does not put CMD in a process group of its own nor give
 * it the terminal.
 */
#include "coroutine.h"
#include "print.h"
#include "syscalls.h"
#include "args.h"

#define FORWARDED (CO_SIG(SIGTERM) | CO_SIG(SIGINT) | CO_SIG(SIGHUP) | CO_SIG(SIGQUIT) | \
		   CO_SIG(SIGUSR1) | CO_SIG(SIGUSR2) | CO_SIG(SIGWINCH))

/* waitid's siginfo as ints: si_pid after si_signo, si_errno, si_code (and
 * a pad on 64-bit machines). */
#define SI_PID (sizeof(long) == 8 ? 4 : 3)

static int cmd;         /* CMD's pid */

/* The pid of a child that has ended, left unreaped (WNOWAIT), or 0. */
static int ended(void)
{
	int info[32] = { 0 };

	if (sys_waitid(P_ALL, 0, info, WEXITED | WNOHANG | WNOWAIT, 0) < 0)
		return 0;
	return info[SI_PID];
}

static void forwarder(void *arg)
{
	(void)arg;
	for (;;) {
		int sig = co_signal_wait(FORWARDED, -1);

		if (sig > 0)
			sys_kill(cmd, sig);
	}
}

/* On each SIGCHLD (one may stand for several children), reap the ended
 * children until CMD is the next one, which is main's to collect. */
static void reaper(void *arg)
{
	(void)arg;
	for (;;) {
		int pid;

		co_signal_wait(CO_SIG(SIGCHLD), -1);
		while ((pid = ended()) && pid != cmd)
			co_wait_process(pid, 0);
	}
}

static int usage(int fd, int status)
{
	co_put_str(fd, "usage: init [--] CMD [ARG...]\n"
		   "Runs CMD as a child, forwards it SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1,\n"
		   "SIGUSR2 and SIGWINCH, reaps every process that ends, and exits with CMD's\n"
		   "status (128 + N if signal N killed it; 127: CMD not found, 126: not runnable).\n");
	return status;
}

/* "init: " (argv[0]'s last component), then what, on stderr: the
 * runtime's own small output, not the printf-style formatter, which would
 * add more to the program than the rest of it. */
static void say(const char *argv0, const char *what)
{
	const char *n = argv0;

	while (*argv0)
		if (*argv0++ == '/')
			n = argv0;
	co_put_str(2, n);
	co_put_str(2, ": ");
	co_put_str(2, what);
}

int main(int argc, char **argv)
{
	char **av = argv + 1;
	int status, pid, r, early;

	if (argc > 1 && (str_eq(av[0], "-h") || str_eq(av[0], "--help")))
		return usage(1, 0);
	if (argc > 1 && str_eq(av[0], "--"))
		av++;
	else if (argc > 1 && av[0][0] == '-')   /* no option but these */
		return usage(2, CO_EXIT_USAGE);
	if (argc < 2 || !*av)
		return usage(2, CO_EXIT_USAGE);
	if (sys_getpid() != 1 && (r = sys_prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)) < 0)
		say(argv[0], "warning: not PID 1 and cannot be a subreaper: "), co_put_fmt(2,
		    "orphans will not come here (errno #)\n", -r, 0, 0, 0);
	/* Route them now, before CMD runs; one already pending is taken here. */
	early = co_signal_wait(FORWARDED | CO_SIG(SIGCHLD), 0);
	if ((cmd = co_exec(av[0], av, 0, 0)) < 0) {
		say(argv[0], av[0]);
		co_put_fmt(2, cmd == -ENOENT ? ": not found (errno #)\n" : ": cannot run it (errno #)\n",
			   -cmd, 0, 0, 0);
		return cmd == -ENOENT || cmd == -ENOTDIR ? 127 : 126;
	}
	if (early > 0 && early != SIGCHLD)
		sys_kill(cmd, early);
	co_spawn(forwarder, 0);
	co_spawn(reaper, 0);
	status = co_wait_process(cmd, -1);
	while ((pid = ended()))                 /* what is left: reap it */
		co_wait_process(pid, 0);
	return status;
}
