/*
 * chan.c - channels and select (the contract: coroutine.h).
 *
 * A channel is a ring of cap messages (none for a rendezvous channel) and
 * two wait queues: blocked senders, whose nodes point at the message they
 * offer, and blocked receivers, whose nodes point at where a message goes.
 * Whoever completes a blocked coroutine's operation does its copy for it,
 * then ends its wait with _co_fire(c, case index, result) (complete does
 * it inline for a one-node untimed wait): so when the blocked coroutine
 * runs again its operation is already done, and nothing can overtake it.
 * co_send and co_recv try their channel directly and block with one node:
 * select_why's loops are for co_select.
 *
 * The invariants, between any two calls:
 *   - receivers wait only while the ring is empty, and senders only while
 *     it is full (a rendezvous channel is both): so a send hands its message
 *     to the oldest receiver if one waits, and a receive takes the ring's
 *     oldest message, then moves the oldest waiting sender's into the ring;
 *     no message overtakes another;
 *   - a closed channel has no waiting senders (co_chan_close woke them), and
 *     receivers wait on it only while it is open;
 *   - every node on a queue belongs to a coroutine that still waits:
 *     _co_fire takes all of a wait's nodes off their queues as it ends it,
 *     whoever ends it (a sender, a receiver, co_chan_close or the timer);
 *   - the running coroutine has no node on any queue, so an operation never
 *     meets its own select: a select tries every case before it puts any
 *     node on a queue, and a select with a send and a receive on one
 *     rendezvous channel can only be met by another coroutine.
 */
#include "coroutine.h"
#include "syscalls.h"
#include "internal.h"

int co_chan_init(struct co_chan *ch, unsigned size, void *buf, unsigned capacity)
{
	if (!ch || !size || (capacity && (!buf || capacity > ~0UL / size)))
		return -EINVAL;
	*ch = (struct co_chan){ CO_CHAN_MAGIC, size, capacity, 0, 0, 0, buf, { 0, 0 }, { 0, 0 } };
	return 0;
}

/* Has ch been made by co_chan_init or CO_CHAN_DECLARE? */
static inline __attribute__((always_inline)) int valid(const struct co_chan *ch)
{
	return ch && ch->magic == CO_CHAN_MAGIC && ch->size;
}

/* Slot i of the ring (0: the oldest message; i < cap).  No division:
 * armv7-a has no divide instruction. */
static void *slot(struct co_chan *ch, unsigned i)
{
	unsigned to_end = ch->cap - ch->head;

	i = i < to_end ? ch->head + i : i - to_end;
	return ch->buf + (unsigned long)i * ch->size;
}

/* Copy a message: a word at a time while a word is left, then bytes (no
 * alignment asked of either side: __builtin_memcpy of a word is one
 * unaligned load and store where the machine has them).  Not memcpy: at
 * -Os the compiler's inline memcpy on x86 is a `rep movsb`, slow to start. */
static void copy(struct co_chan *ch, void *dst, const void *src)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	unsigned n = ch->size;

	for (; n >= sizeof(long); n -= sizeof(long), d += sizeof(long), s += sizeof(long))
		__builtin_memcpy(d, s, sizeof(long));
	for (; n; n--)
		*d++ = *s++;
}

/* Copy a message and end the wait of the coroutine whose node n is, n the
 * head of its queue.  A wait of that one node, untimed and not a join (a
 * co_send or co_recv without a timeout): its ending inline, as _co_fire
 * would do it; any other through _co_fire. */
static void complete(struct co_chan *ch, struct _co_node *n, void *dst, const void *src)
{
	struct co *c = &_co_cos[n->co];
	struct _co_wait *w = n->wait;

	copy(ch, dst, src);
	if (n->sib || w->nodes != n || w->timed || w->joins) {
		_co_fire(c, n->index, 0);
		return;
	}
	if ((n->q->head = n->next))
		n->next->prev = 0;
	else
		n->q->tail = 0;
	n->q = 0;
	w->fired = n->index;
	w->result = 0;
	_co_ready(c);
}

/* Send msg without waiting: 0, -ESHUTDOWN, or -EAGAIN if it must wait. */
static int try_send(struct co_chan *ch, const void *msg)
{
	struct _co_node *r = ch->receivers.head;

	if (ch->closed)
		return -ESHUTDOWN;
	if (r) {                                /* the ring is empty: hand it over */
		complete(ch, r, r->msg, msg);
		return 0;
	}
	if (ch->count == ch->cap)
		return -EAGAIN;
	copy(ch, slot(ch, ch->count++), msg);
	return 0;
}

/* Receive into msg without waiting: 0, -EPIPE, or -EAGAIN if it must wait. */
static int try_recv(struct co_chan *ch, void *msg)
{
	struct _co_node *s = ch->senders.head;

	if (ch->count) {                        /* the oldest, then refill */
		copy(ch, msg, slot(ch, 0));
		if (++ch->head == ch->cap)
			ch->head = 0;
		ch->count--;
		if (s)
			complete(ch, s, slot(ch, ch->count++), s->msg);
		return 0;
	}
	if (s) {                                /* a rendezvous */
		complete(ch, s, msg, s->msg);
		return 0;
	}
	return ch->closed ? -EPIPE : -EAGAIN;
}

static int try_case(struct co_case *c)
{
	return c->op == CO_SEND ? try_send(c->ch, c->msg) : try_recv(c->ch, c->msg);
}

/* co_select, with the sentence the deadlock report gives the wait. */
static int select_why(struct co_case *cases, int n, long long timeout_ns, const char *why)
{
	struct _co_wait w;
	int i, r;

	if (!cases || n < 1)
		return -EINVAL;
	for (i = 0; i < n; i++) {               /* check them all before doing one */
		if (!valid(cases[i].ch) || (cases[i].op != CO_SEND && cases[i].op != CO_RECV))
			return -EINVAL;
		if (!cases[i].msg)
			return -EFAULT;
	}
	for (i = 0; i < n; i++)                 /* the first ready one wins */
		if ((r = try_case(&cases[i])) != -EAGAIN)
			return cases[i].result = r, i;
	if (!timeout_ns)
		return -EAGAIN;
	w.why = why;                            /* only now: the fast path sets nothing */
	w.arg = n;
	w.nodes = 0;
	w.timed = 0;
	w.joins = 0;
	for (i = 0; i < n; i++) {
		struct co_chan *ch = cases[i].ch;

		cases[i].node.index = i;
		cases[i].node.msg = cases[i].msg;
		_co_enqueue_node(cases[i].op == CO_SEND ? &ch->senders : &ch->receivers,
				 &cases[i].node, &w);
	}
	if ((r = _co_wait_for(&w, timeout_ns)))
		return r;                       /* -ETIMEDOUT, -ECANCELED */
	cases[w.fired].result = w.result;       /* the waker did the copy */
	return w.fired;
}

/* Set by coroutine.h's CO_FD_READ and CO_FD_WRITE: event.c's select, which
 * takes fd cases too (a program whose selects name no fd links none of it). */
int (*_co_select_fd)(struct co_case *cases, int n, long long timeout_ns);

int co_select(struct co_case *cases, int n, long long timeout_ns)
{
	if (_co_select_fd)
		return _co_select_fd(cases, n, timeout_ns);
	return select_why(cases, n, timeout_ns, "waits in co_select on # channels");
}

/* For event.c's select: channel case c checked (mode 0: 0, -EINVAL or
 * -EFAULT, as select_why), tried (1: 0 or its error if done, -EAGAIN if
 * not), or put on its queue for w (2). */
int _co_chan_case(struct co_case *c, int mode, struct _co_wait *w)
{
	if (mode == 0)
		return !valid(c->ch) || (c->op != CO_SEND && c->op != CO_RECV) ? -EINVAL :
		       c->msg ? 0 : -EFAULT;
	if (mode == 1)
		return try_case(c);
	c->node.msg = c->msg;
	_co_enqueue_node(c->op == CO_SEND ? &c->ch->senders : &c->ch->receivers, &c->node, w);
	return 0;
}

/* co_send and co_recv: a select of one case, without select_why's loops.
 * The blocking part on its own, out of the way of the fast one. */
static __attribute__((noinline))
int block(struct co_queue *q, void *msg, long long timeout_ns, const char *why)
{
	struct _co_wait w = { .why = why, .arg = 1 };
	struct _co_node n;
	int r;

	n.index = 0;
	n.msg = msg;
	_co_enqueue_node(q, &n, &w);
	if ((r = _co_wait_for(&w, timeout_ns)))
		return r;                       /* -ETIMEDOUT, -ECANCELED */
	return w.result;                        /* the waker did the copy */
}

int co_send(struct co_chan *ch, const void *msg, long long timeout_ns)
{
	int r;

	if (!valid(ch))
		return -EINVAL;
	if (!msg)
		return -EFAULT;
	if ((r = try_send(ch, msg)) != -EAGAIN || !timeout_ns)
		return r;
	return block(&ch->senders, (void *)msg, timeout_ns, "waits to send on a channel");
}

int co_recv(struct co_chan *ch, void *msg, long long timeout_ns)
{
	int r;

	if (!valid(ch))
		return -EINVAL;
	if (!msg)
		return -EFAULT;
	if ((r = try_recv(ch, msg)) != -EAGAIN || !timeout_ns)
		return r;
	return block(&ch->receivers, msg, timeout_ns, "waits to receive on a channel");
}

/* End the wait of every coroutine waiting on q, a queue of the closed ch.
 * Each of its cases on ch is now ready (and none on another channel, or it
 * would not wait): the first in its array wins, as when it finds ch closed,
 * whichever queue it is met on. */
static void wake_closed(struct co_chan *ch, struct co_queue *q)
{
	for (struct _co_node *n, *m, *first; (n = q->head); ) {
		for (first = n, m = n->wait->nodes; m; m = m->sib)
			if ((m->q == &ch->senders || m->q == &ch->receivers) && m->index < first->index)
				first = m;
		_co_fire(&_co_cos[n->co], first->index,
			 first->q == &ch->senders ? -ESHUTDOWN : -EPIPE);
	}
}

int co_chan_close(struct co_chan *ch)
{
	if (!valid(ch))
		return -EINVAL;
	if (ch->closed)
		return -EALREADY;
	ch->closed = 1;
	wake_closed(ch, &ch->senders);          /* -ESHUTDOWN: their messages were not sent */
	wake_closed(ch, &ch->receivers);        /* -EPIPE: the ring is empty if they wait */
	return 0;
}
