/*
 * bench/peers/fiber.cpp - boost.fiber (Debian's libboost-fiber-dev):
 * fibers on boost.context with a scheduler, the default round_robin, a
 * FIFO like ours.  Each coroutine of the ring calls this_fiber::yield()
 * until told to stop; main is a fiber too, so one round is n yields.
 * Stacks come from boost.fiber's default allocator, as its users get them
 * when they name none: default_stack (boost.context's fixedsize_stack, a
 * std::malloc each) of its default size, stack_traits::default_size()
 * (bench/table.sh prints it in the table).
 */
#include <boost/fiber/all.hpp>
#include <vector>
#include "peer.h"

extern "C" const char peer_name[] = "fiber";

static std::vector<boost::fibers::fiber> fibers;
static bool stop;

static void spawn(void (*fn)())
{
	fibers.emplace_back(fn);
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

extern "C" long stack_bytes(void)
{
	return (long)boost::context::stack_traits::default_size();
}
