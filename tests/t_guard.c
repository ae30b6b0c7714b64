/*
 * t_guard.c SCENARIO - stack overflows and faults; tests/run.sh checks the
 * message on stderr and that the process died by SIGSEGV (status 139).
 *   recurse    a coroutine recurses until it overflows into its guard page
 *   bigframe   near the bottom of its stack, a coroutine calls a function
 *              whose frame is larger than the guard: stack-clash probes (or,
 *              on riscv64, the wider guard) still catch it
 *   canary     a coroutine damages its canary word, then yields
 *   segv       a coroutine writes to address 16
 *   main-segv  main does, after a spawn
 *   early      main does, before any spawn: the report is there from _start
 * With no scenario: the peak-stack checks, as a table.
 */
#include "check.h"

unsigned long caller_sp(void);

static unsigned char *chunk_of(void *p)
{
	unsigned long off = (unsigned char *)p - &stack_pool[0][0];

	return stack_pool[off / CO_STACK_SIZE];
}

static volatile int forever = 1;        /* hides the recursion's end from gcc */

static __attribute__((noinline)) int recurse(int n)
{
	volatile char pad[256];

	pad[n & 255] = (char)n;
	return (forever ? recurse(n + 1) : 0) + pad[(n * 7) & 255];
}

static void overflow(void *arg)
{
	(void)arg;
	recurse(0);
}

#if defined(__riscv) && CO_GUARD_SIZE > 4096
#define BIG (CO_GUARD_SIZE - 4096)      /* no probes: must land in the guard */
#else
#define BIG (2 * CO_STACK_SIZE)         /* probed page by page */
#endif

static __attribute__((noinline)) void big_frame(void)
{
	volatile char a[BIG];

	a[0] = 1;
	a[BIG - 1] = 1;
	(void)a[0];
}

/* Go down in small frames until within 2 KiB of the guard, then the big one. */
static __attribute__((noinline)) void descend(void)
{
	volatile char pad[512];

	pad[0] = 0;
	if (caller_sp() - (unsigned long)chunk_of((void *)pad) > CO_GUARD_SIZE + 2048)
		descend();
	else
		big_frame();
	(void)pad[0];
}

static void bigframe(void *arg)
{
	(void)arg;
	descend();
}

static void canary(void *arg)
{
	volatile char here;

	(void)arg;
	*(unsigned long *)(chunk_of((void *)&here) + CO_GUARD_SIZE) = 0;
	co_yield();
}

static void segv(void *arg)
{
	int *volatile p = (int *)16;

	(void)arg;
	*p = 1;
}

/* ---- peak stack ------------------------------------------------------- */
static void shallow(void *arg)
{
	(void)arg;
	co_yield();
}

static void deep(void *arg)
{
	volatile unsigned char buf[20000];

	for (unsigned i = 0; i < sizeof buf; i++)
		buf[i] = (unsigned char)(i | 1);
	co_yield();
	(void)arg;
}

int main(int argc, char **argv)
{
	const char *s = argc > 1 ? argv[1] : "";
	void (*fn)(void *) = 0;

	if (str_eq(s, "recurse"))
		fn = overflow;
	else if (str_eq(s, "bigframe"))
		fn = bigframe;
	else if (str_eq(s, "canary"))
		fn = canary;
	else if (str_eq(s, "segv"))
		fn = segv;
	if (fn) {
		co_spawn(fn, 0);
		co_run();
		print("not reached\n");
		return 0;
	}
	if (str_eq(s, "main-segv")) {
		co_spawn(shallow, 0);
		segv(0);
		return 0;
	}
	if (str_eq(s, "early")) {
		segv(0);
		return 0;
	}

	int a = co_spawn(shallow, 0), b = co_spawn(deep, 0);
	co_yield();                     /* both are now suspended */
	long pa = co_stack_peak(a), pb = co_stack_peak(b);
	check(pa > 0 && pa < 1024, "peak of a coroutine that only yields", "%ld bytes", pa);
	check(pb >= 20000 && pb < 20000 + 2048, "peak of one with a 20000-byte array",
	      "%ld bytes", pb);
	co_run();
	CHECK_EQ("peak of a finished one: -ESRCH", co_stack_peak(b), -ESRCH);
	CHECK_EQ("peak of main: -EINVAL", co_stack_peak(0), -EINVAL);
	CHECK_EQ("peak of an id never spawned: -ESRCH", co_stack_peak(99), -ESRCH);
	CHECK_EQ("peak of a negative id: -ESRCH", co_stack_peak(-1), -ESRCH);
	check(CO_STACK_USABLE > 0, "usable stack per chunk", "%d of %d bytes",
	      CO_STACK_USABLE, CO_STACK_SIZE);
	return check_done();
}
