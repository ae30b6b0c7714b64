/*
 * bench/bench.c - what a switch costs.  Prints figures, asserts nothing.
 *
 *   bench                 wall-clock: median of REPEATS runs of each figure
 *   bench count WHAT N    run N operations of WHAT (ref, yield2, yield2prio,
 *                         yield1000, yield4096, spawn) untimed, for instruction
 *                         counting with valgrind --tool=callgrind (bench/run.sh)
 *   bench row [prio]      one line of fields, the same as every peer program
 *                         prints (bench/peers/peer.h), for bench/table.sh;
 *                         prio: with priorities in use, every coroutine at
 *                         main's level
 *
 * Every figure is nanoseconds per operation: per switch for the reference
 * (bench/ref.S, no scheduler, no FP state), per co_yield for the scheduler,
 * per coroutine for spawn + run + finish.
 */
#include "coroutine.h"
#include "print.h"
#include "syscalls.h"
#include "args.h"
#include "vmrss.h"

#define REPEATS 7

void ref_switch(void **save, void *load);
void *ref_frame(void *top, void (*fn)(void));

/* ---- the operations: each runs n of them ------------------------------- */

static void *ref_main, *ref_co;
static char ref_stack[16384] __attribute__((aligned(16)));

static void ref_body(void)
{
	for (;;)
		ref_switch(&ref_co, ref_main);
}

static unsigned long op_ref(unsigned long n)     /* 2 switches a round */
{
	ref_co = ref_frame(ref_stack + sizeof ref_stack, ref_body);
	for (unsigned long i = 0; i < n / 2; i++)
		ref_switch(&ref_main, ref_co);
	return n / 2 * 2;
}

static volatile int stop;

static void spinner(void *arg)
{
	(void)arg;
	while (!stop)
		co_yield();
}

/* co_yield with k coroutines ready, main one of them */
static unsigned long yields(unsigned long n, int k)
{
	unsigned long rounds = n / k;

	stop = 0;
	for (int i = 1; i < k; i++)
		co_spawn(spinner, 0);
	co_yield();                     /* each spinner starts once */
	for (unsigned long i = 0; i < rounds; i++)
		co_yield();
	stop = 1;
	co_run();
	return rounds * k;
}

static unsigned long op_yield2(unsigned long n) { return yields(n, 2); }
static unsigned long op_yield1000(unsigned long n) { return yields(n, 1000); }
static unsigned long op_yield4096(unsigned long n) { return yields(n, 4096); }

/* yield2 through prio.c's levels: main and its spinner at one level.  Once
 * set, priorities stay in use for the rest of the process: last in ops[]. */
static unsigned long op_yield2prio(unsigned long n)
{
	co_set_priority(0, CO_PRIO_DEFAULT);
	return yields(n, 2);
}

static void nothing(void *arg)
{
	(void)arg;
}

static unsigned long op_spawn(unsigned long n)   /* spawn, run, finish */
{
	unsigned long done = 0;

	while (done < n) {
		int batch = 0;

		while (batch < 100 && co_spawn(nothing, 0) > 0)
			batch++;
		co_run();
		done += batch;
	}
	return done;
}

/* The clock: co_now (the vDSO's where there is one) against the system call. */
static volatile long long clock_sink;

static unsigned long op_now(unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		clock_sink = co_now();
	return n;
}

static unsigned long op_now_syscall(unsigned long n)
{
	struct sys_timespec t;

	for (unsigned long i = 0; i < n; i++)
		clock_sink = sys_clock_gettime(CLOCK_MONOTONIC, &t);
	return n;
}

struct op {
	const char *name, *what;
	unsigned long (*run)(unsigned long n);
} ops[] = {
	{ "ref",       "bare switch (bench/ref.S), per switch", op_ref },
	{ "yield2",    "co_yield, 2 coroutines", op_yield2 },
	{ "yield1000", "co_yield, 1000 coroutines", op_yield1000 },
	{ "yield4096", "co_yield, 4096 coroutines", op_yield4096 },
	{ "spawn",     "spawn + run + finish, per coroutine", op_spawn },
	{ "now",       "co_now (the vDSO's clock where there is one)", op_now },
	{ "nowsys",    "clock_gettime, the system call", op_now_syscall },
	{ "yield2prio", "co_yield, 2 coroutines, priorities in use", op_yield2prio },
};
enum { NOPS = sizeof ops / sizeof ops[0] };

/* ---- timing ------------------------------------------------------------ */

/* Median over REPEATS runs of picoseconds per operation; each run long
 * enough (about 50 ms) that the clock's resolution does not matter. */
static unsigned long long measure(struct op *op)
{
	unsigned long long ps[REPEATS];
	unsigned long n = 1000;

	op->run(n);                     /* warm up: first use of the chunks */
	for (;;) {                      /* calibrate */
		long long t = co_now();
		op->run(n);
		if ((co_now() - t > 20000000 && n >= 100000) || n > (1UL << 30))
			break;
		n *= 2;
	}
	n *= 2;
	for (int r = 0; r < REPEATS; r++) {
		long long t = co_now();
		unsigned long done = op->run(n);
		ps[r] = (unsigned long long)(co_now() - t) * 1000 / (done ? done : 1);
	}
	for (int i = 1; i < REPEATS; i++)       /* insertion sort */
		for (int j = i; j > 0 && ps[j] < ps[j - 1]; j--) {
			unsigned long long x = ps[j];
			ps[j] = ps[j - 1];
			ps[j - 1] = x;
		}
	return ps[REPEATS / 2];
}

static void cpu_name(char *buf, int size)
{
	static char info[16384];
	int fd = sys_openat(-100 /* AT_FDCWD */, "/proc/cpuinfo", O_RDONLY, 0);
	long n = fd < 0 ? 0 : sys_read(fd, info, sizeof info - 1);
	char *p = info, *end;

	if (fd >= 0)
		sys_close(fd);
	info[n > 0 ? n : 0] = 0;
	co_format(buf, size, "unknown");
	for (; *p; p++) {               /* "model name : ..." (x86) */
		if (p[0] == 'm' && p[1] == 'o' && p[2] == 'd' && p[3] == 'e' && p[4] == 'l' &&
		    p[5] == ' ' && p[6] == 'n') {
			while (*p && *p != ':')
				p++;
			p += *p ? 2 : 0;
			for (end = p; *end && *end != '\n'; end++)
				;
			*end = 0;
			co_format(buf, size, "%s", p);
			return;
		}
	}
}

/* ---- the line the peers print (bench/peers/peer.h) ---------------------
 * The same figures by the same method as bench/peers/peer.c: a ring of n
 * (main and n - 1 spinners, FIFO), at least RING_NS of yields after one
 * untimed round; spawn + run + finish in batches of 100; VmRSS growth per
 * coroutine with RSS_COUNT alive, each having touched 1 KiB of its stack. */
#define RING_NS   100000000LL
#define RSS_COUNT 10000

static unsigned long long ring_ps(int n)        /* picoseconds per switch */
{
	unsigned long rounds = 0, every = (4096 + n - 1) / n;
	long long start, t;

	stop = 0;
	for (int i = 1; i < n; i++)
		co_spawn(spinner, 0);
	co_yield();                     /* untimed: every spinner runs once */
	start = co_now();
	do {
		for (unsigned long i = 0; i < every; i++)
			co_yield();
		rounds += every;
	} while ((t = co_now()) - start < RING_NS);
	stop = 1;
	co_run();
	return (unsigned long long)(t - start) * 1000 / (rounds * n);
}

static unsigned long long spawn_ps(void)        /* picoseconds per coroutine */
{
	unsigned long done = 0;
	long long start, t;

	op_spawn(100);                  /* untimed */
	start = co_now();
	do
		done += op_spawn(100);
	while ((t = co_now()) - start < RING_NS);
	return (unsigned long long)(t - start) * 1000 / done;
}

static __attribute__((noinline)) void touch_1k(void)
{
	volatile char buf[1024];

	for (int i = 0; i < 1024; i++)
		buf[i] = (char)i;
	(void)buf[0];
}

static void toucher(void *arg)
{
	touch_1k();
	spinner(arg);
}

static long rss_per_coroutine(void)
{
	long before = vm_rss(), after;

	stop = 0;
	for (int i = 0; i < RSS_COUNT; i++)
		co_spawn(toucher, 0);
	co_yield();                     /* each runs once */
	after = vm_rss();
	stop = 1;
	co_run();
	return (after - before) / RSS_COUNT;
}

static void print_ps(unsigned long long ps)
{
	co_print(" %llu.%02llu", ps / 1000, ps % 1000 / 10);
}

static int row(int prio)
{
	long rss;

	if (CO_CAPACITY < RSS_COUNT) {
		co_print("bench row: needs CAPACITY >= %d (make bench sets it)\n", RSS_COUNT);
		return CO_EXIT_USAGE;
	}
	rss = rss_per_coroutine();      /* first: in a fresh process */
	if (prio)
		co_set_priority(0, CO_PRIO_DEFAULT);
	co_print("%s", prio ? "coroutines-prio" : "coroutines");
	print_ps(ring_ps(2));
	print_ps(ring_ps(1000));
	print_ps(ring_ps(4096));
	print_ps(spawn_ps());
	co_print(" %ld\n", rss);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long long ps[NOPS];
	char cpu[128];
	int emulated;

	if (argc == 4 && str_eq(argv[1], "count")) {
		unsigned long n = arg_number(argv[3]);
		for (int i = 0; i < NOPS; i++)
			if (str_eq(argv[2], ops[i].name)) {
				ops[i].run(n);
				return 0;
			}
		return CO_EXIT_USAGE;
	}

	if (argc == 2 && str_eq(argv[1], "row"))
		return row(0);
	if (argc == 3 && str_eq(argv[1], "row") && str_eq(argv[2], "prio"))
		return row(1);

	/* bench/run.sh says "emulated" when it runs us under QEMU: the times
	 * then measure the emulator, so they are printed without verdicts. */
	emulated = argc == 2 && str_eq(argv[1], "emulated");
	cpu_name(cpu, sizeof cpu);
	co_print(emulated ? "cpu:   emulated (QEMU user mode), on the host's %s\n" : "cpu:   %s\n", cpu);
	co_print("pool:  CO_CAPACITY %d, CO_STACK_SIZE %d\n", CO_CAPACITY, CO_STACK_SIZE);
	co_print("median of %d runs, CLOCK_MONOTONIC\n\n", REPEATS);
	for (int i = 0; i < NOPS; i++) {
		ps[i] = measure(&ops[i]);
		co_print("  %-44s %5llu.%02llu ns\n", ops[i].what, ps[i] / 1000, ps[i] % 1000 / 10);
		co_flush();
	}
	if (emulated)
		co_print("\n(emulated: the times measure QEMU, not a CPU)\n");
	return 0;
}
