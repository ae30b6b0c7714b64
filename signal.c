/*
 * signal.c - signals as events: co_signal_wait (the contract: coroutine.h).
 *
 * Linked only into programs that call it.  No handler: the first wait for
 * a signal blocks it (rt_sigprocmask), for the rest of the process, so the
 * kernel keeps it pending instead of acting on it; a signalfd says when one
 * of those the waiters want is pending, and rt_sigtimedwait with a zero
 * timeout takes one of a given set, the oldest waiter's first:
 *
 *   waiters:  W1 {TERM} -> W2 {CHLD} -> W3 {TERM, INT}      (FIFO)
 *             ^ the watcher: in co_wait_fd on the signalfd, whose mask is
 *               the union of the sets still waiting; the others wait on a
 *               queue of their own until the watcher hands them a signal
 *
 * When the signalfd is readable the watcher takes, for each waiter in
 * order, one pending signal of its set (rt_sigtimedwait) and wakes it with
 * it: so each signal goes to one waiter, the oldest that wants it.  A
 * watcher that leaves (it got its signal, or its timeout passed) wakes the
 * first waiter still waiting, which becomes the watcher.  A waiter whose
 * set adds to the union widens the signalfd's mask itself.
 *
 * A routed signal that arrives while nobody waits for it stays pending in
 * the kernel (one of each standard signal, every real-time one) until a
 * wait takes it.  The faults (SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE)
 * are refused: a fault blocked is death without the runtime's report, and
 * SIGSEGV and SIGBUS belong to that report (sched.c).  SIGKILL and SIGSTOP
 * cannot be caught.  co_exec's children start with an empty mask.
 */
#include "coroutine.h"
#include "syscalls.h"
#include "internal.h"

#define BIT(sig) (1ULL << ((sig) - 1))
#define REFUSED (BIT(SIGSEGV) | BIT(SIGBUS) | BIT(SIGILL) | BIT(SIGTRAP) | BIT(SIGFPE) | \
		 BIT(SIGKILL) | BIT(SIGSTOP))
#define SFD_FLAGS (O_NONBLOCK | O_CLOEXEC)      /* SFD_NONBLOCK, SFD_CLOEXEC */

/* A waiting coroutine, on its own stack. */
struct waiter {
	struct co_queue q;              /* it waits here unless it is the watcher */
	unsigned long long set;
	int sig;                        /* the signal handed to it, 0 until then */
	struct waiter *next;
};

static struct {
	struct waiter *head, *tail;     /* FIFO */
	unsigned long long routed;      /* blocked by us */
	unsigned long long mask;        /* the signalfd's */
	int fd;                         /* the signalfd + 1, 0 before the first */
	char watching;                  /* a waiter is in co_wait_fd on it */
} sigwait;

/* Block the signals of set not yet routed: 0 or a negative errno. */
static int route(unsigned long long set)
{
	unsigned long long add = set & ~sigwait.routed;
	int r;

	if (add && (r = sys_rt_sigprocmask(SIG_BLOCK, &add, 0, SYS_SIGSET_SIZE)) < 0)
		return r;
	sigwait.routed |= set;
	return 0;
}

/* Take one pending signal of set: its number, or 0 if none is pending. */
static int take(unsigned long long set)
{
	static const struct sys_timespec zero;
	int r = sys_rt_sigtimedwait(&set, 0, &zero, SYS_SIGSET_SIZE);

	return r > 0 ? r : 0;
}

/* Make the signalfd's mask the union of the sets still waiting (creating
 * the fd the first time): 0 or a negative errno. */
static int watch_mask(void)
{
	unsigned long long u = 0;
	int r;

	for (struct waiter *w = sigwait.head; w; w = w->next)
		if (!w->sig)
			u |= w->set;
	if (sigwait.fd && u == sigwait.mask)
		return 0;
	if ((r = sys_signalfd4(sigwait.fd - 1, &u, SYS_SIGSET_SIZE, SFD_FLAGS)) < 0)
		return r;
	sigwait.fd = r + 1;
	sigwait.mask = u;
	return 0;
}

/* Hand each waiter, oldest first, one pending signal of its set. */
static void dispatch(void)
{
	for (struct waiter *w = sigwait.head; w; w = w->next)
		if (!w->sig && (w->sig = take(w->set)))
			co_wake_one(&w->q);
}

static void leave(struct waiter *me)
{
	struct waiter **p = &sigwait.head, *prev = 0;

	while (*p != me)
		prev = *p, p = &(*p)->next;
	*p = me->next;
	if (sigwait.tail == me)
		sigwait.tail = prev;
	if (sigwait.watching)
		return;
	for (struct waiter *w = sigwait.head; w; w = w->next)
		if (!w->sig) {                  /* the next watcher */
			co_wake_one(&w->q);
			break;
		}
}

/* Until a signal comes for me, an error, or the deadline (-1: none). */
static int wait_signal(struct waiter *me, long long deadline)
{
	int r = 0;

	while (!me->sig && !r) {
		long long left = deadline < 0 ? -1 : deadline - co_now();

		if (deadline >= 0 && left <= 0)
			return -ETIMEDOUT;
		if ((r = watch_mask()) < 0)
			break;
		if (sigwait.watching) {               /* woken with a signal, or to watch */
			if (co_wait(&me->q, left) == -ECANCELED)
				r = -ECANCELED;
			continue;
		}
		sigwait.watching = 1;
		r = co_wait_fd(sigwait.fd - 1, CO_READ, left);
		sigwait.watching = 0;
		dispatch();
		r = r < 0 ? r : 0;
	}
	return me->sig ? me->sig : r;
}

int co_signal_wait(unsigned long long set, long long timeout_ns)
{
	struct waiter me = { .set = set };
	long long deadline = -1;
	int r;

	if (!set || set & REFUSED)
		return -EINVAL;
	if ((r = route(set)) < 0)
		return r;
	if ((r = take(set)))
		return r;
	if (!timeout_ns)
		return -ETIMEDOUT;
	if (timeout_ns > 0)
		deadline = co_now() + (timeout_ns < (1LL << 62) ? timeout_ns : 1LL << 62);
	*(sigwait.tail ? &sigwait.tail->next : &sigwait.head) = &me;
	sigwait.tail = &me;
	r = wait_signal(&me, deadline);
	leave(&me);
	return r;
}
