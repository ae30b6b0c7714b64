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

/* label, then n: the pieces the demo's lines are made of */
static void say(const char *label, long n)
{
	put_str(1, label);
	put_int(1, n);
}

static void counter(void *arg)
{
	long steps = (long)arg;

	for (long i = 1; i <= steps; i++) {
		volatile char here;

		say("coroutine ", co_self());
		say(": count ", i);
		say(" of ", steps);
		put_str(1, "  (stack ");
		put_hex(1, (unsigned long)&here);
		put_str(1, ")\n");
		co_yield();
	}
}

static int same(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

/* A decimal number up to 2^30, or -1. */
static long number(const char *s)
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
		put_str(1, usage);
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		if (argc > 3 || (n[i - 1] = number(argv[i])) < 0) {
			put_str(2, usage);
			return CO_EXIT_USAGE;
		}
	}
	if (n[0] > CO_CAPACITY) {
		put_str(2, "coroutines: COUNT exceeds the stack pool: capacity ");
		put_int(2, CO_CAPACITY);
		put_str(2, " coroutines\n");
		return CO_EXIT_USAGE;
	}

	say("stack_pool: ", CO_CAPACITY);
	say(" chunks of ", CO_STACK_SIZE);
	put_str(1, " bytes at ");
	put_hex(1, (unsigned long)stack_pool);
	put_str(1, "\n");
	for (long i = 0; i < n[0]; i++)
		co_spawn(counter, (void *)n[1]);
	co_run();
	for (int id = 1; id <= n[0]; id++) {
		say("coroutine ", id);
		say(": peak stack ", co_stack_peak(id));
		put_str(1, " bytes\n");
	}
	say("done: ", co_finished());
	say(" coroutines finished, ", co_switches());
	put_str(1, " switches\n");
	return 0;
}
