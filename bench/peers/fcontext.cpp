/*
 * bench/peers/fcontext.cpp - boost.context's raw switch, jump_fcontext
 * (<boost/context/detail/fcontext.hpp>, Debian's libboost-context-dev): no
 * scheduler.  The ring passes directly: coroutine i jumps to i + 1, the last
 * one back to main.  A jump hands the context it leaves to the one it enters
 * (transfer_t::fctx), which stores it in its predecessor's place.
 */
#include <boost/context/detail/fcontext.hpp>
#include "peer.h"

using boost::context::detail::fcontext_t;
using boost::context::detail::transfer_t;
using boost::context::detail::jump_fcontext;
using boost::context::detail::make_fcontext;

extern "C" const char peer_name[] = "fcontext";

static fcontext_t ctx[RSS_COUNT];       /* ctx[i]: where coroutine i resumes; 0 is main */
static int ring_n;

static void *top(int i)
{
	return stack_at(i) + STACK_SIZE;
}

/* Started by main, parks at once; afterwards resumed by i - 1, on to i + 1. */
static void ring_body(transfer_t t)
{
	long i = (long)t.data, next = i + 1 < ring_n ? i + 1 : 0;

	t = jump_fcontext(t.fctx, 0);
	for (;;) {
		ctx[i - 1] = t.fctx;
		t = jump_fcontext(ctx[next], 0);
	}
}

extern "C" void ring_start(int n)
{
	ring_n = n;
	for (long i = 1; i < n; i++)
		ctx[i] = jump_fcontext(make_fcontext(top(i), STACK_SIZE, ring_body), (void *)i).fctx;
}

extern "C" void ring_round(void)
{
	ctx[ring_n - 1] = jump_fcontext(ctx[1], 0).fctx;
}

/* The parked contexts are abandoned: their stacks are made anew next time. */
extern "C" void ring_stop(void)
{
}

/* A coroutine that ends: it jumps back and is never resumed. */
static void nothing(transfer_t t)
{
	jump_fcontext(t.fctx, 0);
}

extern "C" void spawn_batch(int k)
{
	for (int i = 0; i < k; i++)
		ctx[i] = make_fcontext(top(i), STACK_SIZE, nothing);
	for (int i = 0; i < k; i++)
		jump_fcontext(ctx[i], 0);
}

static void rss_body(transfer_t t)
{
	touch_1k();
	jump_fcontext(t.fctx, 0);
}

extern "C" void rss_start(int count)
{
	for (int i = 0; i < count; i++)
		ctx[i] = jump_fcontext(make_fcontext(top(i), STACK_SIZE, rss_body), 0).fctx;
}

extern "C" void rss_stop(void)
{
}
