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

		put_str(1, "coroutine ");
		put_int(1, co_self());
		put_str(1, ": count ");
		put_int(1, i);
		put_str(1, " of ");
		put_int(1, steps);
		put_str(1, "  (stack ");
		put_hex(1, (unsigned long)&here);
		put_str(1, ")\n");
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
		put_str(1, usage);
		return 0;
	}
	if (argc > 3 || (argc > 1 && (count = number(argv[1], 1L << 30)) < 0) ||
	    (argc > 2 && (steps = number(argv[2], 1L << 30)) < 0)) {
		put_str(2, usage);
		return CO_EXIT_USAGE;
	}
	if (count > CO_CAPACITY) {
		put_str(2, "coroutines: COUNT is more than the pool holds: capacity ");
		put_int(2, CO_CAPACITY);
		put_str(2, " coroutines\n");
		return CO_EXIT_USAGE;
	}

	put_str(1, "stack_pool: ");
	put_int(1, CO_CAPACITY);
	put_str(1, " chunks of ");
	put_int(1, CO_STACK_SIZE);
	put_str(1, " bytes at ");
	put_hex(1, (unsigned long)stack_pool);
	put_str(1, "\n");
	for (long i = 0; i < count; i++)
		co_spawn(counter, (void *)steps);
	co_run();
	put_str(1, "done: ");
	put_int(1, co_finished());
	put_str(1, " coroutines finished, ");
	put_int(1, co_switches());
	put_str(1, " switches\n");
	return 0;
}
