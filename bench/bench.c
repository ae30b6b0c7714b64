/*
 * bench/bench.c - what a switch costs.  Prints figures, asserts nothing.
 *
 *   bench                 wall-clock: min, median and max of REPEATS runs
 *                         of each figure
 *   bench count WHAT N    run N operations of WHAT (a name of ops[]) untimed,
 *                         for instruction counting with valgrind
 *                         --tool=callgrind (bench/run.sh, bench/table.sh)
 *   bench row [prio|flat] one line of fields, the same as every peer program
 *                         prints (bench/peers/peer.h), for bench/table.sh;
 *                         prio: with priorities in use, every coroutine at
 *                         main's level; flat: the ring without the pool's
 *                         colouring (flat_spinner), switch times only
 *   bench chans           one line of channel figures, the same as
 *                         bench/peers/chan.go prints, for bench/table.sh:
 *                         coroutines RENDEZVOUS_NS BUFFERED_NS SELECT_NS
 *
 * BENCH_QUICK=1 in the environment makes every run shorter and fewer (a
 * test of the harness, not a measurement).
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

#define REPEATS 7               /* runs of each figure; 3 when quick */

static int quick;               /* BENCH_QUICK=1: fewer, shorter runs */

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

/* The same spinner without the pool's colouring: every flat spinner moves
 * its frame down so that it sits at one offset in its chunk, the offset the
 * first one found less 4096 bytes, as if every stack started at the same
 * place in its chunk.  Chunks are CO_STACK_SIZE bytes apart and pool.c's
 * colours move a stack's top by less than 4096 bytes, so the room each
 * takes (4096 bytes, more or less the difference between its top and the
 * first one's) lies between 0 and 8192; outside that, the colours have
 * grown and it says so.  A row of the ring with these shows the switch
 * apart from the layout. */
static unsigned long flat_at = ~0UL;

static __attribute__((noinline)) void flat_spin(unsigned long room)
{
	volatile char pad[room];

	pad[0] = 0;
	(void)pad[0];
	spinner(0);
}

static void flat_spinner(void *arg)
{
	volatile char here;
	unsigned long at = (unsigned long)&here % CO_STACK_SIZE;
	unsigned long room;

	(void)arg;
	if (flat_at == ~0UL)
		flat_at = (at + CO_STACK_SIZE - 4096) % CO_STACK_SIZE;
	room = (at + CO_STACK_SIZE - flat_at) % CO_STACK_SIZE;
	if (room >= 8192) {             /* the pool's colours span 4096 bytes or more */
		co_print("bench: the stacks' tops differ by more than 4096 bytes: "
			 "flat_spinner cannot line them up\n");
		co_exit_process(1);
	}
	flat_spin(room);
}

static void (*ring_fn)(void *) = spinner;      /* flat_spinner for "flat" */

/* co_yield with k coroutines ready, main one of them */
static unsigned long yields(unsigned long n, int k)
{
	unsigned long rounds = n / k;

	stop = 0;
	for (int i = 1; i < k; i++)
		co_spawn(ring_fn, 0);
	co_yield();                     /* each spinner starts once */
	for (unsigned long i = 0; i < rounds; i++)
		co_yield();
	stop = 1;
	co_run();
	return rounds * k;
}

static unsigned long op_yield2(unsigned long n) { return yields(n, 2); }
static unsigned long op_yield2flat(unsigned long n)
{
	unsigned long done;

	ring_fn = flat_spinner;
	done = yields(n, 2);
	ring_fn = spinner;
	return done;
}
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

/* ---- channels: the three figures Go's are set beside (bench/peers/chan.go) --
 * Messages are longs; a negative one tells the partner to stop. */
CO_CHAN_DECLARE(ping, long, 0);
CO_CHAN_DECLARE(pong, long, 0);
CO_CHAN_DECLARE(queue, long, 128);

static void echoer(void *arg)           /* ping to pong, until told to stop */
{
	long v;

	(void)arg;
	while (co_recv(&ping, &v, -1) == 0 && v >= 0)
		co_send(&pong, &v, -1);
}

static unsigned long op_rendezvous(unsigned long n)     /* per round trip */
{
	long v, stop_msg = -1;

	co_spawn(echoer, 0);
	for (unsigned long i = 0; i < n; i++) {
		v = (long)i;
		co_send(&ping, &v, -1);
		co_recv(&pong, &v, -1);
	}
	co_send(&ping, &stop_msg, -1);
	co_run();
	return n;
}

static unsigned long produce_n;

static void producer(void *arg)
{
	long v, stop_msg = -1;

	(void)arg;
	for (unsigned long i = 0; i < produce_n; i++) {
		v = (long)i;
		co_send(&queue, &v, -1);
	}
	co_send(&queue, &stop_msg, -1);
}

static unsigned long op_buffered(unsigned long n)       /* per message */
{
	long v;

	produce_n = n;
	co_spawn(producer, 0);
	while (co_recv(&queue, &v, -1) == 0 && v >= 0)
		;
	co_run();
	return n;
}

static void selector(void *arg)         /* either of ping and pong, until told to stop */
{
	long a, b;
	struct co_case c[2] = { { .ch = &ping, .op = CO_RECV, .msg = &a },
				{ .ch = &pong, .op = CO_RECV, .msg = &b } };
	int i;

	(void)arg;
	while ((i = co_select(c, 2, -1)) >= 0 && (i ? b : a) >= 0)
		;
}

static unsigned long op_select(unsigned long n)         /* per message */
{
	long v, stop_msg = -1;

	co_spawn(selector, 0);
	for (unsigned long i = 0; i < n; i++) {
		v = (long)i;
		co_send(i & 1 ? &pong : &ping, &v, -1);
	}
	co_send(&ping, &stop_msg, -1);
	co_run();
	return n;
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
	{ "yield2flat", "co_yield, 2 coroutines, without colouring", op_yield2flat },
	{ "yield1000", "co_yield, 1000 coroutines", op_yield1000 },
	{ "yield4096", "co_yield, 4096 coroutines", op_yield4096 },
	{ "spawn",     "spawn + run + finish, per coroutine", op_spawn },
	{ "rendezvous", "co_chan rendezvous round trip (co_send, co_recv)", op_rendezvous },
	{ "buffered",  "co_chan of 128, per message", op_buffered },
	{ "select",    "co_select over two channels, per message", op_select },
	{ "now",       "co_now (the vDSO's clock where there is one)", op_now },
	{ "nowsys",    "clock_gettime, the system call", op_now_syscall },
	{ "yield2prio", "co_yield, 2 coroutines, priorities in use", op_yield2prio },
};
enum { NOPS = sizeof ops / sizeof ops[0] };

/* ---- timing ------------------------------------------------------------ */

/* REPEATS runs of picoseconds per operation, sorted (min first, the median
 * in the middle, max last); each run long enough (about 50 ms, 5 when
 * quick) that the clock's resolution does not matter. */
static void measure(struct op *op, unsigned long long *ps, int repeats)
{
	unsigned long n = 1000;
	long long least = quick ? 2000000 : 20000000;

	op->run(n);                     /* warm up: first use of the chunks */
	for (;;) {                      /* calibrate */
		long long t = co_now();
		op->run(n);
		if ((co_now() - t > least && n >= 100000) || n > (1UL << 30))
			break;
		n *= 2;
	}
	n *= 2;
	for (int r = 0; r < repeats; r++) {
		long long t = co_now();
		unsigned long done = op->run(n);
		ps[r] = (unsigned long long)(co_now() - t) * 1000 / (done ? done : 1);
	}
	for (int i = 1; i < repeats; i++)       /* insertion sort */
		for (int j = i; j > 0 && ps[j] < ps[j - 1]; j--) {
			unsigned long long x = ps[j];
			ps[j] = ps[j - 1];
			ps[j - 1] = x;
		}
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
#define RING_NS   100000000LL   /* 10 ms when quick, as peer.h's RING_NS_QUICK */
#define RSS_COUNT 10000

static long long ring_ns(void)
{
	return quick ? RING_NS / 10 : RING_NS;
}

static unsigned long long ring_ps(int n)        /* picoseconds per switch */
{
	unsigned long rounds = 0, every = (4096 + n - 1) / n;
	long long start, t;

	stop = 0;
	for (int i = 1; i < n; i++)
		co_spawn(ring_fn, 0);
	co_yield();                     /* untimed: every spinner runs once */
	start = co_now();
	do {
		for (unsigned long i = 0; i < every; i++)
			co_yield();
		rounds += every;
	} while ((t = co_now()) - start < ring_ns());
	stop = 1;
	co_run();
	return (unsigned long long)(t - start) * 1000 / (rounds * n);
}

/* Picoseconds per operation of run (which does n and says how many it
 * did): batches of n over at least ring_ns(), after one untimed batch of
 * warm.  Spawning (per coroutine) and the channel figures. */
static unsigned long long per_op_ps(unsigned long (*run)(unsigned long), unsigned long warm,
				    unsigned long n)
{
	unsigned long done = 0;
	long long start, t;

	run(warm);                      /* untimed */
	start = co_now();
	do
		done += run(n);
	while ((t = co_now()) - start < ring_ns());
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

/* prio: priorities in use; flat: the ring of flat_spinners, no spawn or
 * RSS figure ("-": they do not depend on where a stack starts). */
static int row(int prio, int flat)
{
	long rss;

	if (CO_CAPACITY < RSS_COUNT) {
		co_print("bench row: needs CAPACITY >= %d (make bench sets it)\n", RSS_COUNT);
		return CO_EXIT_USAGE;
	}
	rss = flat ? 0 : rss_per_coroutine();   /* first: in a fresh process */
	if (prio)
		co_set_priority(0, CO_PRIO_DEFAULT);
	if (flat)
		ring_fn = flat_spinner;
	co_print("%s", prio ? "coroutines-prio" : flat ? "coroutines-flat" : "coroutines");
	print_ps(ring_ps(2));
	print_ps(ring_ps(1000));
	print_ps(ring_ps(4096));
	if (flat) {
		co_print(" - -\n");
		return 0;
	}
	print_ps(per_op_ps(op_spawn, 100, 100));
	co_print(" %ld\n", rss);
	return 0;
}

static int chans(void)
{
	co_print("coroutines");
	print_ps(per_op_ps(op_rendezvous, 1000, 10000));
	print_ps(per_op_ps(op_buffered, 1000, 10000));
	print_ps(per_op_ps(op_select, 1000, 10000));
	co_print("\n");
	return 0;
}

/* BENCH_QUICK=1 among the environment's strings */
static int quick_env(char **envp)
{
	for (; envp && *envp; envp++)
		if (str_eq(*envp, "BENCH_QUICK=1"))
			return 1;
	return 0;
}

int main(int argc, char **argv, char **envp)
{
	unsigned long long ps[REPEATS];
	int repeats, emulated;
	char cpu[128];

	quick = quick_env(envp);
	repeats = quick ? 3 : REPEATS;
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
		return row(0, 0);
	if (argc == 3 && str_eq(argv[1], "row") && str_eq(argv[2], "prio"))
		return row(1, 0);
	if (argc == 3 && str_eq(argv[1], "row") && str_eq(argv[2], "flat"))
		return row(0, 1);
	if (argc == 2 && str_eq(argv[1], "chans"))
		return chans();

	/* bench/run.sh says "emulated" when it runs us under QEMU: the times
	 * then measure the emulator, so they are printed without verdicts. */
	emulated = argc == 2 && str_eq(argv[1], "emulated");
	if (argc > 2 || (argc == 2 && !emulated)) {
		co_print("usage: bench [emulated] | count OP N | row [prio|flat] | chans\n");
		return CO_EXIT_USAGE;
	}
	cpu_name(cpu, sizeof cpu);
	co_print(emulated ? "cpu:   emulated (QEMU user mode), on the host's %s\n" : "cpu:   %s\n", cpu);
	co_print("pool:  CO_CAPACITY %d, CO_STACK_SIZE %d\n", CO_CAPACITY, CO_STACK_SIZE);
	co_print("%d runs of each, CLOCK_MONOTONIC%s: min / median / max, ns per operation\n\n",
		 repeats, quick ? " (BENCH_QUICK=1: short runs, a test of the harness)" : "");
	for (int i = 0; i < NOPS; i++) {
		measure(&ops[i], ps, repeats);
		co_print("  %-50s", ops[i].what);
		for (int r = 0; r < 3; r++) {
			unsigned long long v = ps[r == 0 ? 0 : r == 1 ? repeats / 2 : repeats - 1];
			co_print("%s%llu.%02llu", r ? " / " : " ", v / 1000, v % 1000 / 10);
		}
		co_print("\n");
		co_flush();
	}
	if (emulated)
		co_print("\n(emulated: the times measure QEMU, not a CPU)\n");
	return 0;
}
