/*
 * sched.c - the scheduler: the ready ring, waits, the id table, and
 * co_spawn, co_yield, co_exit, co_join, co_run.
 *
 * Every coroutine but main owns a slot of the stack pool (pool.c), taken
 * by co_spawn and given back by co_exit; _co_cos[0] is main.
 *
 * A coroutine's states are listed with struct co, in internal.h.  A live
 * coroutine's id also hangs in the id table, so co_join finds it in O(1);
 * an id that is not there but was handed out has finished.
 *
 * Blocking: a coroutine that waits (co_join, co_run, a channel, a wait
 * queue, a timer, an fd) describes its wait in a struct _co_wait on its own
 * stack and calls _co_wait; whoever ends the wait calls _co_fire, which
 * takes the coroutine's nodes off every queue they are on, stops its timer
 * and makes it ready.  A wait can end once: a second _co_fire is ignored.
 */
#include "coroutine.h"
#include "print.h"
#include "syscalls.h"
#include "internal.h"
#if CO_VALGRIND
#include <memcheck.h>           /* valgrind's client requests (make VALGRIND=1) */
#endif

#define cos _co_cos
#define MAIN (&cos[0])
struct co *_co_running;                 /* set to main by _co_init */

/* ---- queues ------------------------------------------------------------ */

/* A join queue: the last coroutine to join, or 0; through ->next, a
 * circular list, so the last's ->next is the first.  One pointer, where a
 * head and a tail would take two: struct co keeps to one cache line. */
static void enqueue(struct co **last, struct co *c)
{
	struct co *l = *last;

	c->next = l ? l->next : c;
	if (l)
		l->next = c;
	*last = c;
}

/* The ready ring.  The FIFO scheduler keeps the running coroutine and the
 * ready ones in one circular list, doubly linked (->ring forward, ->prev
 * back), in the order they run:
 *
 *     _co_running -> first ready -> ... -> last ready (->prev) -> _co_running
 *
 * so that the commonest operation, a yield, is one load and one store:
 * _co_running = _co_running->ring, with no test (a coroutine alone on the
 * ring switches to itself).  Its order is the queue's: the caller goes
 * behind the rest, the head runs.  Making c ready puts it between
 * _co_running->prev and _co_running; a coroutine that blocks or finishes
 * leaves the ring as it switches out (run_next).  No one is ready when
 * _co_running->ring == _co_running.  With priorities each level is such a
 * ring (prio.c), the running coroutine on its level's, and co_yield turns
 * it the same way. */
const struct _co_levels *_co_levels;            /* internal.h */
_Static_assert(__builtin_offsetof(struct co, ring) == sizeof(void *),
	       "switch.S's co_yield reads ->ring one word after ->sp");

void _co_ready(struct co *c)
{
	c->wait = 0;
	if (_co_levels) {
		_co_levels->put(c);
		return;
	}
	c->ring = _co_running;
	c->prev = _co_running->prev;
	_co_running->prev->ring = c;
	_co_running->prev = c;
}

int _co_nothing_ready(void)
{
	if (_co_levels)
		return _co_levels->empty();
	return _co_running->ring == _co_running;
}

/* ---- waiting --------------------------------------------------------------- */

void _co_enqueue_node(struct co_queue *q, struct _co_node *n, struct _co_wait *w)
{
	n->co = _co_running_index();
	n->wait = w;
	n->q = q;
	n->next = 0;
	n->prev = q->tail;
	if (q->tail)
		q->tail->next = n;
	else
		q->head = n;
	q->tail = n;
	n->sib = w->nodes;
	w->nodes = n;
}

void _co_unlink_node(struct _co_node *n)
{
	struct co_queue *q = n->q;

	if (!q)
		return;
	*(n->prev ? &n->prev->next : &q->head) = n->next;
	*(n->next ? &n->next->prev : &q->tail) = n->prev;
	n->q = 0;
}

void (*_co_timer_stop)(struct co *c);
void (*_co_unjoin)(struct co *c);
int (*_co_cancelled)(struct co *self);

void _co_fire(struct co *c, int k, int result)
{
	struct _co_wait *w = c->wait;

	if (!w)
		return;                 /* its wait has already ended */
	for (struct _co_node *n = w->nodes; n; n = n->sib)
		_co_unlink_node(n);
	if (w->timed)
		_co_timer_stop(c);
	if (w->joins)
		_co_unjoin(c);
	w->fired = k;
	w->result = result;
	_co_ready(c);
}

/* Make every coroutine of the join queue ready, in order (prio.c's put
 * writes ->next: read it first). */
static void ready_joiners(struct co *last)
{
	struct co *c = last ? last->next : 0, *n;

	for (; c; c = c == last ? 0 : n) {
		n = c->next;
		_co_ready(c);
	}
}

/* ---- the id table ------------------------------------------------------ */

static struct co **id_bucket(int id)
{
	return &_co_sched.by_id[(unsigned)id & (_CO_ID_BUCKETS - 1)];
}

static void id_insert(struct co *c)
{
	struct co **b = id_bucket(c->id);

	c->id_next = *b;
	*b = c;
}

/* Chains are short: ids are handed out in order and at most CO_CAPACITY
 * (<= _CO_ID_BUCKETS) are alive, so most buckets hold one coroutine or none. */
static void id_remove(struct co *c)
{
	struct co **p = id_bucket(c->id);

	while (*p != c)
		p = &(*p)->id_next;
	*p = c->id_next;
}

/* Inlined into each caller: with _co_find (for prio.c) a third, the compiler
 * would make it a function, and every program pay for the call. */
static inline __attribute__((always_inline)) struct co *id_find(int id)
{
	struct co *c = *id_bucket(id);

	while (c && c->id != id)
		c = c->id_next;
	return c;
}

/* Called by _co_start_c before main: the ready ring, main alone. */
void _co_init(void)
{
#if CO_VALGRIND
	/* valgrind reads a program's symbols and lines only once it has seen
	 * both its segments mapped from the file: a program with no
	 * initialised data, whose data segment is all .bss, gets one byte. */
	static volatile char in_file = 1;

	(void)in_file;                  /* a load: the linker keeps the byte */
#endif

	_co_running = MAIN;                     /* the ready ring: main alone */
	MAIN->ring = MAIN->prev = MAIN;
}

/* ---- switching --------------------------------------------------------- */

/* What each blocked coroutine waits for, the first DEADLOCK_LINES of them.
 * Only a coroutine blocked in _co_wait (co_join, a channel, a wait queue)
 * can be part of a deadlock, and _co_wait sets this hook: a program that
 * never blocks so carries no report. */
#define DEADLOCK_LINES 16

/* Each line begins with the newline that ends the one before (deadlock()
 * writes the last); the numbers the templates do not read are left unset. */
static void report_waits(void)
{
	unsigned shown = 0;
	struct co *c = cos, *end = cos + 1 + _co_sched.never_used;

	for (; c < end; c++) {
		struct _co_wait *w = c->wait;

		if (w && shown++ < DEADLOCK_LINES) {
			co_put_fmt(2, "\n  coroutine # ", c->id, _co_unset(), _co_unset(), _co_unset());
			co_put_fmt(2, w->why, w->arg, _co_unset(), _co_unset(), _co_unset());
		}
	}
	if (shown > DEADLOCK_LINES)
		co_put_fmt(2, "\n  and # more", shown - DEADLOCK_LINES, _co_unset(), _co_unset(), _co_unset());
}

static void (*deadlock_report)(void);

/* Every live coroutine is blocked and none can wake another: say so, and
 * on what each waits, and exit. */
static _Noreturn void deadlock(void)
{
	co_put_err("deadlock: every coroutine waits for another", 0);
	if (deadlock_report)
		deadlock_report();
	co_put_str(2, "\n");
	co_exit_process(CO_EXIT_DEADLOCK);
}

/* The caller, self, is not ready (it blocked or finished): run the next
 * ready coroutine.  Returns when someone makes self ready and it is its
 * turn.  (The poller, timer.c, is ready while anyone waits for time or an
 * fd, so an empty queue means that nothing can wake anyone.) */
static void run_next(struct co *self)
{
	struct co *next = self->ring;

	if (_co_levels) {                       /* self leaves its level */
		next = _co_levels->take(self);
	} else if (next != self) {              /* self leaves the ring */
		self->prev->ring = next;
		next->prev = self->prev;
	} else {
		next = 0;
	}
	if (!next) {
		if (_co_sched.main_gone && !_co_sched.live)
			co_exit_process(0);
		deadlock();
	}
	_co_running = next;
	_co_switch(&self->sp, &next->sp);
}

#if !ARCH_YIELD
/* The ring turns: self becomes the last, the first ready runs (self again
 * if it is alone).  x86_64 has it in switch.S, the switch inlined. */
void co_yield(void)
{
	struct co *self = _co_running, *next = self->ring;

	_co_running = next;
#if CO_PREFETCH
	{       /* the frame of the coroutine CO_PREFETCH places ahead (coroutine.h) */
		struct co *ahead = next;

		for (int i = 1; i < CO_PREFETCH; i++)
			ahead = ahead->ring;
		for (int off = -8; off < _CO_FRAME_SIZE; off += 64)
			__builtin_prefetch((char *)ahead->sp + off);
	}
#endif
	_co_switch(&self->sp, &next->sp);
}
#endif

void _co_wait(struct _co_wait *w)
{
	struct co *self = _co_running;

	deadlock_report = report_waits;
	self->wait = w;
	if (_co_cancelled && _co_cancelled(self))
		return;                 /* a cancel was pending (cancel.c) */
	run_next(self);
}

/* ---- the API ----------------------------------------------------------- */

int co_spawn(void (*fn)(void *), void *arg)
{
	struct co *c;
	int err = -EAGAIN;

	if (!fn)
		return -EINVAL;
	if (_co_sched.last_id == 0x7fffffff || !(c = _co_slot_take(&err)))
		return err;
#if CO_VALGRIND
	/* memcheck: what an earlier coroutine left in the chunk is no value of
	 * the new one's, and reading it is an error (the canary word aside,
	 * which GUARD=0 builds read at the finish and no coroutine writes). */
	VALGRIND_MAKE_MEM_UNDEFINED(stack_pool[_co_chunk(c)] + CO_GUARD_SIZE + sizeof(long),
				    CO_STACK_SIZE - CO_GUARD_SIZE - sizeof(long));
#endif
	c->id = ++_co_sched.last_id;
	c->joiners = 0;
	c->prio = _co_running->prio;      /* its spawner's level */
	c->sp = _co_frame(_co_first_frame(c), _co_stack_top(c), fn, arg);  /* no page of the stack touched */
	id_insert(c);
	_co_sched.live++;
	_co_ready(c);
	return c->id;
}

int co_self(void)
{
	return _co_running->id;
}

/* main's wait in co_run, ended by the last coroutine to finish. */
struct _co_wait _co_main_in_run;
#define main_in_run _co_main_in_run

_Noreturn void co_exit(void)
{
	struct co *self = _co_running;

	if (self == MAIN) {
		_co_sched.main_gone = 1;
	} else {
		_co_check_canary(self);
		id_remove(self);
		ready_joiners(self->joiners);
		_co_sched.live--;
		_co_sched.finished++;
		if (!_co_sched.live && MAIN->wait == &main_in_run)
			_co_ready(MAIN);
		/* Our chunk is free from here on, but nobody can take it
		 * before we have switched away: there is no one else running. */
		_co_slot_give(self);
	}
	run_next(self);
	__builtin_unreachable();
}

/* co_join, and co_join_for with wait_for = _co_wait_for (timer.c): a
 * pointer, so that co_join alone does not link the timers. */
static inline __attribute__((always_inline))
int join(int id, long long timeout_ns, int (*wait_for)(struct _co_wait *, long long))
{
	struct _co_wait w = { .why = "waits to join coroutine #", .arg = id, .joins = 1 };
	struct co *self = _co_running, *target;

	if (id < 0 || id > _co_sched.last_id)
		return -ESRCH;
	if (id == self->id)
		return -EDEADLK;
	if (id == 0)
		return -EINVAL;
	target = id_find(id);
	if (!target)
		return 0;               /* it has finished already */
	if (!timeout_ns)
		return -ETIMEDOUT;
	enqueue(&target->joiners, self);
	if (wait_for)
		return wait_for(&w, timeout_ns);
	_co_wait(&w);
	return w.result;        /* 0, or -ECANCELED (cancel.c) */
}

int co_join(int id)
{
	return join(id, -1, 0);
}

/* c, whose join ends by its timeout or a cancel, leaves the
 * join queue of the coroutine it waited for (still alive: the wait has not
 * ended).  The queue is circular through ->next, its last element kept. */
void _co_join_leave(struct co *c)
{
	struct co *t = id_find(c->wait->arg), *p = t->joiners;

	while (p->next != c)
		p = p->next;
	if (p == c)
		t->joiners = 0;                 /* it was alone */
	else if (p->next = c->next, t->joiners == c)
		t->joiners = p;
}

int co_join_for(int id, long long timeout_ns)
{
	int r;

	_co_unjoin = _co_join_leave;
	r = join(id, timeout_ns, _co_wait_for);
	/* The finish makes joiners ready without _co_fire (co_exit stays
	 * small): the timer is ours to stop; expire skips it meanwhile. */
	if (_co_timer_stop)
		_co_timer_stop(_co_running);
	return r;
}

int co_run(void)
{
	if (_co_running != MAIN)
		return -EPERM;
	if (_co_sched.live) {           /* not _co_wait: co_run alone cannot deadlock */
		main_in_run.why = "(main) waits in co_run";
		MAIN->wait = &main_in_run;
		run_next(MAIN);
	}
	return 0;
}

long co_stack_peak(int id)
{
	struct co *c = id_find(id);     /* NULL for 0 and for negative ids too */

	if (!c)
		return id ? -ESRCH : -EINVAL;
	return _co_stack_peak_of(c);
}

struct co *_co_find(int id)
{
	return id ? id_find(id) : _co_sched.main_gone ? 0 : MAIN;
}

unsigned long co_finished_count(void) { return _co_sched.finished; }
