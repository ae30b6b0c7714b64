/*
 * uninit.c - a deliberate mistake for memcheck to find (tests/memcheck.sh):
 * a coroutine branches on a local variable it never set.  Not a t_*.c: run
 * without valgrind it is not a test at all, its output depends on what the
 * stack happened to hold.
 *
 *   uninit fresh    the coroutine runs on a chunk never used before
 *   uninit reused   on a chunk that an earlier coroutine used and left
 *                   holding 42 in the same word
 *
 * memcheck must report "Conditional jump or move depends on uninitialised
 * value(s)" at the line so marked in visit below, for the
 * coroutine that never set its word, and nothing else.
 */
#include "coroutine.h"
#include "print.h"
#include "args.h"

/* The mistake is the point: the compiler must not refuse it. */
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

/* With set, a coroutine that sets its word first (no mistake); without,
 * one that reads the word it never set.  The word is the lowest of a frame
 * deeper than the runtime's own below it, so that in a chunk reused after a
 * coroutine of the first kind it still holds 42: run natively, the mistake
 * looks right. */
static void visit(void *set)
{
	volatile long words[64];

	if (set)
		words[0] = 42;
	if (words[0] == 42)                             /* memcheck: here */
		co_print("coroutine %d: the word is 42\n", co_self());
	else
		co_print("coroutine %d: the word is not 42\n", co_self());
	co_yield();             /* a call after: visit keeps a frame of its own */
}

int main(int argc, char **argv)
{
	if (argc != 2 || !(str_eq(argv[1], "fresh") || str_eq(argv[1], "reused"))) {
		co_put_str(2, "usage: uninit fresh|reused\n");
		return CO_EXIT_USAGE;
	}
	if (str_eq(argv[1], "reused")) {
		co_spawn(visit, "set");
		co_run();                       /* its chunk is free again */
	}
	co_spawn(visit, 0);
	return co_run();
}
