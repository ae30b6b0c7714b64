/*
 * t_switch.c - what a switch must preserve: every callee-saved register and
 * the floating-point control state (set and checked from assembly, while
 * other coroutines set theirs to other values), and the stack alignment at a
 * coroutine's first instruction and after yields.
 */
#include "check.h"

unsigned long regs_check(unsigned long seed);
void entry_probe(void *arg);
unsigned long caller_sp(void);

#if defined(__arm__)
#define STACK_ALIGN 8           /* AAPCS: 8 at public interfaces */
#else
#define STACK_ALIGN 16
#endif

static unsigned long masks[4];
unsigned long probe_sp;

static void clobberer(void *arg)
{
	unsigned long i = (unsigned long)arg, m = 0;

	for (int round = 0; round < 50; round++)
		m |= regs_check(0x5a5a0000UL * i + 0x100 * round + 1);
	masks[i] = m;
}

static unsigned long sps[8];
static unsigned long entry_sp;

static __attribute__((noinline)) void deep(int n)
{
	volatile char pad[40];          /* frames of odd sizes */

	pad[n] = (char)n;
	if (n)
		deep(n - 1);
	else
		sps[0] = caller_sp();
	(void)pad[n];
}

void entry_probe_body(void *arg)
{
	entry_sp = probe_sp;
	for (int i = 1; i < 8; i++) {
		co_yield();
		sps[i] = caller_sp();
	}
	deep((int)(long)arg);
}

int main(void)
{
	int a, b;

	/* main and two coroutines each hold different values in every
	 * callee-saved register across each of many yields. */
	co_spawn(clobberer, (void *)1);
	co_spawn(clobberer, (void *)2);
	for (int round = 0; round < 50; round++)
		masks[0] |= regs_check(0x0f0f0000UL + round);
	co_run();
	check(masks[0] == 0, "registers and FP control survive: main", "mask %lx", masks[0]);
	check(masks[1] == 0, "registers and FP control survive: coroutine 1", "mask %lx", masks[1]);
	check(masks[2] == 0, "registers and FP control survive: coroutine 2", "mask %lx", masks[2]);

	/* The first instruction of a coroutine, and calls made after yields. */
	a = co_spawn(entry_probe, (void *)3);
	b = co_spawn(entry_probe, (void *)5);
	check(a > 0 && b > 0, "spawn two probes", "ids %d %d", a, b);
	co_run();
	check(entry_sp % STACK_ALIGN == 0, "aligned at a coroutine's first instruction",
	      "sp %lx", entry_sp);
	int bad = 0;
	for (int i = 0; i < 8; i++)
		bad += sps[i] % STACK_ALIGN != 0;
	check(bad == 0, "aligned in calls after yields", "%d misaligned", bad);
	return check_done();
}
