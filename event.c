/*
 * event.c - waiting for file descriptors: co_wait_fd, co_close, the fd
 * cases of co_select, and the registrations that io.c's co_read and
 * co_write wait on.
 *
 * Linked only into programs that wait on fds.  The poller (timer.c) asks
 * epoll which fds are ready, once per pass of the ready queue, or waits in
 * the kernel for them when nobody is ready, through the hook
 * _co_fd_epoll_wait this file sets; timeouts are timer.c's.
 *
 * Registrations: one epoll instance; an fd is registered the first time a
 * coroutine waits on it, edge-triggered and for both directions, and stays
 * registered (no epoll_ctl per wait).  The runtime keeps an entry per
 * registered fd (struct reg: at most NREG of them, found by fd through a
 * hash; an fd may be any number below RLIMIT_NOFILE), with a wait queue of
 * the nodes of the coroutines that wait on it (a co_wait_fd, a co_read, a
 * co_select's fd case: a select may wait on several fds, several coroutines
 * on one).  _co_fire takes a waiter's nodes off every queue as its wait
 * ends, whatever ends it (an event, a channel, a timeout, a cancel), so no
 * registration keeps a waiter that has gone.  When entries run out, one
 * nobody waits on is deleted from epoll (EPOLL_CTL_DEL) and reused.
 *
 * Edge-triggered: epoll reports an fd once per change (data came, room
 * freed), not while it stays ready; the entry remembers it (->ready), and
 * a read or write that comes up short forgets it.  A registration is
 * tagged with a generation (the event's data: generation << 32 | fd), so
 * that it cannot go stale unnoticed when the fd is closed behind the
 * runtime's back (sys_close, dup2 over it) and the number reused:
 *   - a wait that blocks checks the registration first (EPOLL_CTL_MOD,
 *     which also reports the fd at once if it is ready) when it cannot
 *     trust it (below); ENOENT says the file at fd is not the one
 *     registered: the wait registers the new file as a new generation, and
 *     coroutines still waiting on the old one wake with -EBADF;
 *   - a leftover registration of an old file still open elsewhere (a dup,
 *     a child) reports with an old generation: it is ignored.
 * A co_read (co_write) of a stream socket whose last read (write) came up
 * short trusts the registration: the socket had nothing more, so it waits
 * for the next event at once, with no system call, where a read would
 * return EAGAIN and a check cost an epoll_ctl.  The echo server's round
 * trip is then one epoll_pwait, one recvfrom, one sendto.  A trusted wait
 * that no event has ended for TRUST_NS is checked as above (a socket closed
 * behind the runtime's back and its number reused; data a short read left,
 * as at a TCP urgent mark): slower then, never hung.  A trusting waiter is
 * taken to wait on the file now at fd, and is not woken with -EBADF.
 * A wait costs no epoll_ctl when it trusts, one when it checks (MOD, or
 * ADD the first time); a socket's first short read or write costs one
 * getsockopt besides, to learn whether it is a stream.  A wait on a ready
 * fd costs nothing more.  A coroutine waiting on an fd
 * that is closed behind the runtime's back, and whose number nobody waits
 * on again, is not woken: only its timeout, co_close or the next wait on
 * that number can end its wait (the kernel drops the registration
 * silently).
 *
 * epoll_pwait, not ppoll: the set of fds is kept in the kernel, so a poll
 * does not pass (and the kernel does not scan) every fd again.
 */
#include <linux/eventpoll.h>
#include <asm/poll.h>       /* POLLIN, ... */
#include <asm/socket.h>     /* SOL_SOCKET, SO_TYPE */
#include "coroutine.h"
#include "syscalls.h"
#include "internal.h"

#define EVENTS_PER_WAIT 256             /* epoll events taken per poll */
#define NCHAIN (1 + CO_CAPACITY)        /* hash chains of registrations */
#define NREG (2 * (1 + CO_CAPACITY))    /* registrations kept at once */
#define TRUST_NS 1000000000LL           /* a trusted wait is checked after 1 s */
#define REG_EVENTS (EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET)
#define TRUSTING 4                      /* in a node's ->msg, beside CO_READ | CO_WRITE */
#define SELECTED 8                      /* the same: a co_select's case (its result: 0) */
#define UNKNOWN 2                       /* ->stream before a short transfer tells */

static struct reg {
	struct co_queue q;      /* the waiters' nodes; ->msg: what each wants */
	long long trusted;      /* since when a waiter trusts it unchecked; 0: none */
	int fd;
	unsigned gen;           /* of its registration: the events' data */
	unsigned next;          /* in its hash chain: index + 1, 0 ends */
	unsigned char used;
	unsigned char ready;    /* CO_READ | CO_WRITE reported since a short transfer */
	unsigned char stream;   /* a stream socket (a short read drains it), 0, or UNKNOWN */
} regs[NREG];

static unsigned chain[NCHAIN];  /* by fd % NCHAIN: index + 1 */
static unsigned free_regs;      /* unused entries through ->next: index + 1 */
static unsigned fresh;          /* entries fresh.. were never used */
static unsigned nfd_waiters;    /* waits on fds in progress (timer.c reads it) */
static unsigned generation;     /* of the latest registration */
static long long check_at;      /* when the oldest trusted wait is due a check; 0: none */
static int epfd;                /* the epoll fd + 1, 0 before the first */

/* ---- entries, by fd -------------------------------------------------------- */

static unsigned *chain_of(int fd)
{
	return &chain[(unsigned)fd % NCHAIN];
}

static struct reg *find(int fd)
{
	for (unsigned j = *chain_of(fd); j; j = regs[j - 1].next)
		if (regs[j - 1].fd == fd)
			return &regs[j - 1];
	return 0;
}

static void drop(struct reg *r)
{
	unsigned *p = chain_of(r->fd), i = r - regs;

	while (*p != i + 1)
		p = &regs[*p - 1].next;
	*p = r->next;
	r->used = 0;
	r->next = free_regs;
	free_regs = i + 1;
}

/* A new entry for fd (not registered yet), or 0: every entry has waiters.
 * With none free, the first that nobody waits on leaves epoll. */
static struct reg *take(int fd)
{
	struct reg *r = 0;

	if (free_regs) {
		r = &regs[free_regs - 1];
		free_regs = r->next;
	} else if (fresh < NREG) {
		r = &regs[fresh++];
	} else {
		for (struct reg *e = regs; e < regs + NREG && !r; e++)
			if (!e->q.head) {
				struct epoll_event ev = { 0, 0 };

				sys_epoll_ctl(epfd - 1, EPOLL_CTL_DEL, e->fd, &ev);
				drop(e);
				r = &regs[free_regs - 1];
				free_regs = r->next;
			}
		if (!r)
			return 0;
	}
	*r = (struct reg){ .fd = fd, .used = 1, .stream = UNKNOWN, .next = *chain_of(fd) };
	*chain_of(fd) = r - regs + 1;
	return r;
}

/* ---- waking ------------------------------------------------------------------ */

/* End the waits on r that events (ready bits, or a negative errno for all)
 * satisfy; with `checked` only those that did not trust r.  The running
 * coroutine's own nodes (a select registering its cases) are left. */
static void wake(struct reg *r, int events, int checked)
{
	for (struct _co_node *n = r->q.head, *next; n; n = next) {
		int want = (int)(long)n->msg, got = events < 0 ? events : events & want;

		next = n->next;
		if (!got || (checked && want & TRUSTING) || n->co == _co_running_index())
			continue;
		_co_fire(&_co_cos[n->co], n->index, got > 0 && want & SELECTED ? 0 : got);
		if (next && next->q != &r->q)
			next = r->q.head;       /* the same waiter's other node left too */
	}
}

/* Make r's registration the file now at fd (MOD; a fresh entry: ADD as a
 * new generation): r, or 0 with *err, the entry then gone and its waiters
 * woken: -EBADF (fd not open), 1 (a file epoll refuses, a regular file:
 * always ready), or epoll's error.  A check that finds another file at fd
 * wakes the checked waiters of the old one with -EBADF. */
static struct reg *check(int fd, int *err)
{
	struct reg *r = find(fd);
	struct epoll_event ev = { REG_EVENTS, 0 };
	int e;

	if (!epfd) {
		if ((e = sys_epoll_create1(EPOLL_CLOEXEC)) < 0)
			return *err = e, (struct reg *)0;
		epfd = e + 1;
	}
	if (r) {
		ev.data = (unsigned long long)r->gen << 32 | (unsigned)fd;
		if (!(e = sys_epoll_ctl(epfd - 1, EPOLL_CTL_MOD, fd, &ev))) {
			r->trusted = 0;
			return r;
		}
		if (e == -ENOENT)
			wake(r, -EBADF, 1);     /* they waited on a file no longer there */
	} else if (!(r = take(fd))) {
		return *err = -ENOMEM, (struct reg *)0;
	} else {
		e = -ENOENT;
	}
	if (e == -ENOENT) {
		r->gen = ++generation;
		r->ready = 0, r->stream = UNKNOWN, r->trusted = 0;
		ev.data = (unsigned long long)r->gen << 32 | (unsigned)fd;
		if (!(e = sys_epoll_ctl(epfd - 1, EPOLL_CTL_ADD, fd, &ev)))
			return r;
	}
	*err = e == -EPERM ? 1 : e;
	wake(r, e == -EPERM ? CO_READ | CO_WRITE : e, 0);
	drop(r);
	return 0;
}

/* An epoll event: wake the waiters of that registration it satisfies. */
static void on_event(unsigned long long data, unsigned e)
{
	struct reg *r = find((int)(unsigned)data);
	int ready = e & (EPOLLERR | EPOLLHUP) ? CO_READ | CO_WRITE :
		    (e & (EPOLLIN | EPOLLRDHUP) ? CO_READ : 0) | (e & EPOLLOUT ? CO_WRITE : 0);

	if (!r || r->gen != (unsigned)(data >> 32))
		return;                         /* an old file's leftover event */
	r->ready |= ready;
	if (r->q.head)
		r->trusted = 0;
	wake(r, ready, 0);
}

/* Check the registrations whose trusted waits have lasted TRUST_NS. */
static void check_trusted(long long now)
{
	int err;

	check_at = 0;
	for (struct reg *r = regs; r < regs + fresh; r++) {
		if (!r->used || !r->trusted)
			continue;
		if (now - r->trusted >= TRUST_NS)
			check(r->fd, &err);
		else if (!check_at || r->trusted + TRUST_NS < check_at)
			check_at = r->trusted + TRUST_NS;
	}
}

/* _co_fd_epoll_wait: wait up to ms for the waiters' fds (0: just look; no
 * longer than the next check of a trusted wait), and wake the ready ones. */
static void epoll_wait_fds(int ms)
{
	/* static: one poll at a time, and no 4 KiB frame on the poller's stack
	 * (clang's frame limit where it has no stack probes: docs/porting.md) */
	static struct epoll_event ev[EVENTS_PER_WAIT];
	int n;

	if (check_at) {
		long long now = co_now(), left = check_at - now;

		if (left <= 0)
			check_trusted(now);
		else if (ms < 0 || ms > left / 1000000 + 1)
			ms = (int)(left / 1000000 + 1);
	}
	n = sys_epoll_pwait(epfd - 1, ev, EVENTS_PER_WAIT, ms, 0, SYS_SIGSET_SIZE);
	for (int k = 0; k < n; k++)
		on_event(ev[k].data, ev[k].events);
}

/* ---- waiting ----------------------------------------------------------------- */

/* Put node n, of wait w, on fd's queue for want: trusting fd's registration
 * if `trust` and nobody else waits on fd, else checking it.  0, or check's
 * error (1: never blocks, so ready). */
static int enqueue(int fd, int want, int trust, struct _co_node *n, struct _co_wait *w)
{
	struct reg *r = trust ? find(fd) : 0;
	int err;

	if (r && !r->q.head) {
		want |= TRUSTING;
		if (!r->trusted) {
			r->trusted = co_now() | 1;
			if (!check_at)
				check_at = r->trusted + TRUST_NS;
		}
	} else if (!(r = check(fd, &err))) {
		return err;
	}
	n->msg = (void *)(long)want;
	_co_enqueue_node(&r->q, n, w);
	if (!w->fds) {
		w->fds = 1;
		nfd_waiters++;
	}
	_co_fd_waiters = &nfd_waiters;
	_co_fd_epoll_wait = epoll_wait_fds;
	_co_poller_wake();
	return 0;
}

int _co_wait_fd(int fd, int want, long long timeout_ns, int trust)
{
	struct _co_wait w = { .why = want == CO_READ ? "waits to read fd #" : want == CO_WRITE ?
				     "waits to write fd #" : "waits for fd #", .arg = fd };
	struct _co_node n;
	int r;

	n.index = 0;
	if ((r = enqueue(fd, want, trust, &n, &w)))
		return r < 0 ? r : want;        /* 1: never blocks, so ready */
	r = _co_wait_for(&w, timeout_ns);
	nfd_waiters--;
	return r == -ETIMEDOUT ? 0 : r ? r : w.result;          /* r: -ECANCELED */
}

int _co_look(int fd, int events)
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

int _co_fd_drained(int fd, int dir)
{
	struct reg *r = find(fd);

	return r && r->stream == 1 && !(r->ready & dir);
}

void _co_fd_short(int fd, int dir)
{
	struct reg *r = find(fd);
	int type;
	unsigned len = sizeof type;

	if (!r)
		return;
	r->ready &= ~dir;
	if (r->stream == UNKNOWN)
		r->stream = !sys_getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) && type == SOCK_STREAM;
}

int co_wait_fd(int fd, int events, long long timeout_ns)
{
	int r;

	if (fd < 0)
		return -EBADF;
	if (!events || events & ~(CO_READ | CO_WRITE))
		return -EINVAL;
	/* Its state now: no need to switch away if it is ready. */
	if ((r = _co_look(fd, events)) || !timeout_ns)
		return r;
	return _co_wait_fd(fd, events, timeout_ns, 0);
}

/* ---- co_select with fd cases ---------------------------------------------------
 * coroutine.h's CO_FD_READ and CO_FD_WRITE make co_select this (chan.c's
 * hook), so that a program whose selects use channels only carries none
 * of it: chan.c's channel-only select as it is, with fd cases beside. */
static int is_fd(const struct co_case *c)
{
	return c->op == _CO_FD_READ || c->op == _CO_FD_WRITE;
}

/* Do case c if it is ready now: 0 or its error (-EBADF for an fd), -EAGAIN
 * if not. */
static int try_case(struct co_case *c)
{
	int r;

	if (!is_fd(c))
		return _co_chan_case(c, 1, 0);
	r = c->fd < 0 ? -EBADF : _co_look(c->fd, c->op == _CO_FD_READ ? CO_READ : CO_WRITE);
	return r > 0 ? 0 : r ? r : -EAGAIN;
}

/* Put every case's node on its queue for w: -1, or the index of an fd case
 * that cannot wait (its result set: 0, ready, or the error), every node
 * then taken off again. */
static int enqueue_cases(struct co_case *cases, int n, struct _co_wait *w)
{
	for (int i = 0, r; i < n; i++) {
		cases[i].node.index = i;
		if (!is_fd(&cases[i])) {
			_co_chan_case(&cases[i], 2, w);
		} else if ((r = enqueue(cases[i].fd, SELECTED | (cases[i].op == _CO_FD_READ ?
				       CO_READ : CO_WRITE), 0, &cases[i].node, w))) {
			for (struct _co_node *m = w->nodes; m; m = m->sib)
				_co_unlink_node(m);
			nfd_waiters -= w->fds;
			cases[i].result = r > 0 ? 0 : r;       /* 1: always ready */
			return i;
		}
	}
	return -1;
}

int _co_select_fds(struct co_case *cases, int n, long long timeout_ns)
{
	struct _co_wait w = { .why = "waits in co_select on # cases", .arg = n };
	int i, r;

	if (!cases || n < 1)
		return -EINVAL;
	for (i = 0; i < n; i++)                 /* check them all before doing one */
		if (!is_fd(&cases[i]) && (r = _co_chan_case(&cases[i], 0, 0)))
			return r;
	for (i = 0; i < n; i++)                 /* the first ready one wins */
		if ((r = try_case(&cases[i])) != -EAGAIN)
			return cases[i].result = r, i;
	if (!timeout_ns)
		return -EAGAIN;
	if ((i = enqueue_cases(cases, n, &w)) >= 0)
		return i;
	r = _co_wait_for(&w, timeout_ns);
	nfd_waiters -= w.fds;
	if (r)
		return r;                       /* -ETIMEDOUT, -ECANCELED */
	cases[w.fired].result = w.result;       /* a channel's waker did the copy */
	return w.fired;
}

/* The registration needs no EPOLL_CTL_DEL: the kernel drops it with the
 * file's last reference, and one left by a file still open elsewhere can
 * report, with a generation no entry has. */
int co_close(int fd)
{
	struct reg *r = fd >= 0 ? find(fd) : 0;

	if (r) {
		wake(r, -EBADF, 0);
		drop(r);
	}
	return sys_close(fd);
}
