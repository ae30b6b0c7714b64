/*
 * timer.c - time: co_sleep, the timeouts of every wait, and the poller.
 *
 * Linked only into programs that sleep, wait with a timeout or wait on an
 * fd.  Timers: a binary min-heap of deadlines (CLOCK_MONOTONIC, from
 * co_now: the vDSO's clock, no system call where there is one), one entry
 * per coroutine whose wait has a timeout: insert and remove are O(log n).
 *
 * The poller is a coroutine of the runtime's own (cos[_CO_POLLER], with a
 * stack here, no id, not counted as alive), ready whenever anyone waits for
 * time or an fd, so it sits in the ready queue like the others:
 *
 *        ready queue:  A -> B -> poller -> C -> A -> B -> poller -> ...
 *
 * Each time its turn comes, once per pass of the queue, it reads the clock
 * and ends the waits whose deadline has passed, and (event.c's part) asks
 * epoll, without waiting, which fds are ready.  So a sleeper runs within one
 * pass even while every other coroutine keeps yielding, and a yield costs
 * nothing more: the poller is one more coroutine to switch to.  When no one
 * else is ready, it waits in the kernel instead: clock_nanosleep to the
 * nearest deadline, or epoll_pwait with that timeout (milliseconds rounded
 * up, so that no sleeper wakes early); not at all if that deadline has
 * passed already (co_sleep(0) costs no system call).  With nothing to
 * watch it parks, out of the queue, and the next timed wait or fd wait
 * makes it ready again; an empty ready queue then means that nothing can
 * wake anyone (sched.c's deadlock report).
 */
#include "coroutine.h"
#include "syscalls.h"
#include "internal.h"
#if CO_VALGRIND
#include <memcheck.h>           /* valgrind's client requests (make VALGRIND=1) */
#endif

#define POLLER_STACK 16384
#define FOREVER 0x7fffffffffffffffLL

static struct {
	long long deadline;
	unsigned pos;           /* its place in heap[1..nheap], 0 if none */
} timers[2 + CO_CAPACITY];           /* by coroutine index */

static unsigned heap[1 + 2 + CO_CAPACITY];      /* heap[1..nheap]: indexes */
static unsigned nheap;

unsigned *_co_fd_waiters;       /* internal.h: set by event.c */
void (*_co_fd_epoll_wait)(int ms);

/* ---- the heap ------------------------------------------------------------ */

static int earlier(unsigned a, unsigned b)
{
	return timers[heap[a]].deadline < timers[heap[b]].deadline;
}

static void swap(unsigned a, unsigned b)
{
	unsigned i = heap[a];

	heap[a] = heap[b];
	heap[b] = i;
	timers[heap[a]].pos = a;
	timers[heap[b]].pos = b;
}

static void sift_up(unsigned pos)
{
	for (; pos > 1 && earlier(pos, pos / 2); pos /= 2)
		swap(pos, pos / 2);
}

static void sift_down(unsigned pos)
{
	for (unsigned c; (c = 2 * pos) <= nheap; pos = c) {
		if (c < nheap && earlier(c + 1, c))
			c++;
		if (!earlier(c, pos))
			break;
		swap(pos, c);
	}
}

/* _co_timer_stop: coroutine c's timer, gone. */
static void timer_stop(struct co *c)
{
	unsigned i = c - _co_cos, pos = timers[i].pos;

	if (!pos)
		return;
	timers[i].pos = 0;
	heap[pos] = heap[nheap--];
	if (pos <= nheap) {     /* the last entry fills the hole */
		timers[heap[pos]].pos = pos;
		sift_down(pos);
		sift_up(pos);
	}
}

static void timer_start(unsigned i, unsigned long long ns)
{
	long long now = co_now();

	timers[i].deadline = ns > (unsigned long long)(FOREVER - now) ? FOREVER : now + (long long)ns;
	heap[++nheap] = i;
	timers[i].pos = nheap;
	sift_up(nheap);
	_co_timer_stop = timer_stop;
}

/* ---- the poller ------------------------------------------------------------ */

static char poller_stack[POLLER_STACK] __attribute__((aligned(16)));
static char poller_started, poller_parked;
static struct _co_wait parked;

/* End the waits whose deadline has passed.  A coroutine in co_join_for
 * made ready by the finish (not by _co_fire) has left its timer for itself
 * to stop: it goes without a wake. */
static void expire(void)
{
	for (long long now = co_now(); nheap && timers[heap[1]].deadline <= now; ) {
		struct co *c = &_co_cos[heap[1]];

		if (c->wait)
			_co_fire(c, _CO_ABORT, -ETIMEDOUT);
		else
			_co_timer_stop(c);      /* the hook: timer_stop */
	}
}

/* Nobody else is ready: wait in the kernel for the nearest deadline or an
 * fd event (epoll's milliseconds rounded up, never early).  A deadline that
 * has passed needs no system call (co_sleep(0) makes none): expire ends it,
 * and the fds are looked at in the next pass. */
static void wait_kernel(void)
{
	long long d = 0, left = 0;
	int ms = -1;

	if (nheap && (left = (d = timers[heap[1]].deadline) - co_now()) <= 0)
		return;                 /* passed: expire() ends it */
	if (!_co_fd_waiters || !*_co_fd_waiters) {
		struct sys_timespec ts = { d / 1000000000, d % 1000000000 };

		sys_clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, 0);
		return;
	}
	if (nheap)
		ms = left >= 2000000000LL * 1000000 ? 2000000000 : (int)((left + 999999) / 1000000);
	_co_fd_epoll_wait(ms);
}

static void poller(void *arg)
{
	(void)arg;
	for (;;) {
		int fds = _co_fd_waiters && *_co_fd_waiters;

		if (!nheap && !fds) {                   /* nothing to watch */
			poller_parked = 1;
			parked.why = "(the poller) is parked";
			_co_wait(&parked);
			continue;
		}
		if (_co_nothing_ready())
			wait_kernel();
		else if (fds)
			_co_fd_epoll_wait(0);
		expire();
		co_yield();
	}
}

void _co_poller_wake(void)
{
	struct co *p = &_co_cos[_CO_POLLER];

	if (!poller_started) {
		poller_started = 1;
		if (CO_FAULT_REPORT)    /* the report's words, where there is one */
			_co_poller_says = " in the runtime's poller\n";
#if CO_VALGRIND
		VALGRIND_STACK_REGISTER(poller_stack, poller_stack + POLLER_STACK - 1);
#endif
		char *top = poller_stack + POLLER_STACK - CO_VALGRIND_ROOM;

		p->sp = _co_frame(top - _CO_FRAME_SIZE, top, poller, 0);   /* on its stack */
		_co_ready(p);
	} else if (poller_parked) {
		poller_parked = 0;
		_co_fire(p, 0, 0);
	}
}

/* ---- waiting ------------------------------------------------------------- */

int _co_wait_for(struct _co_wait *w, long long timeout_ns)
{
	if (timeout_ns >= 0) {
		timer_start(_co_running_index(), timeout_ns);
		w->timed = 1;
		_co_poller_wake();
	}
	_co_wait(w);
	return w->fired == _CO_ABORT ? w->result : 0;
}

int co_sleep(unsigned long long ns)
{
	struct _co_wait w = { .why = "sleeps" };
	int r = _co_wait_for(&w, ns > (unsigned long long)FOREVER ? FOREVER : (long long)ns);

	return r == -ETIMEDOUT ? 0 : r;         /* or -ECANCELED */
}
