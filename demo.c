/*
 * demo.c - ./coroutines: a few coroutines count, taking turns.
 *
 * Each line names the coroutine, its count, and the address of a local
 * variable: it lies inside that coroutine's own chunk of stack_pool.
 */
#include "coroutine.h"
#include "print.h"
#include "syscalls.h"

extern unsigned char stack_pool[CO_CAPACITY][CO_STACK_SIZE];

static const char usage[] =
	"usage: coroutines [COUNT [STEPS]]\n"
	"  Run COUNT coroutines (default 3) that count to STEPS (default 4),\n"
	"  yielding after each step.\n";

static void counter(void *arg)
{
	unsigned long steps = (unsigned long)arg;

	for (unsigned long i = 1; i <= steps; i++) {
		volatile char here;

		print("coroutine %d: count %lu of %lu  (stack %p)\n",
		      co_self(), i, steps, (void *)&here);
		co_yield();
	}
}

/* A decimal number in 0..max, or -1. */
static long number(const char *s, long max)
{
	long n = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || n > (max - (*s - '0')) / 10)
			return -1;
		n = n * 10 + (*s - '0');
	}
	return n;
}

int main(int argc, char **argv, char **envp)
{
	long count = 3, steps = 4;

	(void)envp;
	if (argc > 1 && (argv[1][0] == '-' && (argv[1][1] == 'h' ||
	    (argv[1][1] == '-' && argv[1][2] == 'h')))) {
		print("%s", usage);
		return 0;
	}
	if (argc > 3 || (argc > 1 && (count = number(argv[1], 1L << 30)) < 0) ||
	    (argc > 2 && (steps = number(argv[2], 1L << 30)) < 0)) {
		eprint("%s", usage);
		return CO_EXIT_USAGE;
	}
	if (count > CO_CAPACITY) {
		eprint("coroutines: COUNT %ld is more than the pool holds: "
		       "capacity %d coroutines\n", count, CO_CAPACITY);
		return CO_EXIT_USAGE;
	}

	print("stack_pool: %d chunks of %d bytes at %p\n",
	      CO_CAPACITY, CO_STACK_SIZE, (void *)stack_pool);
	for (long i = 0; i < count; i++)
		co_spawn(counter, (void *)steps);
	co_run();
	print("done: %lu coroutines finished, %lu switches\n",
	      co_finished(), co_switches());
	return 0;
}
