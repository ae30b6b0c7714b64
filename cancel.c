/*
 * cancel.c - co_cancel (the contract: coroutine.h).
 *
 * Linked only into programs that call co_cancel.  Every blocking call goes
 * through _co_wait (sched.c), so there is one mechanism:
 *   - a blocked coroutine's wait is ended as any other waker would end it,
 *     by _co_fire(c, _CO_ABORT, -ECANCELED): its nodes leave their queues,
 *     its timer stops, a join leaves its queue (_co_unjoin), and the call
 *     returns -ECANCELED from its wait path (_co_wait_for gives the result);
 *     an fd wait's nodes leave its fds' queues the same way (event.c);
 *   - a running or ready coroutine gets a pending cancel, kept here by slot
 *     (the id plus one, so that a finished coroutine's leftover matches no
 *     later one, ids never being reused); _co_wait consumes it through the
 *     _co_cancelled hook before it would block, and ends the wait the same
 *     way without switching.
 * Nothing is lost or duplicated: a wait ends once (_co_fire ignores a
 * second end), so a waker that came first has done its work (a message
 * copied, a unit handed over) and the cancel then waits for the next
 * blocking call; a cancel that came first took the nodes off the queues, so
 * no waker can find it.  A program that never calls co_cancel carries none
 * of this: the hook stays 0, and struct co is unchanged.
 */
#include "coroutine.h"
#include "syscalls.h"
#include "internal.h"

static int pending[2 + CO_CAPACITY];    /* by slot: the id + 1 to cancel */

/* _co_cancelled: self is about to block on self->wait.  If a cancel is
 * pending, end that wait as _co_fire would, but leave self running. */
static int cancelled(struct co *self)
{
	unsigned i = self - _co_cos;
	struct _co_wait *w = self->wait;

	if (pending[i] != self->id + 1)
		return 0;
	pending[i] = 0;
	for (struct _co_node *n = w->nodes; n; n = n->sib)
		_co_unlink_node(n);
	if (w->timed)
		_co_timer_stop(self);
	if (w->joins)
		_co_join_leave(self);
	w->fired = _CO_ABORT;
	w->result = -ECANCELED;
	self->wait = 0;
	return 1;
}

int co_cancel(int id)
{
	struct co *c = id < 0 ? 0 : _co_find(id);

	if (!c)
		return -ESRCH;
	_co_cancelled = cancelled;
	_co_unjoin = _co_join_leave;
	if (c->wait && c->wait != &_co_main_in_run)
		_co_fire(c, _CO_ABORT, -ECANCELED);     /* blocked: it ends now */
	else
		pending[c - _co_cos] = c->id + 1;       /* at its next wait */
	return 0;
}
