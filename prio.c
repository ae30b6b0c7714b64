/*
 * prio.c - priorities (the contract: coroutine.h).  Each of the
 * CO_PRIORITIES levels is a ring, like sched.c's one ready ring (->ring
 * forward, ->prev back, in the order they run), beside a bitmap of the
 * levels that hold any coroutine: the highest is one count of leading zeros
 * away.
 *
 * Until the first co_set_priority, sched.c runs its one ring.  That call
 * makes the ring the default level's (every coroutine is there: levels are
 * inherited, main starts there) and sets the hook _co_levels (internal.h),
 * through which sched.c then puts every coroutine made ready and takes the
 * next when one blocks or finishes.  A program that never calls it links
 * nothing of this file.
 *
 * co_yield is not a hook: it turns the ring it finds, _co_running =
 * _co_running->ring, the same instructions as without priorities.  So the
 * running coroutine stays on its level's ring (the running level, cur), and
 * a yield between coroutines of one level costs what a plain one does.
 * When a level above cur becomes ready, the running coroutine is
 * *diverted*: its ->ring, the one link its next yield reads, is pointed at
 * that level's head, its true successor kept aside:
 *
 *     level 6:            H1 -> H2 -> H1 ...
 *                         ^
 *     level 4:   A -> [B] |          B runs; its ->ring leads to H1,
 *                ^     '--'          A (its successor) is kept in succ
 *                '--- C <--'
 *
 * Its yield then switches to H1, and the next call into this file
 * (settle) mends B's link and makes level 6 the running one.  If B blocks
 * or finishes instead, the link is mended and B leaves as usual.
 *
 * The poller (timer.c) has no level.  While ready it sits on the ring of the
 * highest level that holds a coroutine, and moves with it, so it takes its
 * turn once per pass of whoever runs: coroutines above it cannot starve it,
 * and it cannot starve them.  Besides, a coroutine that blocks or finishes
 * counts one of the poller's "due" turns down (set at each of its turns to
 * the number of coroutines ready then): at zero, the poller runs next, so
 * coroutines that keep waking each other across levels (its ring changing
 * under it) cannot starve it either.
 */
#include "coroutine.h"
#include "syscalls.h"
#include "internal.h"

_Static_assert(CO_PRIORITIES >= 1 && CO_PRIORITIES <= 32,
	       "CO_PRIORITIES: 1 to 32 levels, one bit each of the bitmap");

#define POLLER (&_co_cos[_CO_POLLER])
#define NONE CO_PRIORITIES      /* cur while no one runs (take) */

static struct co *tail[CO_PRIORITIES]; /* each ring by its last; 0: empty (not cur's) */
static unsigned members[CO_PRIORITIES]; /* on each ring, the poller not counted */
static unsigned filled;         /* bit l: members[l] != 0 */
static unsigned count;          /* members of every level */
static unsigned cur;            /* the running level: its ring holds _co_running */
static char poller_ready;       /* the poller is on a ring: poller_at's */
static unsigned poller_at;
static unsigned due;            /* takes before the poller runs next */
static struct co *diverted;     /* running, its ->ring at level divert_to's head */
static struct co *succ;         /* ... and its successor on its own ring */
static unsigned divert_to;

static unsigned level_of(struct co *c)
{
	return c->prio + CO_PRIO_DEFAULT;
}

static unsigned top(void)
{
	return 31 - __builtin_clz(filled);
}

/* The last of level l's ring (0: empty): on the running level, the one
 * before _co_running, who has gone behind it. */
static struct co *last(unsigned l)
{
	return l == cur ? _co_running->prev : tail[l];
}

/* c joins level l's ring as its last. */
static void append(struct co *c, unsigned l)
{
	struct co *t = last(l);

	if (t) {
		c->prev = t;
		c->ring = t->ring;
		t->ring->prev = c;
		t->ring = c;
	} else {
		c->ring = c->prev = c;
	}
	if (l != cur)
		tail[l] = c;
}

/* c leaves level l's ring.  The running coroutine leaves the running
 * level, which then has none running (NONE) until the caller says. */
static void unlink(struct co *c, unsigned l)
{
	if (c == _co_running && l == cur) {
		tail[l] = c->prev;
		cur = NONE;
	}
	if (c->ring == c) {
		tail[l] = 0;
		return;
	}
	if (tail[l] == c)
		tail[l] = c->prev;
	c->prev->ring = c->ring;
	c->ring->prev = c->prev;
}

static void count_in(unsigned l)
{
	members[l]++;
	count++;
	filled |= 1u << l;
}

static void count_out(unsigned l)
{
	count--;
	if (!--members[l])
		filled &= ~(1u << l);
}

/* The poller to level l's ring, as its last (if it runs, l runs). */
static void poller_move(unsigned l)
{
	struct co *p = POLLER;
	int runs = p == _co_running && cur != NONE;

	unlink(p, poller_at);
	append(p, l);
	poller_at = l;
	if (runs)
		cur = l;
}

/* A yield may have followed the diversion: mend the diverted link (and,
 * if it did, its level's ring has gone behind the higher one's).  Every
 * entry to this file starts here, and ends with divert(). */
static void settle(void)
{
	if (!diverted)
		return;
	diverted->ring = succ;
	if (_co_running != diverted) {
		tail[cur] = diverted;   /* it yielded: the last of its level */
		cur = divert_to;
	}
	diverted = 0;
}

/* The poller to the highest level; the running coroutine's next yield to
 * that level's head if it is above the running one. */
static void divert(void)
{
	unsigned h;

	if (!filled)
		return;
	h = top();
	if (poller_ready && poller_at != h)
		poller_move(h);
	if (h > cur) {
		diverted = _co_running;
		succ = diverted->ring;
		divert_to = h;
		diverted->ring = tail[h]->ring;
	}
}

/* Make c ready: the last of its level (the poller: of the highest). */
static void put(struct co *c)
{
	settle();
	if (c == POLLER) {
		poller_ready = 1;
		due = count - 1;        /* the others ready: the caller runs */
		poller_at = filled ? top() : cur;
		append(c, poller_at);
	} else {
		append(c, level_of(c));
		count_in(level_of(c));
	}
	divert();
}

/* self, running, blocks or finishes: it leaves its ring; the next to run,
 * the head of the highest level (or the poller, when due), or 0. */
static struct co *take(struct co *self)
{
	unsigned l;

	settle();
	l = cur;
	unlink(self, l);
	if (self == POLLER)
		poller_ready = 0;
	else
		count_out(l);
	if (!filled) {
		if (!poller_ready)
			return 0;
		cur = poller_at;        /* the poller alone */
		return POLLER;
	}
	l = top();
	if (poller_ready && (!due || poller_at != l)) {
		poller_move(l);
		if (!due)
			tail[l] = POLLER->prev; /* its turn: the head */
	}
	if (poller_ready && due)
		due--;
	cur = l;
	return tail[l]->ring;
}

/* Is no coroutine ready but the running one?  Asked by the poller at each
 * of its turns, which sets its next due count. */
static int empty(void)
{
	int none;

	settle();
	none = _co_running->ring == _co_running && !(filled & ~(1u << cur));
	due = count;
	divert();
	return none;
}

int co_set_priority(int id, int lvl)
{
	static const struct _co_levels levels = { put, take, empty };
	struct co *c = _co_find(id), *r;
	unsigned old;

	if (!c)
		return -ESRCH;
	if (lvl < 0 || lvl >= CO_PRIORITIES)
		return -EINVAL;
	if (!_co_levels) {              /* the first call: the ring is level default's */
		cur = CO_PRIO_DEFAULT;
		r = _co_running;
		do {
			if (r == POLLER) {
				poller_ready = 1;
				poller_at = cur;
			} else {
				count_in(cur);
			}
		} while ((r = r->ring) != _co_running);
		due = count;
		_co_levels = &levels;
	}
	old = level_of(c);
	if ((unsigned)lvl == old)
		return 0;               /* a ready one keeps its place */
	settle();
	if (c == _co_running || !c->wait) {     /* running or ready: it moves */
		int runs = c == _co_running;

		unlink(c, old);
		count_out(old);
		c->prio = (signed char)(lvl - CO_PRIO_DEFAULT);
		append(c, (unsigned)lvl);       /* the tail of its new level */
		count_in((unsigned)lvl);
		if (runs)
			cur = (unsigned)lvl;
	} else {
		c->prio = (signed char)(lvl - CO_PRIO_DEFAULT);
	}
	divert();
	return 0;
}

int co_priority(int id)
{
	struct co *c = _co_find(id);

	return c ? (int)level_of(c) : -ESRCH;
}
