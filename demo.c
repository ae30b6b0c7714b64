/*
 * demo.c - ./coroutines: a few coroutines count, taking turns.
 *
 * Each line names the coroutine, its count, and the address of a local
 * variable: it lies inside that coroutine's own chunk of stack_pool.
 */
#include "coroutine.h"
#include "print.h"
#include "args.h"

/* A literal: one copy, no alignment.  Printed on stdout for -h/--help, on
 * stderr (status CO_EXIT_USAGE) for bad arguments. */
#define USAGE "usage: coroutines [COUNT [STEPS]]\n" \
	"COUNT coroutines (default 3, at most " CO_STR(CO_CAPACITY) ") take turns to count to STEPS (default 4).\n"

static void counter(void *arg)
{
	long steps = (long)arg, id = co_self();

	for (long i = 1; i <= steps; i++) {
		volatile char here;

		co_put_fmt(1, "coroutine #: count # of #  (stack 0x@)\n", id, i, steps, (long)&here);
		co_yield();
	}
	co_put_fmt(1, "coroutine #: peak stack # bytes\n", id, co_stack_peak(id), 0, 0);
}

int main(int argc, char **argv)
{
	long count = 3, steps = 4;

	if (argc > 1 && (count = arg_number(argv[1])) < 0) {
		if (argc == 2 && (str_eq(argv[1], "-h") || str_eq(argv[1], "--help"))) {
			co_put_str(1, USAGE);
			return 0;
		}
		goto usage;
	}
	if (argc > 3 || (argc > 2 && (steps = arg_number(argv[2])) < 0)) {
usage:
		co_put_str(2, USAGE);
		return CO_EXIT_USAGE;
	}
	if (count > CO_CAPACITY) {
		co_put_err("COUNT over capacity " CO_STR(CO_CAPACITY) "\n", 0);
		return CO_EXIT_USAGE;
	}

	co_put_fmt(1, "stack_pool: " CO_STR(CO_CAPACITY) " chunks of " CO_STR(CO_STACK_SIZE)
		" bytes at 0x@\n", (long)stack_pool, 0, 0, 0);
	for (long i = 0; i < count; i++)
		co_spawn(counter, (void *)steps);
	co_run();
	co_put_fmt(1, "done: # coroutines finished\n", co_finished_count(), 0, 0, 0);
	return 0;
}
