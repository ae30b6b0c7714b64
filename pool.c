/*
 * pool.c - the stack pool: the coroutines' slots and their stacks.
 *
 * Every coroutine but main owns one slot: a `struct co` in _co_cos[1 + i]
 * and the stack chunk stack_pool[i]; _co_cos[0] is main.  Free slots form
 * a LIFO list, taken and returned in O(1); slots never used yet are handed
 * out from a high-water mark, so nothing is initialised at start-up.  A
 * chunk's first use installs its guard; its stack starts at a coloured top
 * (_co_stack_top); GUARD=0 builds check its canary as it finishes.
 * co_stack_peak reads how deep a stack has been.  Below the scheduler
 * (sched.c), which takes and gives slots; above the output (print.c).
 */
#include "coroutine.h"
#include "print.h"
#include "syscalls.h"
#include "internal.h"
#if CO_VALGRIND
#include <memcheck.h>           /* valgrind's client requests (make VALGRIND=1) */
#endif

_Static_assert(CO_STACK_SIZE % CO_PAGE_SIZE == 0, "CO_STACK_SIZE must be a multiple of the page size");
_Static_assert(CO_CAPACITY >= 1, "CO_CAPACITY must be at least 1");

/* stack_pool, in a NOBITS section of its own (no file bytes), which
 * linker.ld puts after all other data: the small data before it stays
 * within reach of riscv's gp.  _co_stack_size, a symbol whose value is
 * CO_STACK_SIZE, tells debuggers the chunk's size where the debug
 * information does not describe stack_pool (clang's: C declares it only
 * as extern); it is in the symbol table only, no loaded byte.  Below it,
 * in the same section, the slots' first-frame areas, FRAMES bytes
 * (_co_first_frame, below). */
#define FRAMES ((CO_CAPACITY * _CO_FRAME_SIZE + CO_PAGE_SIZE - 1) / CO_PAGE_SIZE * CO_PAGE_SIZE)
__asm__(".pushsection .pool, \"aw\", %nobits\n"
	".balign " CO_STR(CO_PAGE_SIZE) "\n"
	".zero " CO_STR(CO_CAPACITY) " * " CO_STR(_CO_FRAME_SIZE) "\n"  /* the first frames */
	".balign " CO_STR(CO_PAGE_SIZE) "\n"
	".globl stack_pool\n"
	".type stack_pool, %object\n"
	"stack_pool:\n"
	".zero " CO_STR(CO_CAPACITY) " * " CO_STR(CO_STACK_SIZE) "\n"
	".size stack_pool, . - stack_pool\n"
	".set _co_stack_size, " CO_STR(CO_STACK_SIZE) "\n"
	".popsection");

/* cos[0] is main, on the process stack; cos[1 + i] owns stack_pool[i];
 * the last is the poller's (internal.h). */
struct co _co_cos[2 + CO_CAPACITY];
#define cos _co_cos

/* The pool's state and the scheduler's, in one object: code reaches every
 * field from one base address (on RISC machines one address computation
 * per function, not one per variable).  internal.h lists its fields. */
struct _co_sched _co_sched;

/* The chunk of stack_pool that c owns. */
unsigned long _co_chunk(struct co *c)
{
	return c - cos - 1;
}

/* ---- slots ------------------------------------------------------------- */

/* The guards.  Linux 6.13 and later install guard regions, madvise(
 * MADV_GUARD_INSTALL): markers in the page table that fault on any access,
 * set without splitting the pool's one mapping.  mprotect splits it, two
 * mappings more per chunk, and the kernel allows a process
 * vm.max_map_count (65530) of them: about 32,000 guarded chunks.
 * The first install is tested, not trusted: an older kernel refuses the
 * advice (-EINVAL), and QEMU's user mode accepts advice it does not
 * perform.  The test has the kernel write into the guard: mincore's answer
 * for one page, into the guard's top byte, must fail with -EFAULT.  A
 * system call whose buffer emulators hand to the kernel (valgrind reads a
 * signal set or a path itself, and would fault on a real guard).  Where the
 * test fails, mprotect guards this chunk and every later one.  VALGRIND=1
 * builds use mprotect from the start: memcheck follows mprotect, but knows
 * nothing of guard regions, and its unwinder would read a guard as words
 * of the stack (a garbage frame in an overflow's report).
 *
 * In batches, in a pool of more than BATCH chunks: where process_madvise
 * takes advice for the process itself (PIDFD_SELF, Linux 6.15), one call
 * installs the guards of a whole batch of chunks, and a second populates
 * the pages their coroutines touch first (prepare, below).  Elsewhere, and
 * in smaller pools (which would not gain what the code costs), one madvise
 * or mprotect per chunk. */
#define BATCH 256                               /* chunks per call, at most */
#define BATCHED (CO_CAPACITY > BATCH && !CO_VALGRIND)

static struct { void *base; unsigned long len; } ranges[BATCHED ? BATCH + 2 : 1];  /* struct iovec */
static signed char batched = BATCHED ? 0 : -1;  /* 0 untested, 1 works, -1 not */

static long advise(unsigned n, int advice)
{
	return sys_process_madvise(PIDFD_SELF, ranges, n, advice, 0);
}

/* Does the guard below top stop the kernel too? */
static int real(unsigned char *top)
{
	return sys_mincore(top, CO_PAGE_SIZE, top - 1) == -EFAULT;
}

/* The guards of n chunks from chunk on (ranges[] holds them; n is 1 but
 * where batched works): 0, or the error. */
static int guard(unsigned char *chunk, unsigned n)
{
	static signed char how = CO_VALGRIND ? -1 : 0;  /* 0 untested, 1 madvise, -1 mprotect */
	unsigned char *top = chunk + CO_GUARD_SIZE;
	long r;

	if (BATCHED && batched >= 0) {
		r = advise(n, MADV_GUARD_INSTALL);
		if (r == (long)n * CO_GUARD_SIZE && (batched || real(top))) {
			batched = 1;
			return 0;
		}
		if (batched)
			return sys_failed(r) ? (int)r : -ENOMEM;
		batched = -1;
	}
	if (how >= 0 && !sys_madvise(chunk, CO_GUARD_SIZE, MADV_GUARD_INSTALL) &&
	    (how || real(top))) {
		how = 1;
		return 0;
	}
	how = -1;
	return sys_mprotect(chunk, CO_GUARD_SIZE, PROT_NONE);
}

/* ranges[k]: the whole pages from a to b. */
static void span(unsigned k, void *a, void *b)
{
	unsigned long lo = (unsigned long)a & -CO_PAGE_SIZE;

	ranges[k].base = (void *)lo;
	ranges[k].len = (((unsigned long)b + CO_PAGE_SIZE - 1) & -CO_PAGE_SIZE) - lo;
}

/* Chunk i is to be used for the first time: guard it.  With
 * process_madvise, the chunks after it too, as many as have been used
 * before it, up to BATCH (a program of a few coroutines makes as many
 * calls as before, one of many coroutines one call per BATCH), and then
 * populate, in one more call, the pages their coroutines touch first:
 * each stack's top page, their struct co and their first frames: the
 * kernel's work of a fault each, done in one call (docs/pool.md). */
static int prepare(unsigned i)
{
	unsigned n = batched == 1 ? i + 1 : 1, k;
	int err;

	if (!BATCHED)
		return guard(stack_pool[i], 1);
	n = n > BATCH ? BATCH : n;
	n = n > CO_CAPACITY - i ? CO_CAPACITY - i : n;
	for (k = 0; k < n; k++)
		span(k, stack_pool[i + k], stack_pool[i + k] + CO_GUARD_SIZE);
	if ((err = guard(stack_pool[i], n)))
		return err;
	if (batched == 1) {
		for (k = 0; k < n; k++)
			span(k, stack_pool[i + k] + CO_STACK_SIZE - 1, stack_pool[i + k] + CO_STACK_SIZE);
		span(n, &cos[1 + i], &cos[1 + i + n]);
		span(n + 1, _co_first_frame(&cos[1 + i]), _co_first_frame(&cos[1 + i + n]));
		advise(n + 2, MADV_POPULATE_WRITE);     /* or each a fault later */
	}
	_co_sched.prepared = i + n;
	return 0;
}

/* A free slot: a returned one, else one never used, whose guard is set now
 * (prepare: the first use of a chunk costs at most a system call, later
 * ones none).
 * VALGRIND=1: memcheck learns then that the chunk is a stack, so that sp
 * jumping into it or out of it is a switch, not frames pushed or popped.
 * NULL with *err = -EAGAIN when every slot is in use, or the guard's error
 * (-ENOMEM: mprotect past the kernel's vm.max_map_count; build with GUARD=0). */
struct co *_co_slot_take(int *err)
{
	struct co *c = _co_sched.free_slots;
	unsigned i;

	if (c) {
		_co_sched.free_slots = c->next;
		return c;
	}
	i = _co_sched.never_used;
	*err = -EAGAIN;
	if (i == CO_CAPACITY)
		return 0;
	if (CO_GUARD_SIZE && (!BATCHED || i == _co_sched.prepared) && (*err = prepare(i)))
		return 0;
	c = &cos[1 + i];
#if CO_VALGRIND
	VALGRIND_STACK_REGISTER(stack_pool[i] + CO_GUARD_SIZE, stack_pool[i] + CO_STACK_SIZE - 1);
#endif
	_co_sched.never_used = i + 1;
	return c;
}

void _co_slot_give(struct co *c)
{
	c->next = _co_sched.free_slots;
	_co_sched.free_slots = c;
}

/* Where a coroutine's stack starts: the top of its chunk, less 64 bytes
 * times (slot % COLOURS).  Without this "colouring" every chunk's top frame
 * sits at the same offset from a 64 KiB boundary, so the frames of many
 * coroutines fall into one cache set and evict each other.  32 colours, not
 * the 64 lines of a page: the top frames still spread over 32 sets, and the
 * colour (at most 1984 bytes) leaves a coroutine more than 2 KiB of the
 * chunk's top page, room for its first frame and a kilobyte or so of its own:
 * a small coroutine costs one page of memory, not two (tests/t_pool.c). */
#define COLOURS 32

/* Reckoned from c's byte offset in cos[1..], which is _co_chunk(c) * 64 (one
 * cache line per struct co): the colour is that offset's low bits and the
 * chunk's address a multiple of it, with no index computed in between.
 * From the pool's first byte, not from stack_pool[0], whose bounds the
 * offset leaves (clang's UBSan traps there). */
_Static_assert(sizeof(struct co) == 64, "stack_top assumes 64-byte struct co");

/* First frames: one area of _CO_FRAME_SIZE bytes per slot, where co_spawn
 * lays out the frame that the first switch to a coroutine loads
 * (_co_frame), rather than on the new stack, whose top page would then be
 * touched, and cost a fault, at the spawn; _co_entry moves sp to the stack
 * as it starts.  The areas lie just below stack_pool, in .pool (above), so
 * that code finds them from stack_pool's address, which it has at hand
 * (one base address, as for _co_sched).  From c's byte offset in cos[1..],
 * as _co_stack_top: cos[1 + i]'s area is at i * _CO_FRAME_SIZE.
 * VALGRIND=1 builds keep the frame on the stack, just below its top:
 * memcheck follows stacks by sp, and an area of each slot that sp visits
 * for one switch confuses its bookkeeping of what lies below sp. */
void *_co_first_frame(struct co *c)
{
	unsigned long off = (char *)c - (char *)&cos[1];        /* _co_chunk(c) * 64 */

	if (CO_VALGRIND)        /* on the stack, where memcheck follows sp */
		return (char *)_co_stack_top(c) - _CO_FRAME_SIZE;
	return (void *)((unsigned long)stack_pool - FRAMES + off * (_CO_FRAME_SIZE / 64));
}

void *_co_stack_top(struct co *c)
{
	unsigned long off = (char *)c - (char *)&cos[1];        /* _co_chunk(c) * 64 */

	return (unsigned char *)stack_pool + off * (CO_STACK_SIZE / 64) + CO_STACK_SIZE
	       - (off & (COLOURS - 1) * 64) - CO_VALGRIND_ROOM;
}

/* ---- overflow protection ------------------------------------------------
 *
 * A chunk of stack_pool, low addresses first:
 *
 *   | guard | canary | ........ stack, growing down ... | colour |
 *   ^ stack_pool[i]  ^ + CO_GUARD_SIZE        stack_top ^        ^ + CO_STACK_SIZE
 *
 * and above it the guard of chunk i + 1 (past the last chunk, no chunk: the
 * end of the program's memory): a coroutine that writes past the top of its
 * stack faults there, and the fault report tells that from chunk i + 1's
 * overflow by the stack pointer (fault.c's report()).
 *
 * What each build protects:
 *   GUARD=1 (the default): a coroutine cannot write into the chunk below
 *     and go on running.  Every frame is probed (coroutine.h; the Makefile's
 *     CLASH_* flags), so no frame, however large, steps over the guard, and
 *     the kernel cannot write a signal frame that does not fit.  Either way
 *     SIGSEGV follows: the fault report (fault.c) names the coroutine whose
 *     guard it is and the process dies by the signal (status 139).  The
 *     guard is a guard region or a PROT_NONE page (guard() says which, and why).  The
 *     canary word is not checked: nothing could pass the guard to reach it.
 *   GUARD=0: no guard.  The canary is the chunk's bottom word, which must
 *     still be zero when the coroutine finishes: nothing writes it (the
 *     pool starts zeroed, and CO_STACK_USABLE keeps every stack above it)
 *     but an overflow.  One that wrote anything but zero there is caught as
 *     the coroutine finishes, and the process dies by SIGSEGV.  Given up:
 *     an overflow that writes zero there or skips the word, that stays in
 *     the chunk below, or whose coroutine never finishes, goes unnoticed;
 *     and none is caught before the finish (the check once ran at every
 *     switch out, but the word lies in the chunk's bottom page, and reading
 *     it there would cost every coroutine a second page, or a page-table
 *     entry of the zero page, and every switch a cache line).
 */

static unsigned long *canary(struct co *c)
{
	return (unsigned long *)(stack_pool[_co_chunk(c)] + CO_GUARD_SIZE);
}

/* Die by SIGSEGV, as the fault the canary stands in for would have. */
static __attribute__((noinline, cold)) _Noreturn void canary_damaged(struct co *c)
{
	volatile int *volatile null = 0;

	_co_flush_for_report();
	co_put_err(_CO_OVERFLOWED, c->id);
	co_put_fmt(2, _CO_USABLE ": canary damaged\n", CO_STACK_USABLE, 0, 0, 0);
	co_sigaction(SIGSEGV, 0, 0);                      /* SIG_DFL */
	*null = 0;                                      /* SIGSEGV */
	__builtin_trap();
}

/* As c finishes: GUARD=0 builds only (see above). */
void _co_check_canary(struct co *c)
{
	if (!CO_GUARD && *canary(c))
		canary_damaged(c);
}

/* co_stack_peak's scan (sched.c finds c by its id): the bytes between
 * c's stack top and the lowest word in use, the canary's page up. */
long _co_stack_peak_of(struct co *c)
{
	unsigned long *w;
	unsigned char *top = _co_stack_top(c);

#if CO_VALGRIND
	/* The scan reads words no live frame owns, by design: not an error. */
	VALGRIND_DISABLE_ERROR_REPORTING;
#endif
	for (w = canary(c) + 1; (unsigned char *)w < top && !*w; w++)
		;                                       /* the lowest word in use */
#if CO_VALGRIND
	VALGRIND_ENABLE_ERROR_REPORTING;
#endif
	return top - (unsigned char *)w;
}
