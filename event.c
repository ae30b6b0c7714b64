/*
 * event.c - waiting for file descriptors.
 *
 * Linked only into programs that call co_wait_fd, co_read, co_write or
 * co_close.  The poller (timer.c) asks epoll which fds are ready, once per
 * pass of the ready queue, or waits in the kernel for them when nobody is
 * ready, through the hook _co_fd_epoll_wait this file sets; timeouts are
 * timer.c's.
 *
 * File descriptors: one epoll instance, and no table indexed by fd (any fd
 * below the process's RLIMIT_NOFILE works).  What the runtime knows is kept
 * per waiting coroutine, at most 1 + CO_CAPACITY of them, and found by fd
 * through a hash of 1 + CO_CAPACITY chains.  A registration is one-shot and
 * level-triggered (EPOLLONESHOT): it is (re)armed with epoll_ctl each time a
 * wait has to block, for what the fd's waiters want, and tagged with a new
 * generation (the event's data: generation << 32 | fd).  So it cannot go
 * stale unnoticed:
 *   - EPOLL_CTL_MOD fails with ENOENT when the file now at that number is not
 *     the one registered (it was closed, by co_close or not, and the number
 *     reused, or dup2 put another file there): the wait adds the new file,
 *     and any coroutine still waiting on the old one is woken with -EBADF;
 *   - a leftover registration of an old file still open elsewhere (a dup, a
 *     child) reports at most once, with an old generation: it is ignored.
 * A wait that has to block costs one epoll_ctl (two the first time an fd is
 * waited on: MOD, then ADD) besides the read or write that found the fd not
 * ready; a wait on a ready fd costs nothing more.  A coroutine waiting on an
 * fd that is closed behind the runtime's back, and whose number nobody waits
 * on again, is not woken: only its timeout, co_close or the next wait on
 * that number can end its wait (the kernel drops the registration silently).
 * A wait that its timeout ended stays in its fd's chain until the waiter
 * runs again, but no longer counts: the next wait on the fd takes it out
 * (no -EBUSY from a waiter that has gone).
 *
 * Reading and writing never block the process, whatever the fd's flags, and
 * keep no memory of an fd between calls (nothing to go stale):
 *   - a socket is read and written with MSG_DONTWAIT (recvfrom, sendto):
 *     one system call when it is ready, blocking or not;
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
 *
 * epoll_pwait, not ppoll: the set of fds is kept in the kernel, so a poll
 * does not pass (and the kernel does not scan) every fd again.
 */
#include <linux/eventpoll.h>
#include <linux/limits.h>   /* PIPE_BUF: what a writable pipe takes without blocking */
#include <asm/poll.h>       /* POLLIN, ... */
#include "coroutine.h"
#include "syscalls.h"
#include "internal.h"

#define EVENTS_PER_WAIT 64              /* epoll events taken per poll */

#define NCHAIN (1 + CO_CAPACITY)        /* hash chains of fd waiters */

static struct waiter {
	int want;               /* CO_READ | CO_WRITE it waits for on fd, 0 for none */
	int fd;
	unsigned gen;           /* the arming of fd's registration it waits for */
	unsigned next;          /* the next waiter in its hash chain: index + 1 */
} waiters[1 + CO_CAPACITY];

static unsigned chain[NCHAIN];  /* fd waiters, by fd % NCHAIN: index + 1, 0 ends */
static unsigned nfd_waiters;
static unsigned generation;     /* of the latest arming */
static int epfd;                /* the epoll fd + 1, 0 before the first */

/* ---- fd waiters, by fd ------------------------------------------------- */

/* The chain fd's waiters hang in.  Chains are short: at most 1 + CO_CAPACITY
 * waiters in as many chains, and fds are small consecutive numbers. */
static unsigned *chain_of(int fd)
{
	return &chain[(unsigned)fd % NCHAIN];
}

/* The first waiter on fd at or after link j of its chain (index + 1), or 0.
 * Walk the waiters of fd with:
 *     for (j = waiter_on(fd, *chain_of(fd)); j; j = waiter_on(fd, next)) */
static unsigned waiter_on(int fd, unsigned j)
{
	while (j && waiters[j - 1].fd != fd)
		j = waiters[j - 1].next;
	return j;
}

static void unlink_waiter(unsigned i)
{
	unsigned *p = chain_of(waiters[i].fd);

	while (*p != i + 1)
		p = &waiters[*p - 1].next;
	*p = waiters[i].next;
	waiters[i].want = 0;
	nfd_waiters--;
}

/* Coroutine i's wait is over: result is the ready events, or -EBADF (its
 * fd was closed). */
static void wake(unsigned i, int result)
{
	if (waiters[i].want)
		unlink_waiter(i);
	_co_fire(&_co_cos[i], 0, result);
}

/* Wake every waiter on fd, but `keep` (an index, or -1u for none), with result. */
static void wake_fd(int fd, unsigned keep, int result)
{
	for (unsigned j = waiter_on(fd, *chain_of(fd)), next; j; j = waiter_on(fd, next)) {
		next = waiters[j - 1].next;
		if (j - 1 != keep)
			wake(j - 1, result);
	}
}

/* Arm fd's one-shot registration for what its waiters want, as a new
 * generation.  If the file at fd is not the registered one (MOD: ENOENT) or
 * fd is closed (EBADF), the waiters but `self` waited on a file no longer
 * there: they are woken with -EBADF, and self (if not -1u) is added fresh.
 * 0 (at once with self -1u when the others were woken), 1 if fd cannot be waited on (epoll refuses regular files: always ready),
 * or a negative errno. */
static int arm(int fd, unsigned self)
{
	struct epoll_event ev = { EPOLLONESHOT, (unsigned long long)++generation << 32 | (unsigned)fd };
	int r;

	for (unsigned j = waiter_on(fd, *chain_of(fd)); j;
	     j = waiter_on(fd, waiters[j - 1].next)) {
		ev.events |= (waiters[j - 1].want & CO_READ ? EPOLLIN : 0) |
			     (waiters[j - 1].want & CO_WRITE ? EPOLLOUT : 0);
		waiters[j - 1].gen = generation;
	}
	if (!epfd) {
		if ((r = sys_epoll_create1(EPOLL_CLOEXEC)) < 0)
			return r;
		epfd = r + 1;
	}
	r = sys_epoll_ctl(epfd - 1, EPOLL_CTL_MOD, fd, &ev);
	if (r == -ENOENT || r == -EBADF) {
		wake_fd(fd, self, -EBADF);
		if (self == -1u)
			return 0;
		ev.events = EPOLLONESHOT | (waiters[self].want & CO_READ ? EPOLLIN : 0) |
			    (waiters[self].want & CO_WRITE ? EPOLLOUT : 0);
		if (r == -ENOENT)
			r = sys_epoll_ctl(epfd - 1, EPOLL_CTL_ADD, fd, &ev);
	}
	return r == -EPERM ? 1 : r;
}

/* Which of want the epoll events e satisfy: all of it on an error or hang-up
 * (the read or write will tell which). */
static int satisfied(int want, unsigned e)
{
	if (e & (EPOLLERR | EPOLLHUP))
		return want;
	return want & ((e & EPOLLIN ? CO_READ : 0) | (e & EPOLLOUT ? CO_WRITE : 0));
}

/* An epoll event: wake fd's waiters of that generation it satisfies, and
 * re-arm for the others (the one-shot registration is now disarmed). */
static void wake_for_event(unsigned long long data, unsigned e)
{
	int fd = (int)(unsigned)data, left = 0;
	unsigned gen = (unsigned)(data >> 32);

	for (unsigned j = waiter_on(fd, *chain_of(fd)), next; j; j = waiter_on(fd, next)) {
		int ready = satisfied(waiters[j - 1].want, e);

		next = waiters[j - 1].next;
		if (waiters[j - 1].gen != gen)
			continue;               /* an old file's leftover event */
		if (ready)
			wake(j - 1, ready);
		else
			left = 1;
	}
	if (left)
		arm(fd, -1u);
}

/* _co_fd_epoll_wait: wait up to ms for the waiters' fds (0: just look), and
 * wake the ready ones. */
static void epoll_wait_fds(int ms)
{
	struct epoll_event ev[EVENTS_PER_WAIT];
	int n = sys_epoll_pwait(epfd - 1, ev, EVENTS_PER_WAIT, ms, 0, SYS_SIGSET_SIZE);

	for (int k = 0; k < n; k++)
		wake_for_event(ev[k].data, ev[k].events);
}

/* ---- waiting ----------------------------------------------------------- */

/* Does a coroutine still wait on fd for some of want?  A waiter whose wait
 * has ended by its timeout is still in the chain (it leaves when it runs
 * again): it is taken out here, and does not count. */
static int taken(int fd, int want)
{
	for (unsigned j = waiter_on(fd, *chain_of(fd)), next; j; j = waiter_on(fd, next)) {
		next = waiters[j - 1].next;
		if (!_co_cos[j - 1].wait)
			unlink_waiter(j - 1);   /* ready again, or running */
		else if (waiters[j - 1].want & want)
			return 1;
	}
	return 0;
}

/* Block until fd is ready for some of want (the caller found it is not), or
 * timeout_ns passes (negative: never).  Ready events, 0 on timeout,
 * -EBADF if fd is closed meanwhile, -EBUSY, or epoll's error. */
static int wait_fd(int fd, int want, long long timeout_ns)
{
	unsigned i = _co_running_index();
	struct _co_wait wt = { .why = want == CO_READ ? "waits to read fd #" : want == CO_WRITE ?
				      "waits to write fd #" : "waits for fd #", .arg = fd };
	int r;

	/* Another waiter may be one whose file left fd behind our back:
	 * re-arming finds out and wakes it. */
	if (taken(fd, want)) {
		arm(fd, -1u);
		if (taken(fd, want))
			return -EBUSY;
	}
	waiters[i].fd = fd;
	waiters[i].want = want;
	waiters[i].next = *chain_of(fd);
	*chain_of(fd) = i + 1;
	nfd_waiters++;
	if ((r = arm(fd, i))) {
		unlink_waiter(i);
		return r < 0 ? r : want;        /* 1: never blocks, so ready */
	}
	_co_fd_waiters = &nfd_waiters;
	_co_fd_epoll_wait = epoll_wait_fds;
	_co_poller_wake();
	r = _co_wait_for(&wt, timeout_ns);
	if (waiters[i].want)            /* its time ran out, or a cancel */
		unlink_waiter(i);
	return r == -ETIMEDOUT ? 0 : r ? r : wt.result;         /* r: -ECANCELED */
}

/* fd's state now (ppoll, no waiting): which of events it is ready for (all
 * of them on an error or hang-up), 0 for none, or -EBADF. */
static int look(int fd, int events)
{
	struct { int fd; short events, revents; } p = {
		fd, (short)((events & CO_READ ? POLLIN : 0) | (events & CO_WRITE ? POLLOUT : 0)), 0 };
	struct sys_timespec zero = { 0, 0 };
	int r;

	while ((r = sys_ppoll(&p, 1, &zero, 0, 0)) == -EINTR)
		;
	if (r <= 0)
		return r;
	if (p.revents & POLLNVAL)
		return -EBADF;
	if (p.revents & (POLLERR | POLLHUP))
		return events;
	return (p.revents & POLLIN ? events & CO_READ : 0) |
	       (p.revents & POLLOUT ? events & CO_WRITE : 0);
}

int co_wait_fd(int fd, int events, long long timeout_ns)
{
	int r;

	if (fd < 0)
		return -EBADF;
	if (!events || events & ~(CO_READ | CO_WRITE))
		return -EINVAL;
	/* Its state now: no need to switch away if it is ready. */
	if ((r = look(fd, events)) || !timeout_ns)
		return r;
	return wait_fd(fd, events, timeout_ns);
}

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

/* Wait until fd is ready for dir or the deadline end (-1: none) passes:
 * the ready events, -ETIMEDOUT, or wait_fd's error. */
static inline __attribute__((always_inline)) int wait_until(int fd, int dir, long long end)
{
	long long left = end < 0 ? -1 : end - co_now();
	int r;

	if (end >= 0 && left <= 0)
		return -ETIMEDOUT;
	r = wait_fd(fd, dir, left);
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

	if (r != -ENOTSOCK)
		return r;                       /* a socket, or bad fd */
	if ((r = sys_fcntl(fd, F_GETFL, 0)) < 0)
		return r;
	if (!(r & O_NONBLOCK)) {                /* blocking: wait first */
		/* Until a look finds it ready: being woken is no proof, as
		 * another coroutine may have run first and taken the data
		 * (or the room) that woke this one. */
		while (!(r = look(fd, dir)))
			if ((r = wait_until(fd, dir, end)) < 0)
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
	for (;;) {
		long r = transfer(fd, buf, len, CO_READ, end);

		if (r == -EAGAIN && (r = wait_until(fd, CO_READ, end)) > 0)
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

	if (!sigpipe_looked)
		take_sigpipe();
	while (done < len) {
		long r = transfer(fd, (char *)buf + done, len - done, CO_WRITE, end);

		if (r == -EAGAIN)
			r = wait_until(fd, CO_WRITE, end);
		else if (r > 0)
			done += r;
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

/* The registration needs no EPOLL_CTL_DEL: the kernel drops it with the
 * file's last reference, and one left by a file still open elsewhere can
 * report once more, with a generation no waiter has. */
int co_close(int fd)
{
	if (fd >= 0)
		wake_fd(fd, -1u, -EBADF);
	return sys_close(fd);
}
