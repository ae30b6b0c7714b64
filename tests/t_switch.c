/*
 * t_switch.c - what a switch must preserve: every callee-saved register and
 * the floating-point control state (set and checked from assembly, while
 * other coroutines set theirs to other values), and the stack alignment at a
 * coroutine's first instruction and after yields; and the floating-point
 * exception flags, kept per coroutine or shared, as switch.S says.
 */
#include "check.h"

unsigned long regs_check(unsigned long seed);
void entry_probe(void *arg);
unsigned long caller_sp(void);

#if defined(__arm__)
#define STACK_ALIGN 8           /* AAPCS: 8 at public interfaces */
#elif defined(__s390x__)
#define STACK_ALIGN 8           /* the s390x ELF ABI: 8 */
#else
#define STACK_ALIGN 16
#endif

/* The floating-point exception flags' bit 0 (invalid operation on x86,
 * arm and aarch64; inexact on riscv64), or s390x's invalid-operation flag,
 * read and written directly. */
#if defined(__x86_64__) || defined(__i386__)
#define FLAGS_KEPT 1                    /* in MXCSR, which switch.S saves */
static unsigned fp_flag(void)
{
	unsigned m;
	__asm__ volatile ("stmxcsr %0" : "=m"(m));
	return m & 1;
}
static void fp_flag_set(unsigned f)
{
	unsigned m;
	__asm__ volatile ("stmxcsr %0" : "=m"(m));
	m = (m & ~1u) | f;
	__asm__ volatile ("ldmxcsr %0" : : "m"(m));
}
#elif defined(__aarch64__)
#define FLAGS_KEPT 0                    /* in FPSR, which is not saved */
static unsigned fp_flag(void)
{
	unsigned long r;
	__asm__ volatile ("mrs %0, fpsr" : "=r"(r));
	return r & 1;
}
static void fp_flag_set(unsigned f)
{
	unsigned long r;
	__asm__ volatile ("mrs %0, fpsr" : "=r"(r));
	__asm__ volatile ("msr fpsr, %0" : : "r"((r & ~1ul) | f));
}
#elif defined(__riscv)
#define FLAGS_KEPT 0                    /* fflags: only frm is saved */
static unsigned fp_flag(void)
{
	unsigned long r;
	__asm__ volatile ("frflags %0" : "=r"(r));
	return r & 1;
}
static void fp_flag_set(unsigned f)
{
	unsigned long r;
	__asm__ volatile ("frflags %0" : "=r"(r));
	__asm__ volatile ("fsflags %0" : : "r"((r & ~1ul) | f));
}
#elif defined(__arm__)
#define FLAGS_KEPT 1                    /* in FPSCR, which switch.S saves */
static unsigned fp_flag(void)
{
	unsigned long r;
	__asm__ volatile ("vmrs %0, fpscr" : "=r"(r));
	return r & 1;
}
static void fp_flag_set(unsigned f)
{
	unsigned long r;
	__asm__ volatile ("vmrs %0, fpscr" : "=r"(r));
	__asm__ volatile ("vmsr fpscr, %0" : : "r"((r & ~1ul) | f));
}
#elif defined(__s390x__)
#define FLAGS_KEPT 1                    /* in FPC, which switch.S saves */
#define FPC_INVALID 0x00800000u         /* FPC's invalid-operation flag */
static unsigned fp_flag(void)
{
	unsigned r;
	__asm__ volatile ("efpc %0" : "=d"(r));
	return !!(r & FPC_INVALID);
}
static void fp_flag_set(unsigned f)
{
	unsigned r;
	__asm__ volatile ("efpc %0" : "=d"(r));
	__asm__ volatile ("sfpc %0" : : "d"((r & ~FPC_INVALID) | (f ? FPC_INVALID : 0)));
}
#endif

static unsigned flag_seen[3];

/* Set the flag to arg, let the other side set its own, then look. */
static void flagger(void *arg)
{
	unsigned i = (unsigned)(long)arg;

	fp_flag_set(i == 1);
	co_yield();
	co_yield();
	flag_seen[i] = fp_flag();
}

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

	/* Coroutine 1 raises the flag, coroutine 2 clears it, each yields. */
	fp_flag_set(0);
	co_spawn(flagger, (void *)1);
	co_spawn(flagger, (void *)2);
	co_run();
	fp_flag_set(0);
	if (FLAGS_KEPT)
		check(flag_seen[1] == 1 && flag_seen[2] == 0, "FP exception flags: each keeps its own",
		      "saw %u and %u", flag_seen[1], flag_seen[2]);
	else
		check(flag_seen[1] == 0 && flag_seen[2] == 0, "FP exception flags: shared (not saved)",
		      "saw %u and %u", flag_seen[1], flag_seen[2]);
	return check_done();
}
