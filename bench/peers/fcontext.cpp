/*
 * bench/peers/fcontext.cpp - boost.context's raw switch, jump_fcontext
 * (<boost/context/detail/fcontext.hpp>, Debian's libboost-context-dev): no
 * scheduler.  The ring passes directly: coroutine i jumps to i + 1, the last
 * one back to main.  A jump hands the context it leaves to the one it enters
 * (transfer_t::fctx), which stores it in its predecessor's place.
 *
 * The stacks come from boost.context's own allocators, as its users get
 * them: fixedsize_stack (std::malloc of STACK_SIZE bytes each: glibc's heap
 * places them one after another, a malloc header apart), or, built with
 * -DPROTECTED (the peer fcontext-protected), protected_fixedsize_stack (an
 * mmap each, its lowest page made PROT_NONE as a guard: every stack's top
 * at the same offset in its page).
 */
#include <boost/context/detail/fcontext.hpp>
#include <boost/context/fixedsize_stack.hpp>
#include <boost/context/protected_fixedsize_stack.hpp>
#include "peer.h"

using boost::context::detail::fcontext_t;
using boost::context::detail::transfer_t;
using boost::context::detail::jump_fcontext;
using boost::context::detail::make_fcontext;
using boost::context::stack_context;

#ifdef PROTECTED
extern "C" const char peer_name[] = "fcontext-protected";
static boost::context::protected_fixedsize_stack alloc(STACK_SIZE);
#else
extern "C" const char peer_name[] = "fcontext";
static boost::context::fixedsize_stack alloc(STACK_SIZE);
#endif

static fcontext_t ctx[RSS_COUNT];       /* ctx[i]: where coroutine i resumes; 0 is main */
static stack_context sc[RSS_COUNT];     /* coroutine i's stack, from alloc */
static int ring_n, live;                /* live: how many rss_start made */

static fcontext_t make(int i, void (*fn)(transfer_t))
{
	sc[i] = alloc.allocate();
	return make_fcontext(sc[i].sp, sc[i].size, fn);
}

static void release(int from, int to)
{
	for (int i = from; i < to; i++)
		alloc.deallocate(sc[i]);
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
		ctx[i] = jump_fcontext(make(i, ring_body), (void *)i).fctx;
}

extern "C" void ring_round(void)
{
	ctx[ring_n - 1] = jump_fcontext(ctx[1], 0).fctx;
}

/* The parked contexts are abandoned (nothing on their stacks needs
 * destroying) and their stacks given back. */
extern "C" void ring_stop(void)
{
	release(1, ring_n);
}

/* A coroutine that ends: it jumps back and is never resumed. */
static void nothing(transfer_t t)
{
	jump_fcontext(t.fctx, 0);
}

extern "C" void spawn_batch(int k)
{
	for (int i = 0; i < k; i++)
		ctx[i] = make(i, nothing);
	for (int i = 0; i < k; i++)
		jump_fcontext(ctx[i], 0);
	release(0, k);
}

static void rss_body(transfer_t t)
{
	touch_1k();
	jump_fcontext(t.fctx, 0);
}

extern "C" void rss_start(int count)
{
	live = count;
	for (int i = 0; i < count; i++)
		ctx[i] = jump_fcontext(make(i, rss_body), 0).fctx;
}

extern "C" void rss_stop(void)
{
	release(0, live);
}

extern "C" long stack_bytes(void)
{
	return STACK_SIZE;
}
