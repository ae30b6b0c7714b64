/*
 * bench/peers/fiber.cpp - boost.fiber (Debian's libboost-fiber-dev):
 * fibers on boost.context with a scheduler, the default round_robin, a
 * FIFO like ours.  Each coroutine of the ring calls this_fiber::yield()
 * until told to stop; main is a fiber too, so one round is n yields.
 * Stacks come from the same untouched mapping as the other peers' (a
 * stack allocator over stack_at(), its free list kept outside the stacks),
 * so neither malloc's headers nor a pool's links touch them.
 */
#include <boost/fiber/all.hpp>
#include <vector>
#include "peer.h"

extern "C" const char peer_name[] = "fiber";

/* A LIFO of free stacks over stack_at(0 .. RSS_COUNT - 1). */
static int free_stack[RSS_COUNT], nfree = -1;

struct region_stack {
	boost::context::stack_context allocate()
	{
		boost::context::stack_context sc;

		if (nfree < 0)
			for (nfree = 0; nfree < RSS_COUNT; nfree++)
				free_stack[nfree] = RSS_COUNT - 1 - nfree;
		sc.size = STACK_SIZE;
		sc.sp = stack_at(free_stack[--nfree]) + STACK_SIZE;
		return sc;
	}
	void deallocate(boost::context::stack_context &sc) noexcept
	{
		free_stack[nfree++] = (int)(((char *)sc.sp - STACK_SIZE - stack_at(0)) / STACK_SIZE);
	}
};

static std::vector<boost::fibers::fiber> fibers;
static bool stop;

static void spawn(void (*fn)())
{
	fibers.emplace_back(std::allocator_arg, region_stack(), fn);
}

static void join_all()
{
	for (auto &f : fibers)
		f.join();
	fibers.clear();
}

static void ring_body()
{
	while (!stop)
		boost::this_fiber::yield();
}

extern "C" void ring_start(int n)
{
	stop = false;
	for (int i = 1; i < n; i++)
		spawn(ring_body);
}

extern "C" void ring_round(void)
{
	boost::this_fiber::yield();
}

extern "C" void ring_stop(void)
{
	stop = true;
	join_all();
}

static void nothing()
{
}

extern "C" void spawn_batch(int k)
{
	for (int i = 0; i < k; i++)
		spawn(nothing);
	join_all();
}

static void rss_body()
{
	touch_1k();
	while (!stop)
		boost::this_fiber::yield();
}

extern "C" void rss_start(int count)
{
	stop = false;
	fibers.reserve(count);
	for (int i = 0; i < count; i++)
		spawn(rss_body);
	boost::this_fiber::yield();     /* each runs once */
}

extern "C" void rss_stop(void)
{
	ring_stop();
}
