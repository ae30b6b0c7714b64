/*
 * prio.c - priorities (the contract: coroutine.h).  The ready coroutines wait
 * in CO_PRIORITIES FIFO queues, one per level, beside a bitmap of the levels
 * that hold any: the next to run, the head of the highest such level, is
 * one count of leading zeros away.
 *
 * Until the first co_set_priority, sched.c runs its one FIFO queue, and
 * co_yield its plain path.  That call moves the ready coroutines here, in
 * order, and sets the hook _co_levels (internal.h), through which sched.c
 * then puts and takes every ready coroutine.  A program that never calls it
 * links nothing of this file.
 *
 * The poller (timer.c) has no level.  It waits aside and takes its turn
 * after as many others as were ready when it was put: once per pass, as in
 * the one queue.  On the top level it would run again at each of its own
 * yields and starve the rest; on any level, coroutines above it would starve
 * it, and with it every sleeper.
 */
#include "coroutine.h"
#include "syscalls.h"
#include "internal.h"

_Static_assert(CO_PRIORITIES >= 1 && CO_PRIORITIES <= 32,
	       "CO_PRIORITIES: 1 to 32 levels, one bit each of the bitmap");

#define POLLER (&_co_cos[_CO_POLLER])

static struct _co_fifo level[CO_PRIORITIES];  /* each FIFO through ->next */
static unsigned filled;         /* bit l: level[l] holds a coroutine */
static unsigned count;          /* coroutines in the levels */
static struct co *poller;       /* the poller while it is ready */
static unsigned due;            /* takes of others before the poller's turn */

static unsigned level_of(struct co *c)
{
	return c->prio + CO_PRIO_DEFAULT;
}

/* Make c ready: the tail of its level (the poller: its turn, one pass on). */
static void put(struct co *c)
{
	unsigned l = level_of(c);
	struct _co_fifo *q = &level[l];

	if (c == POLLER) {
		poller = c;
		due = count;
		return;
	}
	c->next = 0;
	if (q->head)
		q->tail->next = c;
	else
		q->head = c;
	q->tail = c;
	filled |= 1u << l;
	count++;
}

/* The next to run, taken off: the poller when its turn has come or no one
 * else is ready, else the head of the highest level; 0 if none is ready. */
static struct co *take(void)
{
	struct co *c = poller;
	unsigned l;

	if (c && (!due || !filled)) {
		poller = 0;
		return c;
	}
	if (!filled)
		return 0;
	if (poller)
		due--;
	l = 31 - __builtin_clz(filled);
	c = level[l].head;
	if (!(level[l].head = c->next))
		filled &= ~(1u << l);
	count--;
	return c;
}

static int empty(void)
{
	return !filled && !poller;
}

/* Take c off its level if it is ready there: 1 if it was, 0 if it was not
 * (running or blocked).  A walk along that level. */
static int leave(struct co *c)
{
	unsigned l = level_of(c);
	struct co *prev = 0, *x = level[l].head;

	while (x && x != c) {
		prev = x;
		x = x->next;
	}
	if (!x)
		return 0;
	*(prev ? &prev->next : &level[l].head) = c->next;
	if (level[l].tail == c)
		level[l].tail = prev;
	if (!level[l].head)
		filled &= ~(1u << l);
	count--;
	return 1;
}

int co_set_priority(int id, int lvl)
{
	static const struct _co_levels levels = { put, take, empty };
	struct co *c = _co_find(id), *r;
	int ready;

	if (!c)
		return -ESRCH;
	if (lvl < 0 || lvl >= CO_PRIORITIES)
		return -EINVAL;
	if (!_co_levels) {              /* the first call: the levels replace the queue */
		while ((r = _co_take_ready()))
			put(r);
		_co_levels = &levels;
	}
	if ((unsigned)lvl == level_of(c))
		return 0;               /* a ready one keeps its place */
	ready = leave(c);
	c->prio = (signed char)(lvl - CO_PRIO_DEFAULT);
	if (ready)
		put(c);                 /* the tail of its new level */
	return 0;
}

int co_priority(int id)
{
	struct co *c = _co_find(id);

	return c ? (int)level_of(c) : -ESRCH;
}
