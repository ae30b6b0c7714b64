/*
 * t_ssp.c [SCENARIO] - the stack protector (ssp.c; docs/hardening.md).
 * Built with -fstack-protector-all (the Makefile), so every function here,
 * main included, checks its canary as it returns.
 *   (none)      the table: the canary is AT_RANDOM's first word with its
 *               first byte 0, where the compiler reads it; protected
 *               frames in many coroutines, yielding deep down, raise no
 *               false alarm
 *   canary      print the canary in hex (tests/run.sh compares two runs)
 *   smash       coroutine 1 overruns a local array past its canary: one
 *               line, "stack smashing detected in coroutine 1", and death
 *               by SIGABRT (134); the line it printed first stays in
 *               standard output's buffer, never written
 *   main-smash  main does: "in coroutine 0"
 */
#include "check.h"

/* The canary, where this architecture's compiler reads it. */
static unsigned long canary(void)
{
	unsigned long v;
#if defined(__x86_64__)
	__asm__ volatile ("mov %%fs:0x28, %0" : "=r"(v));
#elif defined(__i386__)
	__asm__ volatile ("mov %%gs:0x14, %0" : "=r"(v));
#elif defined(__s390x__)
	unsigned long tp;

	__asm__ volatile ("ear %0, %%a0\n\tsllg %0, %0, 32\n\tear %0, %%a1" : "=d"(tp));
	v = *(unsigned long *)(tp + 0x28);
#else
	extern unsigned long __stack_chk_guard;

	v = __stack_chk_guard;
#endif
	return v;
}

/* n bytes of 'A' from p: past the end of the caller's array when n is
 * larger (n comes from a volatile, so no compiler sees it coming). */
static __attribute__((noinline)) void fill(volatile char *p, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = 'A';
}

static volatile int overrun = 64;

static __attribute__((noinline)) void smash(void *arg)
{
	char buf[16];

	(void)arg;
	fill(buf, overrun);
	__asm__ volatile ("" : : "r"(buf) : "memory");
}

/* Protected frames n deep, each with an array in use, yielding at the
 * bottom: a canary compared after switches and other coroutines' frames. */
static __attribute__((noinline)) int deep(int n)
{
	volatile char pad[40];

	fill(pad, sizeof pad);
	if (n)
		return deep(n - 1) + pad[n % 40];
	co_yield();
	return pad[0];
}

static int finished;

static void worker(void *arg)
{
	for (int i = 0; i < 20; i++)
		deep((int)(long)arg);
	finished++;
}

int main(int argc, char **argv)
{
	const char *s = argc > 1 ? argv[1] : "";
	unsigned long c = canary();
	const unsigned char *r = (const unsigned char *)co_auxv(AT_RANDOM);
	const unsigned char *cb = (const unsigned char *)&c;
	int same = 1;

	if (str_eq(s, "canary")) {
		co_print("0x%lx\n", c);
		return 0;
	}
	if (str_eq(s, "smash") || str_eq(s, "main-smash")) {
		co_print("printed before the smash\n");    /* left in the buffer */
		if (s[0] == 'm')
			smash(0);
		else
			co_spawn(smash, 0);
		co_run();
		co_print("not reached\n");
		return 0;
	}

	for (unsigned i = 1; r && i < sizeof c; i++)
		same &= cb[i] == r[i];
	if (r)
		check(same && cb[0] == 0, "canary: AT_RANDOM's first word, byte 0 zero",
		      "0x%lx", c);
	else            /* valgrind, say, gives no AT_RANDOM: getrandom's */
		check(cb[0] == 0, "canary: no AT_RANDOM here; byte 0 zero", "0x%lx", c);
	check(c >> 8 != 0, "canary: not zero", "0x%lx", c);
	for (long i = 0; i < 10; i++)
		co_spawn(worker, (void *)(i * 7));
	co_run();
	CHECK_EQ("protected frames, 10 coroutines: no alarm", finished, 10);
	return check_done();
}
