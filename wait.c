/*
 * wait.c - wait queues and counting semaphores (the contract: coroutine.h).
 *
 * A co_queue is a doubly linked list of nodes, one per waiting coroutine,
 * each on its waiter's stack (sched.c's _co_enqueue_node): no allocation,
 * O(1) to join, to wake the oldest, and to leave at a timeout.
 */
#include "coroutine.h"
#include "syscalls.h"
#include "internal.h"

int co_wait(struct co_queue *q, long long timeout_ns)
{
	struct _co_wait w = { .why = "waits on a wait queue" };
	struct _co_node n = { .index = 0 };

	if (!q)
		return -EINVAL;
	if (!timeout_ns)
		return -ETIMEDOUT;
	_co_enqueue_node(q, &n, &w);
	return _co_wait_for(&w, timeout_ns);
}

int co_wake_one(struct co_queue *q)
{
	struct _co_node *n;

	if (!q)
		return -EINVAL;
	if (!(n = q->head))
		return 0;
	_co_fire(&_co_cos[n->co], n->index, 0);
	return 1;
}

int co_wake_all(struct co_queue *q)
{
	int woken = 0;

	if (!q)
		return -EINVAL;
	while (co_wake_one(q))
		woken++;
	return woken;
}

int co_sem_wait(struct co_sem *s, long long timeout_ns)
{
	struct _co_wait w = { .why = "waits on a semaphore" };
	struct _co_node n = { .index = 0 };

	if (!s)
		return -EINVAL;
	if (s->count > 0) {
		s->count--;
		return 0;
	}
	if (!timeout_ns)
		return -ETIMEDOUT;
	_co_enqueue_node(&s->waiters, &n, &w);
	return _co_wait_for(&w, timeout_ns);    /* co_sem_post handed it a unit */
}

int co_sem_post(struct co_sem *s)
{
	if (!s)
		return -EINVAL;
	if (s->waiters.head)                    /* a unit straight to the oldest */
		return co_wake_one(&s->waiters) - 1;
	if (s->count == __LONG_MAX__)
		return -EOVERFLOW;
	s->count++;
	return 0;
}
