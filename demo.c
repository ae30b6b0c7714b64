/*
 * demo.c - ./coroutines: a few coroutines count, taking turns.
 *
 * Each line names the coroutine, its count, and the address of a local
 * variable: it lies inside that coroutine's own chunk of stack_pool.
 */
#include "coroutine.h"
#include "print.h"
#include "syscalls.h"

#define USAGE "usage: coroutines [COUNT [STEPS]]\n"   /* a literal: one copy, no alignment */

static void counter(void *arg)
{
	long steps = (long)arg;

	for (long i = 1; i <= steps; i++) {
		volatile char here;

		put_fmt(1, "coroutine #: count # of #  (stack @)\n",
			co_self(), i, steps, (long)&here);
		co_yield();
	}
	put_fmt(1, "coroutine #: peak stack # bytes\n", co_self(), co_stack_peak(co_self()), 0, 0);
}

static __attribute__((noinline)) int same(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

/* A decimal number up to 2^30, or -1. */
static __attribute__((noinline)) long number(const char *s)
{
	long n = 0;

	do {
		if (*s < '0' || *s > '9' || n > (1L << 30) / 10)
			return -1;
		n = n * 10 + (*s - '0');
	} while (*++s);
	return n;
}

int main(int argc, char **argv)
{
	long n[2] = { 3, 4 };           /* COUNT, STEPS */

	if (argc == 2 && (same(argv[1], "-h") || same(argv[1], "--help"))) {
		put_str(1, USAGE);
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		if (argc > 3 || (n[i - 1] = number(argv[i])) < 0) {
			put_str(2, USAGE);
			return CO_EXIT_USAGE;
		}
	}
	if (n[0] > CO_CAPACITY) {
		put_str(2, "coroutines: COUNT exceeds the stack pool: capacity "
			   CO_STR(CO_CAPACITY) " coroutines\n");
		return CO_EXIT_USAGE;
	}

	put_fmt(1, "stack_pool: " CO_STR(CO_CAPACITY) " chunks of " CO_STR(CO_STACK_SIZE)
		" bytes at @\n", (long)stack_pool, 0, 0, 0);
	for (long i = 0; i < n[0]; i++)
		co_spawn(counter, (void *)n[1]);
	co_run();
	put_fmt(1, "done: # coroutines finished, # switches\n", co_finished(), co_switches(), 0, 0);
	return 0;
}
