/*
 * bench/peers/scale_fcontext.cpp - bench/scale.c's counterpart with
 * boost.context's raw switch, jump_fcontext (Debian's libboost-context-dev;
 * make bench-scale builds it into build/bench/<arch>/peers/scale-fcontext
 * with the host's compiler and libc, as make bench builds fcontext.cpp).
 *
 *   scale-fcontext N [prefetch]
 *             N contexts, each on its own stack, then a ring of jumps
 *             through all of them.  Prints the line bench/scale.c prints:
 *               N  SPAWN  FIRST_RUN  YIELD  FINISH  RSS_PER_CONTEXT  0
 *             times in ns per context (the yield: per jump).
 *
 * The stacks: boost.context's fixedsize_stack (std::malloc each, one after
 * another in glibc's heap) of 16 KiB, the size of bench-scale's chunks.  Its
 * default size, 128 KiB, would make each stack an mmap of its own (glibc's
 * mmap threshold), which is not what a million of them would be given.
 *
 * spawn: allocate + make_fcontext for each; first run: main jumps into each
 * in turn, which parks at once, jumping back; yield: whole rounds of the
 * ring (main jumps to context 0, each to the next, the last back to main:
 * N + 1 jumps) for at least 300 ms and 3 rounds; finish: main jumps into
 * each once more, it jumps back for good (as a function that ends), and
 * main frees its stack.  RSS: VmRSS growth per context after the first run.
 *
 * "prefetch" (an experiment, not part of make bench-scale): before it jumps,
 * each context prefetches the saved registers (on the stack) of the one DIST
 * steps ahead in the ring: prefetching the coroutine a few steps ahead.
 *
 * A host program: libc, the ordinary compiler, never the runtime.
 */
#include <boost/context/detail/fcontext.hpp>
#include <boost/context/fixedsize_stack.hpp>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <vector>
#include "rss.h"

using boost::context::detail::fcontext_t;
using boost::context::detail::transfer_t;
using boost::context::detail::jump_fcontext;
using boost::context::detail::make_fcontext;
using boost::context::stack_context;

#define STACK_BYTES 16384               /* as bench-scale's chunks */
#define ROUND_NS    300000000LL         /* time rounds for at least 300 ms ... */
#define ROUNDS      3                   /* ... and at least 3 of them */
#define DIST        4                   /* prefetch: this many steps ahead */

static boost::context::fixedsize_stack alloc(STACK_BYTES);
static std::vector<fcontext_t> ctx;     /* ctx[i]: where context i resumes; ctx[n]: main */
static std::vector<stack_context> sc;
static long n;
static bool prefetch;
static volatile bool stop;

static long long now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* Context i: parks at once; then, in the ring, resumed by i - 1 (main for
 * 0), on to i + 1 (main after the last); once stopped, back to main. */
static void body(transfer_t t)
{
	long i = (long)t.data, next = i + 1;

	t = jump_fcontext(t.fctx, 0);           /* first run: back to main */
	while (!stop) {
		ctx[i ? i - 1 : n] = t.fctx;
		if (prefetch) {
			long a = (i + DIST) % n;

			__builtin_prefetch(ctx[a]);             /* its saved registers */
			__builtin_prefetch((char *)ctx[a] + 56);
		}
		t = jump_fcontext(ctx[next], 0);
	}
	jump_fcontext(t.fctx, 0);               /* finish: never resumed */
}

static void put_ns(long long ns, double units)
{
	printf(" %.2f", (double)ns / units);
}

int main(int argc, char **argv)
{
	long rounds = 0, before, after;
	long long t0, spawned, ran, t, yields, finished;

	n = argc >= 2 ? strtol(argv[1], 0, 10) : 0;
	prefetch = argc == 3 && strcmp(argv[2], "prefetch") == 0;
	if (n < 1 || argc > 3 || (argc == 3 && !prefetch)) {
		fprintf(stderr, "usage: scale-fcontext N [prefetch], N at least 1\n");
		return 2;
	}
	ctx.resize(n + 1);
	sc.resize(n);
	before = vm_rss();
	t0 = now_ns();
	for (long i = 0; i < n; i++) {
		sc[i] = alloc.allocate();
		ctx[i] = make_fcontext(sc[i].sp, sc[i].size, body);
	}
	spawned = now_ns();
	for (long i = 0; i < n; i++)
		ctx[i] = jump_fcontext(ctx[i], (void *)i).fctx;
	ran = now_ns();
	after = vm_rss();
	t = now_ns();
	do {
		ctx[n - 1] = jump_fcontext(ctx[0], 0).fctx;
		rounds++;
	} while (now_ns() - t < ROUND_NS || rounds < ROUNDS);
	yields = now_ns() - t;
	stop = true;
	t = now_ns();
	for (long i = 0; i < n; i++) {
		jump_fcontext(ctx[i], 0);
		alloc.deallocate(sc[i]);
	}
	finished = now_ns() - t;
	printf("%ld", n);
	put_ns(spawned - t0, n);
	put_ns(ran - spawned, n);
	put_ns(yields, (double)rounds * (n + 1));
	put_ns(finished, n);
	printf(" %ld 0\n", (after - before) / n);
	return 0;
}
