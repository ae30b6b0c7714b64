/*
 * bench/peers/ucontext.c - glibc's getcontext/makecontext/swapcontext: a
 * raw switch that also saves and restores the signal mask (a system call
 * each way).  The ring passes directly: coroutine i swaps to i + 1, the last
 * one back to main (uc[0]).  Each stack is malloc'd, STACK_SIZE bytes, as
 * swapcontext's users usually get theirs (glibc allocates none itself).
 */
#include <stdio.h>
#include <stdlib.h>
#include <ucontext.h>
#include "peer.h"

const char peer_name[] = "ucontext";

static ucontext_t uc[RSS_COUNT], back;
static void *stack[RSS_COUNT];
static int ring_n, live;

static void make(int i, void (*fn)(void), int arg)
{
	if (!(stack[i] = malloc(STACK_SIZE))) {
		fprintf(stderr, "ucontext: out of memory\n");
		exit(1);
	}
	getcontext(&uc[i]);
	uc[i].uc_stack.ss_sp = stack[i];
	uc[i].uc_stack.ss_size = STACK_SIZE;
	uc[i].uc_link = &back;
	makecontext(&uc[i], fn, 1, arg);
}

static void release(int from, int to)
{
	for (int i = from; i < to; i++)
		free(stack[i]);
}

static void ring_body(int i)
{
	int next = i + 1 < ring_n ? i + 1 : 0;

	for (;;)
		swapcontext(&uc[i], &uc[next]);
}

void ring_start(int n)
{
	ring_n = n;
	for (int i = 1; i < n; i++)
		make(i, (void (*)(void))ring_body, i);
}

void ring_round(void)
{
	swapcontext(&uc[0], &uc[1]);
}

/* The parked contexts are abandoned, their stacks freed. */
void ring_stop(void)
{
	release(1, ring_n);
}

static void nothing(void)
{
}

/* Returning from the function resumes uc_link (back). */
void spawn_batch(int k)
{
	for (int i = 0; i < k; i++)
		make(i, nothing, 0);
	for (int i = 0; i < k; i++)
		swapcontext(&back, &uc[i]);
	release(0, k);
}

static void rss_body(int i)
{
	touch_1k();
	swapcontext(&uc[i], &back);
}

void rss_start(int count)
{
	live = count;
	for (int i = 0; i < count; i++) {
		make(i, (void (*)(void))rss_body, i);
		swapcontext(&back, &uc[i]);
	}
}

void rss_stop(void)
{
	release(0, live);
}

long stack_bytes(void)
{
	return STACK_SIZE;
}
