/*
 * proc.c - starting programs and waiting for them: co_exec and
 * co_wait_process (the contract: coroutine.h).
 *
 * Linked only into programs that call them.
 *
 * co_exec is posix_spawn's way, as musl does it: clone(CLONE_VM |
 * CLONE_VFORK) runs the child in the parent's memory, on a small stack on
 * the caller's own, with the parent suspended until the child has called
 * execve or exited: no page of the parent is copied.  In the child:
 *
 *   every signal's disposition back to the default (a handler of the parent
 *   must not run in the child, on memory it shares with the parent; an
 *   ignored signal would stay ignored across execve); the fds moved into
 *   0, 1, 2; an empty signal mask (signals the runtime routes, signal.c,
 *   are blocked in the parent, and a mask survives execve); execve.
 *
 * The parent blocks every signal around the clone, so that none runs its
 * handler in the child before the dispositions are reset.  A failure in the
 * child (execve's ENOENT, a bad fd) is written, as its errno, into a pipe
 * whose write end closes on a successful execve (O_CLOEXEC): the parent
 * reads 0 bytes (a running program) or the errno, then reaps that child.
 *
 * QEMU's user mode turns CLONE_VM | CLONE_VFORK into a fork: the child
 * copies the parent and the parent does not wait for the execve; the pipe
 * works all the same, as its read waits for the execve or the errno.
 *
 * co_wait_process: pidfd_open (Linux 5.3) gives an fd that polls readable
 * when the child has ended; co_wait_fd waits for it, then waitid(WNOHANG)
 * reaps it.  Each waiter has its own pidfd, so any number of coroutines
 * can each wait for their own child.  Where pidfd_open fails (a kernel
 * before 5.3: ENOSYS), the wait looks again after sleeps that double from
 * 1 ms to 64 ms.
 */
#include "coroutine.h"
#include "syscalls.h"
#include "internal.h"

#define CLONE_VM    0x00000100
#define CLONE_VFORK 0x00004000
#define SIGS 64                         /* the kernel's signals: 1 .. 64 */

/* clone.S: the child runs fn(arg) on stack; the parent gets its pid. */
long _co_clone(unsigned long flags, void *stack, void (*fn)(void *), void *arg);

/* The child's stack: its frames, a PATH candidate's name (PATH_MAX), and
 * on riscv64 the reach of its probes below the deepest frame (coroutine.h):
 * they store, and must not land in the parent's frame below. */
#define NAME_MAX_LEN 4096
#define CHILD_STACK (NAME_MAX_LEN + 2048 + CO_PROBE_REACH)

/* CHILD_BUF: the child's stack and its name buffer are on the stack
 * (probed, gcc), or, where frames are limited to CO_FRAME_LIMIT bytes
 * (clang without stack probes: coroutine.h), static: one child runs at a
 * time (CLONE_VFORK suspends the parent until its execve; under QEMU the
 * child has a copy). */
#ifdef CO_FRAME_LIMIT
#define CHILD_BUF static
#else
#define CHILD_BUF
#endif

/* What the child needs, on the parent's stack (shared with CLONE_VM). */
struct spawn {
	const char *path;
	char *const *argv, *const *envp;
	const int *fds;
	int err_fd;             /* the pipe's write end: the child's errno */
};

/* ---- in the child ------------------------------------------------------ */

/* Every signal's disposition to SIG_DFL (SIGKILL's and SIGSTOP's cannot
 * change: the kernel refuses, and the error does not matter). */
static void default_signals(void)
{
	static const struct sys_sigaction dfl;  /* handler 0: SIG_DFL */

	for (int sig = 1; sig <= SIGS; sig++)
		sys_rt_sigaction(sig, &dfl, 0, SYS_SIGSET_SIZE);
}

/* fds[i] becomes fd i, for i = 0, 1, 2, whatever the overlaps (fds = {1, 0,
 * 2} swaps): first every source below 3 that goes elsewhere moves up out
 * of the way, then each lands with dup3 (which clears O_CLOEXEC), or, when
 * already in place, has O_CLOEXEC cleared.  0 or a negative errno. */
static int place_fds(const int *fds, int *err_fd)
{
	int src[3], r;

	if (*err_fd < 3 && (*err_fd = sys_fcntl(*err_fd, F_DUPFD_CLOEXEC, 3)) < 0)
		return *err_fd;
	for (int i = 0; i < 3; i++) {
		src[i] = fds[i];
		if (src[i] >= 0 && src[i] < 3 && src[i] != i &&
		    (src[i] = sys_fcntl(src[i], F_DUPFD_CLOEXEC, 3)) < 0)
			return src[i];
	}
	for (int i = 0; i < 3; i++) {
		r = src[i] == i ? sys_fcntl(i, F_SETFD, 0) : sys_dup3(src[i], i, 0);
		if (r < 0)
			return r;
	}
	return 0;
}

/* The value of environment variable name (with its '='), or 0. */
static const char *env(char *const *envp, const char *name)
{
	for (; *envp; envp++) {
		const char *e = *envp, *n = name;

		while (*n && *e == *n)
			e++, n++;
		if (!*n)
			return e;
	}
	return 0;
}

/* execve path, or with no '/' in it each directory of PATH in turn (as
 * execvp: an empty entry is the current directory; EACCES is reported if
 * some candidate gave it, else the last error).  Returns only on failure:
 * the negative errno. */
static int exec(const char *path, char *const *argv, char *const *envp)
{
	CHILD_BUF char name[NAME_MAX_LEN];
	const char *dirs, *p = path;
	int r = -ENOENT, denied = 0;
	unsigned long len = 0;

	while (*p && *p != '/')
		p++;
	if (*p)
		return sys_execve(path, argv, envp);
	if (!*path)
		return -ENOENT;
	while (path[len])
		len++;
	if (!(dirs = env(envp, "PATH=")))
		dirs = "/usr/local/bin:/bin:/usr/bin";
	for (;;) {
		unsigned long n = 0;

		for (p = dirs; *p && *p != ':'; p++)
			if (n < sizeof name)
				name[n++] = *p;
		if (n && n + 1 + len < sizeof name)
			name[n++] = '/';
		if (n + len < sizeof name) {
			for (unsigned long i = 0; i <= len; i++)
				name[n + i] = path[i];
			r = sys_execve(name, argv, envp);
			denied |= r == -EACCES;
			if (r != -ENOENT && r != -ENOTDIR && r != -EACCES)
				return r;
		} else {
			r = -ENAMETOOLONG;
		}
		if (!*p)
			return denied ? -EACCES : r;
		dirs = p + 1;
	}
}

/* The child: on success execve does not return; on failure the errno goes
 * into the pipe and the child exits 127 (reaped by the parent). */
static void child(void *arg)
{
	struct spawn *s = arg;
	static const unsigned long long none;
	int r;

	default_signals();
	r = s->fds ? place_fds(s->fds, &s->err_fd) : 0;
	if (!r && !(r = sys_rt_sigprocmask(SIG_SETMASK, &none, 0, SYS_SIGSET_SIZE)))
		r = exec(s->path, s->argv, s->envp);
	r = -r;
	sys_write(s->err_fd, &r, sizeof r);
}

/* ---- in the parent ------------------------------------------------------ */

/* The process's own environment: the envp that _start found. */
static char *const *environment(void)
{
	return _co_envp;
}

/* waitid's siginfo, read as ints: si_signo, si_errno, si_code, then (after
 * a pad on 64-bit machines) si_pid, si_uid, si_status. */
#define SI_CODE   2
#define SI_PID    (sizeof(long) == 8 ? 4 : 3)
#define SI_STATUS (SI_PID + 2)

/* Reap child pid if it has ended: its shell-style status (0-255 for an
 * exit, 128 + N for death by signal N); -EAGAIN if it has not (with
 * WNOHANG in options); -ECHILD if it is not a child of ours. */
static int reap(int pid, int options)
{
	int info[32] = { 0 };
	int r = sys_waitid(P_PID, pid, info, WEXITED | options, 0);

	if (r < 0)
		return r == -EINVAL ? -ECHILD : r;
	if (!info[SI_PID])
		return -EAGAIN;
	return info[SI_CODE] == CLD_EXITED ? info[SI_STATUS] & 255 : 128 + info[SI_STATUS];
}

int co_exec(const char *path, char *const argv[], char *const envp[], const int fds[3])
{
	CHILD_BUF char stack[CHILD_STACK] __attribute__((aligned(16)));
	struct spawn s = { path, argv, envp ? envp : environment(), fds, 0 };
	static const unsigned long long all = ~0ULL;
	unsigned long long old;
	int p[2], err = 0, pid;
	long n;

	if (!path || !argv)
		return -EFAULT;
	if ((pid = sys_pipe2(p, O_CLOEXEC)) < 0)
		return pid;
	s.err_fd = p[1];
	sys_rt_sigprocmask(SIG_SETMASK, &all, &old, SYS_SIGSET_SIZE);
	pid = _co_clone(CLONE_VM | CLONE_VFORK | SIGCHLD, stack + sizeof stack, child, &s);
	sys_rt_sigprocmask(SIG_SETMASK, &old, 0, SYS_SIGSET_SIZE);
	sys_close(p[1]);
	if (pid > 0) {
		while ((n = sys_read(p[0], &err, sizeof err)) == -EINTR)
			;
		if (n == sizeof err) {          /* it failed, and exits 127 */
			reap(pid, 0);
			pid = -err;
		}
	}
	sys_close(p[0]);
	return pid;
}

/* Without pidfd_open: look again after sleeps of 1, 2, 4 ... 64 ms. */
static int wait_polling(int pid, long long timeout_ns)
{
	long long deadline = timeout_ns < 0 ? -1 : co_now() + timeout_ns, step = 1000000;
	int r;

	while ((r = reap(pid, WNOHANG)) == -EAGAIN) {
		long long left = deadline < 0 ? step : deadline - co_now();

		if (left <= 0)
			return -ETIMEDOUT;
		if ((r = co_sleep(left < step ? left : step)) < 0)
			return r;               /* -ECANCELED */
		if (step < 64000000)
			step *= 2;
	}
	return r;
}

int co_wait_process(int pid, long long timeout_ns)
{
	int r, fd;

	if (pid <= 0)
		return -ECHILD;
	if ((r = reap(pid, WNOHANG)) != -EAGAIN)
		return r;
	if (!timeout_ns)
		return -ETIMEDOUT;
	if ((fd = sys_pidfd_open(pid, 0)) < 0)
		return wait_polling(pid, timeout_ns);
	r = co_wait_fd(fd, CO_READ, timeout_ns);
	sys_close(fd);
	if (r < 0)
		return r;
	if (!r)
		return -ETIMEDOUT;
	return (r = reap(pid, WNOHANG)) == -EAGAIN ? wait_polling(pid, -1) : r;
}
