/*
 * io.c - co_read, co_write and their _for variants, and SIGPIPE.
 *
 * Linked only into programs that call them; they wait through event.c.
 * Reading and writing never block the process, whatever the fd's flags:
 *   - a socket is read and written with MSG_DONTWAIT (recvfrom, sendto):
 *     one system call when it is ready, blocking or not.  After a read (or
 *     write) of a stream socket that came up short, the socket had nothing
 *     more (no more room): the next one waits for epoll's next event on it
 *     first, instead of a call that would return EAGAIN (event.c: such a
 *     wait trusts the fd's registration);
 *   - any other fd (recvfrom said ENOTSOCK) has its flags read (F_GETFL),
 *     so a pipe costs three system calls where a bare read is one.
 *     O_NONBLOCK: read or write, and wait only after EAGAIN.  Blocking (a
 *     shell's pipe on stdin, a terminal, a file): wait until a look (ppoll)
 *     finds it ready, then read, or write at most PIPE_BUF bytes, which a
 *     pipe that polls writable takes without blocking.  The look comes
 *     again after every wake: a coroutine that ran between the poller's
 *     wake and this one's turn may have taken the data or the room.  A
 *     terminal or another process's reader draining the same pipe may
 *     still block the process: give such fds O_NONBLOCK.  The runtime
 *     never changes an fd's flags.
 * A broken pipe or socket makes co_write return -EPIPE, but on standard
 * output and error kills by SIGPIPE (the section SIGPIPE, below).
 */
#include <linux/limits.h>   /* PIPE_BUF: what a writable pipe takes without blocking */
#include "coroutine.h"
#include "syscalls.h"
#include "internal.h"

/* The deadline timeout_ns from now (co_read_for, co_write_for): -1 for
 * none (a negative timeout, or one past the clock's range), 0 for a
 * single try. */
static long long deadline(long long timeout_ns)
{
	long long now;

	if (timeout_ns <= 0)
		return timeout_ns < 0 ? -1 : 0;
	now = co_now();
	return timeout_ns > 0x7fffffffffffffffLL - now ? -1 : now + timeout_ns;
}

/* Wait until fd is ready for dir or the deadline end (-1: none) passes,
 * trusting fd's registration if `trust` (event.c): the ready events,
 * -ETIMEDOUT, or the wait's error. */
static inline __attribute__((always_inline)) int wait_until(int fd, int dir, long long end, int trust)
{
	long long left = end < 0 ? -1 : end - co_now();
	int r;

	if (end >= 0 && left <= 0)
		return -ETIMEDOUT;
	r = _co_wait_fd(fd, dir, left, trust);
	return r ? r : -ETIMEDOUT;
}

/* One read (dir CO_READ) or write of fd that cannot block the process (see
 * the top of the file).  What the system call returned (-EAGAIN: not ready,
 * wait and try again), or a wait's error. */
static inline __attribute__((always_inline))
long transfer(int fd, void *buf, unsigned long len, int dir, long long end)
{
	long r = dir == CO_READ ? sys_recvfrom(fd, buf, len, MSG_DONTWAIT, 0, 0)
				: sys_sendto(fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL, 0, 0);

	if (r != -ENOTSOCK) {                   /* a socket, or a bad fd */
		if (r == -EAGAIN || (r >= 0 && (unsigned long)r < len))
			_co_fd_short(fd, dir);  /* nothing more, or no more room */
		return r;
	}
	if ((r = sys_fcntl(fd, F_GETFL, 0)) < 0)
		return r;
	if (!(r & O_NONBLOCK)) {                /* blocking: wait first */
		/* Until a look finds it ready: being woken is no proof, as
		 * another coroutine may have run first and taken the data
		 * (or the room) that woke this one. */
		while (!(r = _co_look(fd, dir)))
			if ((r = wait_until(fd, dir, end, 0)) < 0)
				return r;
		if (r < 0)
			return r;
		if (dir == CO_WRITE && len > PIPE_BUF)
			len = PIPE_BUF;
	}
	return dir == CO_READ ? sys_read(fd, buf, len) : sys_write(fd, buf, len);
}

/* co_read and co_read_for: end is the deadline (-1: none), a constant in
 * co_read, so that a program that never gives a timeout links no timer. */
static inline __attribute__((always_inline))
long read_until(int fd, void *buf, unsigned long len, long long end)
{
	/* A stream socket that a short read drained: wait first, trusting. */
	for (int trust = _co_fd_drained(fd, CO_READ);; trust = 0) {
		long r = trust ? -EAGAIN : transfer(fd, buf, len, CO_READ, end);

		if (r == -EAGAIN && (r = wait_until(fd, CO_READ, end, trust)) > 0)
			continue;               /* ready now */
		if (r != -EINTR)
			return r;
	}
}

long co_read(int fd, void *buf, unsigned long len)
{
	return read_until(fd, buf, len, -1);
}

long co_read_for(int fd, void *buf, unsigned long len, long long timeout_ns)
{
	return read_until(fd, buf, len, deadline(timeout_ns));
}

/* ---- SIGPIPE ------------------------------------------------------------
 * Go's rule: a broken pipe (or socket) makes co_write return -EPIPE, except
 * on standard output and error, where the program dies by SIGPIPE, silent,
 * as `yes | head` expects.  The first co_write installs a handler that does
 * nothing, so that writes fail with EPIPE instead of killing; a handler,
 * not SIG_IGN, because execve resets a handler to the default and keeps an
 * ignored signal ignored: a program this one executes inherits nothing of
 * it.  Sockets are written with MSG_NOSIGNAL besides.  Standard output and
 * error (co_write here, print.c's co_write_all through _co_broken_pipe)
 * that fail with EPIPE put the default action back and raise SIGPIPE.
 * A disposition the runtime did not find at its default (SIGPIPE ignored
 * by the parent, or handled by the program) is left alone: then every
 * write, 1 and 2 included, fails with EPIPE. */
static char sigpipe_looked;

static void on_sigpipe(int sig, void *info, void *uc)
{
	(void)sig, (void)info, (void)uc;
}

/* _co_broken_pipe: a write to fd failed with EPIPE. */
static void broken_pipe(int fd)
{
	if (fd == 1 || fd == 2) {
		co_sigaction(SIGPIPE, 0, 0);              /* SIG_DFL */
		sys_kill(sys_getpid(), SIGPIPE);        /* returns if it is blocked */
	}
}

static void take_sigpipe(void)
{
	struct sys_sigaction old;

	sigpipe_looked = 1;
	if (!sys_rt_sigaction(SIGPIPE, 0, &old, SYS_SIGSET_SIZE) && !old.handler &&
	    !co_sigaction(SIGPIPE, on_sigpipe, SA_ONSTACK | SA_RESTART))
		_co_broken_pipe = broken_pipe;
}

/* co_write and co_write_for, as read_until. */
static inline __attribute__((always_inline))
long write_until(int fd, const void *buf, unsigned long len, long long end)
{
	unsigned long done = 0;
	int trust = _co_fd_drained(fd, CO_WRITE);
	long r;

	if (!sigpipe_looked)
		take_sigpipe();
	/* A stream socket that a short write filled: wait first, trusting
	 * (after a wake: write first). */
	while (done < len) {
		r = trust ? -EAGAIN : transfer(fd, (char *)buf + done, len - done, CO_WRITE, end);
		if (r == -EAGAIN)
			r = wait_until(fd, CO_WRITE, end, trust), trust = 0;
		else if (r > 0)
			done += r, trust = _co_fd_drained(fd, CO_WRITE);
		if (r == -EPIPE && _co_broken_pipe)
			_co_broken_pipe(fd);
		if (r < 0 && r != -EINTR)
			return done ? (long)done : r;
	}
	return len;
}

long co_write(int fd, const void *buf, unsigned long len)
{
	return write_until(fd, buf, len, -1);
}

long co_write_for(int fd, const void *buf, unsigned long len, long long timeout_ns)
{
	return write_until(fd, buf, len, deadline(timeout_ns));
}

