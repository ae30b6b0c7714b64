/*
 * t_guard.c SCENARIO - stack overflows and faults; tests/run.sh checks the
 * message on stderr and how the process died (by SIGSEGV: status 139).
 *   recurse [N] a coroutine recurses until it overflows into its guard page
 *              (after N others that yield: in chunk N, pool.c's batches)
 *   bigframe   near the bottom of its stack, a coroutine calls a function
 *              whose frame is larger than the guard: stack probes catch it
 *   frame-1.5x coroutine 2, above coroutine 1's chunk, calls a function
 *   frame-4x   whose frame is 1.5 (4) times a chunk: caught in its own guard
 *              (these three only where frames are probed: a build with
 *              CO_FRAME_LIMIT refuses such frames, tests/run.sh checks that)
 *   yield [N]  coroutine 1 goes down a frame at a time (from N bytes lower,
 *              N = 0, 8, 16 or 24),
 *              yielding to coroutine 2 at each: the yield that no longer fits
 *              faults in the switch, when coroutine 2 is already "current"
 *   join [N]   the same, joining a new coroutine at each frame
 *   alarm      near its guard, coroutine 1 gets a signal whose handler is
 *              not SA_ONSTACK: there is no room for the frame (on riscv64
 *              the probes fault before it gets that near)
 *   kill-segv  coroutine 1 prints its pid, then sends itself SIGSEGV (or
 *   kill-bus   SIGBUS, SIGILL, SIGTRAP): no fault, but the process must
 *   kill-ill   still die by it
 *   kill-trap
 *   trap       coroutine 1 prints the address of trap_now (tests/arch.S),
 *              whose first instruction is the compiler's trap, and calls it:
 *              SIGILL or SIGTRAP, reported with that pc
 *   ubsan      coroutine 1 overflows a signed int: in a UBSAN=1 build a trap,
 *              reported as UBSan's (elsewhere it prints "not reached")
 *   gp         coroutine 1 stores through the address 1 << 55 (x86_64: a
 *              general-protection fault, no address; it prints gp_now's
 *              address, tests/arch.S), i386 executes hlt (the same fault),
 *              32-bit arm stores to 0x80000000 (elsewhere a fault at that
 *              address)
 *   poller     coroutine 1 sleeps; a timer's handler, once the poller runs,
 *              sends the process SIGSEGV: the report names the poller
 *   usable     print CO_STACK_USABLE (run.sh's overflow messages hold it)
 *   print-S    scenario S after printing a line to stdout (not flushed): the
 *              fault report must not lose it
 *   canary     a coroutine damages its canary word, then finishes (GUARD=0:
 *              the canary is checked only where there are no guard pages,
 *              and only as its coroutine finishes)
 *   segv       a coroutine writes to address 16
 *   above      coroutine 1 writes upward from a local (each byte back as
 *              it was) until it faults: in the guard of coroutine 2's
 *              chunk, above its own; the report must blame coroutine 1,
 *              not 2, whose stack pointer is nowhere near that guard
 *   above-last the same from the pool's last chunk, above which no chunk
 *              lies: the last coroutine spawned (CO_CAPACITY of them) is
 *              the one that writes
 *   main-segv  main does, after a spawn
 *   early      main does, before any spawn: the report is there from _start
 * With no scenario: the peak-stack checks, as a table.
 */
#include "check.h"
#include <linux/mman.h>     /* MAP_PRIVATE */

unsigned long caller_sp(void);
void trap_now(void);
void gp_now(void *p);

static unsigned char *chunk_of(void *p)
{
	unsigned long off = (unsigned char *)p - &stack_pool[0][0];

	return stack_pool[off / CO_STACK_SIZE];
}

static volatile int forever = 1;        /* hides the recursion's end from gcc */

/* The array's address escapes: no compiler may shrink it to the bytes the
 * code writes (clang's scalar replacement of a volatile array would). */
#define KEEP(a) __asm__ volatile ("" : : "r"(a) : "memory")

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

#ifndef CO_FRAME_LIMIT
#define BIG (2 * CO_STACK_SIZE)         /* probed page by page */

static __attribute__((noinline)) void big_frame(void)
{
	volatile char a[BIG];

	KEEP(a);
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

/* A frame of N bytes, written at both ends. */
#define FRAME(name, N)                                                  \
static __attribute__((noinline)) void name(void *arg)                   \
{                                                                       \
	volatile char a[N];                                             \
									\
	KEEP(a);                                                        \
	a[0] = 1;                                                       \
	a[N - 1] = 1;                                                   \
	(void)a[0];                                                     \
	(void)arg;                                                      \
}
FRAME(frame_1_5x, CO_STACK_SIZE * 3 / 2)
FRAME(frame_4x, 4 * CO_STACK_SIZE)
#endif

static void yield_forever(void *arg)
{
	(void)arg;
	for (;;)
		co_yield();
}

static void nothing(void *arg)
{
	(void)arg;
}

/* One small frame deeper at a time (less than any switch pushes), yielding
 * to, or joining, another coroutine at each: the first switch that does not
 * fit faults while it pushes registers, not before. */
static __attribute__((noinline)) void dig(int join)
{
	volatile char pad[4];

	pad[0] = 0;
	if (join)
		co_join(co_spawn(nothing, 0));
	else
		co_yield();
	if (forever)
		dig(join);
	(void)pad[0];
}

/* Where the last switch meets the guard depends on where the digging
 * starts: argv[2] bytes lower (rounded up to the stack's alignment), from
 * a frame of fixed size (no VLA: a CO_FRAME_LIMIT build refuses those). */
static int lower;

#define DIG_FROM(n)                                                     \
static __attribute__((noinline)) void dig_from_##n(int join)            \
{                                                                       \
	volatile char below[n + 1];                                     \
									\
	KEEP(below);                                                    \
	below[0] = 0;                                                   \
	dig(join);                                                      \
	(void)below[0];                                                 \
}
DIG_FROM(0)
DIG_FROM(8)
DIG_FROM(16)
DIG_FROM(24)

static void dig_from(int join)
{
	if (lower == 8)
		dig_from_8(join);
	else if (lower == 16)
		dig_from_16(join);
	else if (lower == 24)
		dig_from_24(join);
	else
		dig_from_0(join);
}

static void dig_yield(void *arg) { (void)arg; dig_from(0); }
static void dig_join(void *arg) { (void)arg; dig_from(1); }

static void on_alarm(int sig, void *info, void *uc)
{
	(void)sig, (void)info, (void)uc;
}

/* Down in small frames to within 512 bytes of the guard, then a signal that
 * is delivered on this stack: its frame is larger than that everywhere. */
static __attribute__((noinline)) void near_guard_signal(void)
{
	volatile char pad[64];

	pad[0] = 0;
	if (caller_sp() - (unsigned long)chunk_of((void *)pad) > CO_GUARD_SIZE + 512)
		near_guard_signal();
	else
		sys_kill(sys_getpid(), SIGALRM);
	(void)pad[0];
}

static void alarm(void *arg)
{
	(void)arg;
	co_sigaction(SIGALRM, on_alarm, 0);       /* not SA_ONSTACK */
	near_guard_signal();
}

static void kill_self(void *arg)
{
	int pid = sys_getpid();

	co_print("%d\n", pid);
	co_flush();
	sys_kill(pid, (int)(long)arg);
}

/* The address of a function of tests/arch.S, less arm's Thumb bit: where
 * its first instruction is. */
static unsigned long insn_at(void (*fn)())
{
	unsigned long a = (unsigned long)fn;

#if defined(__arm__)
	a &= ~1UL;                      /* Thumb: the low bit marks the mode */
#elif defined(__s390x__)
	a += 2;                         /* trap_now's j .+2 lands on 0x0001 */
#endif
	return a;
}

static void trap(void *arg)
{
	(void)arg;
	co_print("0x%lx\n", insn_at(trap_now));
	co_flush();
	trap_now();
}

static volatile int big = __INT_MAX__;

static void ubsan(void *arg)
{
	(void)arg;
	big += forever;                 /* signed overflow: UBSan's trap */
	co_print("not reached\n");
}

/* Bit 55 on 64-bit machines: past every user address, non-canonical on
 * x86_64, and not in aarch64's top byte, which addresses ignore. */
#define WILD (1UL << (sizeof(long) == 8 ? 55 : 31))

static void gp(void *arg)
{
	(void)arg;
#if defined(__x86_64__) || defined(__i386__)
	co_print("0x%lx\n", insn_at(gp_now));
	co_flush();
	gp_now((void *)WILD);
#else
	*(volatile int *)WILD = 1;
#endif
}

/* ---- a signal while the poller runs ----------------------------------- */
static volatile int sleeping;

/* Every few ms: once coroutine 1 has gone to sleep, whoever is current
 * with id 0 is the poller (main waits in co_run). */
static void on_tick(int sig, void *info, void *uc)
{
	(void)sig, (void)info, (void)uc;
	if (sleeping && co_self() == 0)
		sys_kill(sys_getpid(), SIGSEGV);
}

static void sleeper(void *arg)
{
	(void)arg;
	sleeping = 1;
	co_sleep(60 * 1000000000ULL);
}

static void canary(void *arg)
{
	volatile char here;

	(void)arg;
	*(unsigned long *)(chunk_of((void *)&here) + CO_GUARD_SIZE) = 0x5ca1ab1e;
	co_yield();                     /* not checked here: only at the finish */
}

/* Upward from a local, a byte at a time, each written back as it was
 * (the frames above, their return addresses included, stay intact) until
 * the fault: past the top of this coroutine's stack. */
static void write_up(void *arg)
{
	volatile char here = 0;

	(void)arg;
	for (volatile char *p = &here; ; p++)
		*p = *p;
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

/* Write every byte of frames of 256 bytes until one lies at or below
 * bottom, then yield there: deep stacks in frames every build allows. */
static __attribute__((noinline)) void use_down_to(unsigned long bottom)
{
	volatile unsigned char pad[256];

	for (unsigned i = 0; i < sizeof pad; i++)
		pad[i] = (unsigned char)(i | 1);
	if ((unsigned long)pad > bottom)
		use_down_to(bottom);
	else
		co_yield();
	(void)pad[0];
}

/* 20000 bytes deep, or less where a chunk has less usable stack than that
 * and a switch's worth (riscv64 under gcc at STACK_SIZE=32768: a two-page
 * guard and the probes' reach below it): a coroutine that goes deeper than
 * CO_STACK_USABLE promises is an overflow, rightly caught in its guard. */
#define DEEP (CO_STACK_USABLE - 1024 < 20000 ? CO_STACK_USABLE - 1024 : 20000)

static void deep(void *arg)
{
	use_down_to(caller_sp() - DEEP);
	(void)arg;
}

/* As deep as CO_STACK_USABLE promises, less a switch's worth. */
static void use_usable(void *arg)
{
	use_down_to(caller_sp() - (CO_STACK_USABLE - 1024));
	(void)arg;
}

/* ---- the guard's mechanism (sched.c's guard()) ----------------------------- */

/* Can the kernel read the byte at p?  Written to a pipe: -EFAULT if not. */
static int kernel_reads(void *p)
{
	int fd[2];
	long r;

	if (sys_pipe2(fd, O_CLOEXEC))
		return -1;
	r = sys_write(fd[1], p, 1);
	sys_close(fd[0]);
	sys_close(fd[1]);
	return r != -EFAULT;
}

/* The mappings that overlap stack_pool, from /proc/self/maps. */
static int pool_mappings(void)
{
	static char maps[1 << 16];
	unsigned long lo = (unsigned long)stack_pool, hi = lo + sizeof stack_pool;
	int fd = sys_openat(-100 /* AT_FDCWD */, "/proc/self/maps", O_RDONLY, 0), n = 0;
	long len = 0, r;

	while (fd >= 0 && (r = sys_read(fd, maps + len, sizeof maps - 1 - len)) > 0)
		len += r;
	sys_close(fd);
	maps[len] = 0;
	for (char *p = maps; *p; ) {
		unsigned long a[2] = { 0, 0 };

		for (int k = 0; k < 2; k++, p++)       /* start-end */
			for (; (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'); p++)
				a[k] = a[k] * 16 + (unsigned long)(*p <= '9' ? *p - '0' : *p - 'a' + 10);
		n += a[1] > lo && a[0] < hi;
		while (*p && *p++ != '\n')
			;
	}
	return n;
}

/* Guards from madvise(MADV_GUARD_INSTALL) where they work here (tested on a
 * page of our own, the way sched.c tests it, QEMU included), else from
 * mprotect (and always in VALGRIND=1 builds, for memcheck's sake); either
 * way the kernel, too, cannot read a guard. */
static void guard_mechanism(void)
{
	unsigned char *page = sys_mmap(0, CO_PAGE_SIZE, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int regions = !CO_VALGRIND && !sys_failed((long)page) &&
		      !sys_madvise(page, CO_PAGE_SIZE, MADV_GUARD_INSTALL) && !kernel_reads(page);
	int a = co_spawn(shallow, 0), b = co_spawn(shallow, 0), maps;

	co_yield();
	maps = pool_mappings();
	if (regions)
		CHECK_EQ("guard regions here: the pool stays one mapping", maps, 1);
	else
		check(maps >= 4, "no guard regions here: mprotect splits the pool",
		      "%d mappings", maps);
	/* chunk 1's first byte, not stack_pool[1]: clang warns of that index
	 * where CO_CAPACITY is 1, though this code never runs there */
	check(!kernel_reads(stack_pool[0] + CO_GUARD_SIZE - 1) &&
	      !kernel_reads((unsigned char *)stack_pool + CO_STACK_SIZE),
	      "the guards: unreadable even to the kernel",
	      "%s", regions ? "madvise" : "mprotect");
	co_join(a);
	co_join(b);
}

/* Every chunk handed out has its guard, however it was installed: one at
 * a time, or in batches (pools of more than 256 chunks, pool.c: of 1, 2,
 * 4, ... 256 chunks, each but the first guarded ahead of its use). */
static void every_guard(void)
{
	int n = CO_CAPACITY < 600 ? CO_CAPACITY : 600, bad = 0;

	for (int k = 0; k < n; k++)
		co_spawn(nothing, 0);
	for (int i = 0; i < n; i++)
		bad += kernel_reads((unsigned char *)stack_pool + (long)i * CO_STACK_SIZE +
				    CO_GUARD_SIZE - 1) != 0;
	check(bad == 0, "every chunk's guard, in every batch: unreadable",
	      "%d of %d chunks readable", bad, n);
	co_run();
}

int main(int argc, char **argv)
{
	const char *s = argc > 1 ? argv[1] : "";
	void (*fn)(void *) = 0;
	void *arg = 0;

	lower = argc > 2 ? arg_number(argv[2]) : 0;
	if (s[0] == 'p' && s[1] == 'r' && s[2] == 'i' && s[3] == 'n' && s[4] == 't' && s[5] == '-') {
		co_print("printed before the fault\n");        /* left in the buffer */
		s += 6;
	}
	if (str_eq(s, "usable")) {
		co_print("%d\n", CO_STACK_USABLE);
		return 0;
	}
	if (str_eq(s, "poller")) {
		/* 4 longs: the interval and the first expiry, seconds and us */
		static const long tick[4] = { 0, 5000, 0, 5000 };

		co_sigaction(SIGALRM, on_tick, SA_RESTART);
		sys_setitimer(0 /* ITIMER_REAL */, tick, 0);
		co_spawn(sleeper, 0);
		co_run();
		co_print("not reached\n");
		return 0;
	}
	if (str_eq(s, "recurse"))
		fn = overflow;
#ifndef CO_FRAME_LIMIT
	else if (str_eq(s, "bigframe"))
		fn = bigframe;
#endif
	else if (str_eq(s, "yield"))
		fn = dig_yield;
	else if (str_eq(s, "join"))
		fn = dig_join;
	else if (str_eq(s, "alarm"))
		fn = alarm;
	else if (str_eq(s, "kill-segv"))
		fn = kill_self, arg = (void *)SIGSEGV;
	else if (str_eq(s, "kill-bus"))
		fn = kill_self, arg = (void *)SIGBUS;
	else if (str_eq(s, "kill-ill"))
		fn = kill_self, arg = (void *)SIGILL;
	else if (str_eq(s, "kill-trap"))
		fn = kill_self, arg = (void *)SIGTRAP;
	else if (str_eq(s, "trap"))
		fn = trap;
	else if (str_eq(s, "ubsan"))
		fn = ubsan;
	else if (str_eq(s, "gp"))
		fn = gp;
	else if (str_eq(s, "canary"))
		fn = canary;
	else if (str_eq(s, "segv"))
		fn = segv;
	if (fn) {
		for (long k = 0; fn == overflow && k < lower; k++)
			co_spawn(yield_forever, 0);     /* recurse N: in chunk N */
		co_spawn(fn, arg);
		if (fn == dig_yield)
			co_spawn(yield_forever, 0);
		co_run();
		co_print("not reached\n");
		return 0;
	}
#ifndef CO_FRAME_LIMIT
	if (str_eq(s, "frame-1.5x") || str_eq(s, "frame-4x")) {
		co_spawn(yield_forever, 0);     /* coroutine 1, in the chunk below */
		co_spawn(s[6] == '1' ? frame_1_5x : frame_4x, 0);
		co_run();
		co_print("not reached\n");
		return 0;
	}
#endif
	if (str_eq(s, "above")) {
		co_spawn(write_up, 0);          /* coroutine 1, chunk 0 */
		co_spawn(yield_forever, 0);     /* 2, chunk 1: its guard is set */
		co_run();
		co_print("not reached\n");
		return 0;
	}
	if (str_eq(s, "above-last")) {
		for (int i = 1; i < CO_CAPACITY; i++)
			co_spawn(yield_forever, 0);
		co_spawn(write_up, 0);          /* coroutine CO_CAPACITY, the last chunk */
		co_run();
		co_print("not reached\n");
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

	if (CO_GUARD && CO_CAPACITY >= 2)
		guard_mechanism();
	int a = co_spawn(shallow, 0), b = co_spawn(deep, 0), u = co_spawn(use_usable, 0);
	co_yield();                     /* all three are now suspended */
	long pa = co_stack_peak(a), pb = co_stack_peak(b), pu = co_stack_peak(u);
	check(pa > 0 && pa < 1024, "peak of a coroutine that only yields", "%ld bytes", pa);
	check(pb >= DEEP && pb < DEEP + 2048, "peak of a deep one (20000 bytes at most)",
	      "%ld of %d bytes", pb, DEEP);
	check(pu >= CO_STACK_USABLE - 1024, "CO_STACK_USABLE - 1 KiB of stack: no fault",
	      "%ld bytes", pu);
	co_run();
	CHECK_EQ("peak of a finished one: -ESRCH", co_stack_peak(b), -ESRCH);
	CHECK_EQ("peak of main: -EINVAL", co_stack_peak(0), -EINVAL);
	CHECK_EQ("peak of an id never spawned: -ESRCH", co_stack_peak(99), -ESRCH);
	CHECK_EQ("peak of a negative id: -ESRCH", co_stack_peak(-1), -ESRCH);
	check(CO_STACK_USABLE > 0, "usable stack per chunk", "%d of %d bytes",
	      CO_STACK_USABLE, CO_STACK_SIZE);
	if (CO_GUARD)
		every_guard();
	return check_done();
}
