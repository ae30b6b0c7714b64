/*
 * bench/peers/threads.c - OS threads handing a token round a ring through
 * futexes: thread i waits on its own word until i - 1 sets it and wakes it,
 * then sets and wakes i + 1's.  Each hand-off is one switch: a FUTEX_WAKE by
 * the giver and a return from FUTEX_WAIT in the taker (bench/table.sh pins
 * every system to one CPU, so the taker runs when the giver sleeps).
 * Threads get 32 KiB stacks (pthread_attr_setstacksize); glibc keeps the
 * stacks of joined threads for reuse.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "peer.h"

const char peer_name[] = "threads";

struct word {
	atomic_int v;
} __attribute__((aligned(64)));         /* one cache line each */

static struct word turn[RSS_COUNT];     /* turn[i]: i holds the token */
static pthread_t tid[RSS_COUNT];
static atomic_int stop, ready, go;
static int ring_n;

static void futex(atomic_int *w, int op, int val)
{
	syscall(SYS_futex, w, op, val, 0, 0, 0);
}

static void give(int i)
{
	atomic_store(&turn[i].v, 1);
	futex(&turn[i].v, FUTEX_WAKE_PRIVATE, 1);
}

static void take(int i)
{
	while (!atomic_load(&turn[i].v))
		futex(&turn[i].v, FUTEX_WAIT_PRIVATE, 0);
	atomic_store(&turn[i].v, 0);
}

static void start(int i, void *(*fn)(void *))
{
	pthread_attr_t a;

	pthread_attr_init(&a);
	pthread_attr_setstacksize(&a, STACK_SIZE);
	if (pthread_create(&tid[i], &a, fn, (void *)(long)i)) {
		fprintf(stderr, "threads: pthread_create failed at %d\n", i);
		exit(1);
	}
	pthread_attr_destroy(&a);
}

static void *ring_body(void *arg)
{
	int i = (int)(long)arg;

	for (;;) {
		take(i);
		int last = atomic_load(&stop);  /* read while holding the token */

		give(i + 1 < ring_n ? i + 1 : 0);
		if (last)
			return 0;
	}
}

void ring_start(int n)
{
	ring_n = n;
	atomic_store(&stop, 0);
	for (int i = 1; i < n; i++)
		start(i, ring_body);
}

void ring_round(void)
{
	give(1);
	take(0);
}

/* The token goes round once more with stop set: each thread passes it on
 * and ends. */
void ring_stop(void)
{
	atomic_store(&stop, 1);
	ring_round();
	for (int i = 1; i < ring_n; i++)
		pthread_join(tid[i], 0);
}

static void *nothing(void *arg)
{
	return arg;
}

void spawn_batch(int k)
{
	for (int i = 0; i < k; i++)
		start(i, nothing);
	for (int i = 0; i < k; i++)
		pthread_join(tid[i], 0);
}

/* Each touches its 1 KiB, reports ready, and sleeps until go. */
static void *rss_body(void *arg)
{
	touch_1k();
	atomic_fetch_add(&ready, 1);
	futex(&ready, FUTEX_WAKE_PRIVATE, 1);
	while (!atomic_load(&go))
		futex(&go, FUTEX_WAIT_PRIVATE, 0);
	return arg;
}

static int rss_n;

void rss_start(int count)
{
	int r;

	rss_n = count;
	for (int i = 0; i < count; i++)
		start(i, rss_body);
	while ((r = atomic_load(&ready)) < count)
		futex(&ready, FUTEX_WAIT_PRIVATE, r);
}

void rss_stop(void)
{
	atomic_store(&go, 1);
	futex(&go, FUTEX_WAKE_PRIVATE, INT_MAX);
	for (int i = 0; i < rss_n; i++)
		pthread_join(tid[i], 0);
}

long stack_bytes(void)
{
	return STACK_SIZE;
}
