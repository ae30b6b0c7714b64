/*
 * event.c - waiting for time and for file descriptors.
 *
 * Linked only into programs that call co_sleep, co_wait_fd, co_read,
 * co_write or co_close.  The first wait sets the scheduler's co_idle hook,
 * which sched.c calls when no coroutine is ready; idle() then sleeps in the
 * kernel until something it watches happens, and makes the waiters ready.
 *
 * Timers: a binary min-heap of deadlines (CLOCK_MONOTONIC, nanoseconds), one
 * entry per coroutine that sleeps or waits with a timeout: insert, pop and
 * the removal of a waiter woken by its fd are O(log n).
 *
 * File descriptors: one epoll instance.  An fd is added edge-triggered
 * (EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET) the first time a coroutine
 * waits on it and stays registered until co_close, so waiting costs no system
 * call beyond the read or write that answered EAGAIN: that EAGAIN means the
 * next readiness is a new edge, which epoll will report.
 *
 * The idle wait: with only timers, clock_nanosleep to the nearest deadline
 * (exact); with fds, epoll_pwait with that deadline as a timeout in
 * milliseconds rounded up, so that no sleeper wakes early.  epoll_pwait, not
 * ppoll: the set of fds is kept in the kernel, so a wait does not pass (and
 * the kernel does not scan) every fd again.
 */
#include <linux/eventpoll.h>
#include "coroutine.h"
#include "syscalls.h"

/* sched.c, for this file: coroutines by index, 0 being main. */
extern int (*co_idle)(void);
unsigned co_current(void);
void co_block(void);
void co_wake(unsigned i);

#define POLL_IN   0x001
#define POLL_OUT  0x004
#define POLL_NVAL 0x020

static struct waiter {
	long long deadline;
	unsigned heap_pos;      /* its place in heap[1..], 0 if it has no timer */
	int fd;                 /* fd + 1 it waits on, 0 for none */
	int events;             /* what woke it: CO_READ | CO_WRITE, 0 for time */
} w[1 + CO_CAPACITY];

static unsigned heap[1 + 1 + CO_CAPACITY];      /* heap[1..n]: coroutine indexes */
static unsigned nheap;

static struct {
	unsigned reader, writer;        /* waiting coroutine's index + 1, or 0 */
	char registered;
} fds[CO_MAX_FDS];
static unsigned nfd_waiters;
static int epfd;                        /* the epoll fd + 1, 0 before the first */

/* ---- the timer heap ---------------------------------------------------- */

static void heap_put(unsigned pos, unsigned i)
{
	heap[pos] = i;
	w[i].heap_pos = pos;
}

static void sift_up(unsigned pos)
{
	unsigned i = heap[pos];

	for (; pos > 1 && w[i].deadline < w[heap[pos / 2]].deadline; pos /= 2)
		heap_put(pos, heap[pos / 2]);
	heap_put(pos, i);
}

static void sift_down(unsigned pos)
{
	unsigned i = heap[pos], c;

	for (; (c = 2 * pos) <= nheap; pos = c) {
		if (c < nheap && w[heap[c + 1]].deadline < w[heap[c]].deadline)
			c++;
		if (w[heap[c]].deadline >= w[i].deadline)
			break;
		heap_put(pos, heap[c]);
	}
	heap_put(pos, i);
}

static void timer_add(unsigned i, unsigned long long ns)
{
	long long t = co_now();

	w[i].deadline = ns > (unsigned long long)(0x7fffffffffffffffLL - t) ?
			0x7fffffffffffffffLL : t + (long long)ns;
	heap[++nheap] = i;
	sift_up(nheap);
}

static void timer_remove(unsigned i)
{
	unsigned pos = w[i].heap_pos, last;

	if (!pos)
		return;
	last = heap[nheap--];
	w[i].heap_pos = 0;
	if (pos <= nheap) {     /* the last entry fills the hole */
		heap_put(pos, last);
		sift_down(pos);
		sift_up(w[last].heap_pos);
	}
}

/* ---- waking ------------------------------------------------------------ */

/* Coroutine i's wait is over: events says why (0: its time ran out). */
static void wake(unsigned i, int events)
{
	int fd = w[i].fd - 1;

	w[i].events = events;
	timer_remove(i);
	if (fd >= 0) {
		if (fds[fd].reader == i + 1)
			fds[fd].reader = 0;
		if (fds[fd].writer == i + 1)
			fds[fd].writer = 0;
		w[i].fd = 0;
		nfd_waiters--;
	}
	co_wake(i);
}

/* Nothing is ready: sleep until a deadline passes or an fd is ready, and
 * wake whoever waited for it.  0 if there is nothing to wait for.  (Only
 * then: while some coroutine is ready, sleepers and fd waiters wait.) */
static int idle(void)
{
	struct epoll_event ev[64];
	int n = 0;

	if (!nheap && !nfd_waiters)
		return 0;
	if (!nfd_waiters) {
		long long d = w[heap[1]].deadline;
		struct sys_timespec ts = { d / 1000000000, d % 1000000000 };

		sys_clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, 0);
	} else {
		int ms = -1;

		if (nheap) {
			long long left = w[heap[1]].deadline - co_now();

			ms = left <= 0 ? 0 : left >= 2000000000LL * 1000000 ? 2000000000
			   : (int)((left + 999999) / 1000000);      /* never early */
		}
		n = sys_epoll_pwait(epfd - 1, ev, 64, ms, 0, 8);
	}
	for (int k = 0; k < n; k++) {
		int fd = (int)ev[k].data;
		unsigned e = ev[k].events, r = fds[fd].reader, wr = fds[fd].writer;
		int rd = e & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR) ? CO_READ : 0;
		int wt = e & (EPOLLOUT | EPOLLHUP | EPOLLERR) ? CO_WRITE : 0;

		if (r && r == wr) {             /* one coroutine waits for both */
			if (rd | wt)
				wake(r - 1, rd | wt);
			continue;
		}
		if (r && rd)
			wake(r - 1, CO_READ);
		if (wr && wt)
			wake(wr - 1, CO_WRITE);
	}
	for (long long t = co_now(); nheap && w[heap[1]].deadline <= t; )
		wake(heap[1], 0);
	return 1;
}

/* ---- waiting ----------------------------------------------------------- */

int co_sleep(unsigned long long ns)
{
	unsigned i = co_current();

	timer_add(i, ns);
	co_idle = idle;
	co_block();
	return 0;
}

/* Register fd with epoll if it is not yet. 0, 1 if it can never block (a
 * regular file: epoll refuses those), or a negative errno. */
static int watch(int fd)
{
	struct epoll_event ev = { EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, (unsigned)fd };
	int r;

	if (fd < 0 || fd >= CO_MAX_FDS)
		return -EBADF;
	if (fds[fd].registered)
		return 0;
	if (!epfd) {
		if ((r = sys_epoll_create1(EPOLL_CLOEXEC)) < 0)
			return r;
		epfd = r + 1;
	}
	r = sys_epoll_ctl(epfd - 1, EPOLL_CTL_ADD, fd, &ev);
	if (r == -EPERM)
		return 1;
	if (r < 0 && r != -EEXIST)
		return r;
	fds[fd].registered = 1;
	return 0;
}

/* Wait for an edge on fd (the caller knows it is not ready now). */
static int wait_edge(int fd, int events, long long timeout_ns)
{
	unsigned i = co_current();
	int r = watch(fd);

	if (r)
		return r < 0 ? r : events;      /* never blocks: ready */
	if (((events & CO_READ) && fds[fd].reader) || ((events & CO_WRITE) && fds[fd].writer))
		return -EBUSY;
	if (events & CO_READ)
		fds[fd].reader = i + 1;
	if (events & CO_WRITE)
		fds[fd].writer = i + 1;
	w[i].fd = fd + 1;
	nfd_waiters++;
	if (timeout_ns >= 0)
		timer_add(i, timeout_ns);
	co_idle = idle;
	co_block();
	return w[i].events;
}

int co_wait_fd(int fd, int events, long long timeout_ns)
{
	struct { int fd; short events, revents; } p = {
		fd, (short)((events & CO_READ ? POLL_IN : 0) | (events & CO_WRITE ? POLL_OUT : 0)), 0 };
	struct sys_timespec zero = { 0, 0 };
	int r;

	if (fd < 0)
		return -EBADF;
	if (!events || events & ~(CO_READ | CO_WRITE))
		return -EINVAL;
	/* The state now: an edge-triggered wait alone would miss an fd that
	 * is already ready. */
	r = sys_ppoll(&p, 1, &zero, 0, 0);
	if (r < 0)
		return r;
	if (p.revents & POLL_NVAL)
		return -EBADF;
	if (r)
		return ((p.revents & (POLL_IN | 0x18)) && (events & CO_READ) ? CO_READ : 0) |
		       ((p.revents & (POLL_OUT | 0x18)) && (events & CO_WRITE) ? CO_WRITE : 0);
	if (!timeout_ns)
		return 0;
	return wait_edge(fd, events, timeout_ns);
}

long co_read(int fd, void *buf, unsigned long len)
{
	for (;;) {
		long r = sys_read(fd, buf, len);

		if (r != -EAGAIN && r != -EINTR)
			return r;
		if (r == -EAGAIN && (r = wait_edge(fd, CO_READ, -1)) < 0)
			return r;
	}
}

long co_write(int fd, const void *buf, unsigned long len)
{
	unsigned long done = 0;

	while (done < len) {
		long r = sys_write(fd, (const char *)buf + done, len - done);

		if (r == -EAGAIN)
			r = wait_edge(fd, CO_WRITE, -1);
		else if (r > 0)
			done += r;
		if (r < 0 && r != -EINTR)
			return done ? (long)done : r;
	}
	return len;
}

int co_close(int fd)
{
	if (fd >= 0 && fd < CO_MAX_FDS && fds[fd].registered) {
		sys_epoll_ctl(epfd - 1, EPOLL_CTL_DEL, fd, 0);
		fds[fd].registered = 0;
		if (fds[fd].reader)
			wake(fds[fd].reader - 1, CO_READ);      /* it will find EBADF */
		if (fds[fd].writer)
			wake(fds[fd].writer - 1, CO_WRITE);
	}
	return sys_close(fd);
}
