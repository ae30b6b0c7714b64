/*
 * sched.c - the stack pool and the scheduler.
 *
 * Every coroutine but main owns one slot: a `struct co` in cos[1 + i] and
 * the stack chunk stack_pool[i]; cos[0] is main.  Free slots form a LIFO
 * list, taken and returned in O(1); slots never used yet are handed out from
 * a high-water mark, so nothing is initialised at start-up.
 *
 * A coroutine's states are listed with struct co, in internal.h.  A live
 * coroutine's id also hangs in the id table, so co_join finds it in O(1);
 * an id that is not there but was handed out has finished.
 *
 * Blocking: a coroutine that waits (co_join, co_run, a channel, a wait
 * queue, a timer, an fd) describes its wait in a struct _co_wait on its own
 * stack and calls _co_wait; whoever ends the wait calls _co_fire, which
 * takes the coroutine's nodes off every queue they are on, stops its timer
 * and makes it ready.  A wait can end once: a second _co_fire is ignored.
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
 * as extern); it is in the symbol table only, no loaded byte. */
__asm__(".pushsection .pool, \"aw\", %nobits\n"
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
#define MAIN (&cos[0])
struct co *_co_running;                 /* set to main by _co_init */
#define cur _co_running

/* The id table's size: the power of two at or above CO_CAPACITY, so that a
 * bucket is a mask of the id, not a remainder (-Os divides for that). */
#define ID_BUCKETS (2u << (31 - __builtin_clz((CO_CAPACITY - 1) | 1)))

/* The rest of the scheduler's state, in one object: code reaches every field
 * from one base address (on RISC machines one address computation per
 * function, not one per variable). */
static struct sched {
	struct co *free_slots;          /* returned slots, LIFO */
	unsigned never_used;            /* slots never_used.. were never handed out */
	unsigned live;                  /* coroutines alive, main not counted */
	int last_id;                    /* the id handed out last */
	char main_gone;                 /* main called co_exit */
	unsigned long finished;
	struct co *by_id[ID_BUCKETS];   /* id table: live coroutines, by id_bucket */
} S;

static struct co *running(void)
{
	return cur;
}

/* The chunk of stack_pool that c owns. */
static unsigned long chunk(struct co *c)
{
	return c - cos - 1;
}

/* ---- queues ------------------------------------------------------------ */

/* A join queue: the last coroutine to join, or 0; through ->next, a
 * circular list, so the last's ->next is the first.  One pointer, where a
 * head and a tail would take two: struct co keeps to one cache line. */
static void enqueue(struct co **last, struct co *c)
{
	struct co *l = *last;

	c->next = l ? l->next : c;
	if (l)
		l->next = c;
	*last = c;
}

/* The ready ring.  The FIFO scheduler keeps the running coroutine and the
 * ready ones in one circular list, doubly linked (->ring forward, ->prev
 * back), in the order they run:
 *
 *     cur -> first ready -> ... -> last ready (cur->prev) -> cur
 *
 * so that the commonest operation, a yield, is one store: cur = cur->ring.
 * Its order is the queue's: the caller goes behind the rest, the head
 * runs.  Making c ready puts it between cur->prev and cur; a coroutine that
 * blocks or finishes leaves the ring as it switches out (run_next).  No one
 * is ready when cur->ring == cur.  With priorities
 * (prio.c's levels) the ring stays cur alone: each coroutine switched to is
 * made a ring of one, so co_yield's plain path sees nobody ready and takes
 * the levels' path. */
const struct _co_levels *_co_levels;            /* internal.h */

void _co_ready(struct co *c)
{
	c->wait = 0;
	if (_co_levels) {
		_co_levels->put(c);
		return;
	}
	c->ring = cur;
	c->prev = cur->prev;
	cur->prev->ring = c;
	cur->prev = c;
}

int _co_nothing_ready(void)
{
	return cur->ring == cur && !(_co_levels && !_co_levels->empty());
}

struct co *_co_take_ready(void)
{
	struct co *c = cur->ring;

	if (c == cur)
		return 0;
	cur->ring = c->ring;
	c->ring->prev = cur;
	return c;
}

/* ---- waiting --------------------------------------------------------------- */

void _co_enqueue_node(struct co_queue *q, struct _co_node *n, struct _co_wait *w)
{
	n->co = _co_cur;
	n->wait = w;
	n->q = q;
	n->next = 0;
	n->prev = q->tail;
	if (q->tail)
		q->tail->next = n;
	else
		q->head = n;
	q->tail = n;
	n->sib = w->nodes;
	w->nodes = n;
}

void _co_unlink_node(struct _co_node *n)
{
	struct co_queue *q = n->q;

	if (!q)
		return;
	*(n->prev ? &n->prev->next : &q->head) = n->next;
	*(n->next ? &n->next->prev : &q->tail) = n->prev;
	n->q = 0;
}

void (*_co_timer_stop)(struct co *c);

void _co_fire(struct co *c, int k, int result)
{
	struct _co_wait *w = c->wait;

	if (!w)
		return;                 /* its wait has already ended */
	for (struct _co_node *n = w->nodes; n; n = n->sib)
		_co_unlink_node(n);
	if (w->timed)
		_co_timer_stop(c);
	w->fired = k;
	w->result = result;
	_co_ready(c);
}

/* Make every coroutine of the join queue ready, in order (prio.c's put
 * writes ->next: read it first). */
static void wake_all(struct co *last)
{
	struct co *c = last ? last->next : 0, *n;

	for (; c; c = c == last ? 0 : n) {
		n = c->next;
		_co_ready(c);
	}
}

/* ---- the id table ------------------------------------------------------ */

static struct co **id_bucket(int id)
{
	return &S.by_id[(unsigned)id & (ID_BUCKETS - 1)];
}

static void id_insert(struct co *c)
{
	struct co **b = id_bucket(c->id);

	c->id_next = *b;
	*b = c;
}

/* Chains are short: ids are handed out in order and at most CO_CAPACITY
 * (<= ID_BUCKETS) are alive, so most buckets hold one coroutine or none. */
static void id_remove(struct co *c)
{
	struct co **p = id_bucket(c->id);

	while (*p != c)
		p = &(*p)->id_next;
	*p = c->id_next;
}

/* Inlined into each caller: with _co_find (for prio.c) a third, the compiler
 * would make it a function, and every program pay for the call. */
static inline __attribute__((always_inline)) struct co *id_find(int id)
{
	struct co *c = *id_bucket(id);

	while (c && c->id != id)
		c = c->id_next;
	return c;
}

/* ---- slots ------------------------------------------------------------- */

/* Make the lowest CO_GUARD_SIZE bytes of chunk a guard: 0, or mprotect's
 * error.  Linux 6.13 and later install guard regions, madvise(
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
 * of the stack (a garbage frame in an overflow's report). */
static int guard(unsigned char *chunk)
{
	static signed char how = CO_VALGRIND ? -1 : 0;  /* 0 untested, 1 madvise, -1 mprotect */
	unsigned char *top = chunk + CO_GUARD_SIZE;

	if (how >= 0 && !sys_madvise(chunk, CO_GUARD_SIZE, MADV_GUARD_INSTALL) &&
	    (how || sys_mincore(top, CO_PAGE_SIZE, top - 1) == -EFAULT)) {
		how = 1;
		return 0;
	}
	how = -1;
	return sys_mprotect(chunk, CO_GUARD_SIZE, PROT_NONE);
}

/* A free slot: a returned one, else one never used, whose guard is set now
 * (so the first use of a chunk costs one system call, later ones none).
 * VALGRIND=1: memcheck learns then that the chunk is a stack, so that sp
 * jumping into it or out of it is a switch, not frames pushed or popped.
 * NULL with *err = -EAGAIN when every slot is in use, or the guard's error
 * (-ENOMEM: mprotect past the kernel's vm.max_map_count; build with GUARD=0). */
static struct co *slot_take(int *err)
{
	struct co *c = S.free_slots;

	if (c) {
		S.free_slots = c->next;
		return c;
	}
	*err = -EAGAIN;
	if (S.never_used == CO_CAPACITY)
		return 0;
	if (CO_GUARD_SIZE && (*err = guard(stack_pool[S.never_used])))
		return 0;
#if CO_VALGRIND
	VALGRIND_STACK_REGISTER(stack_pool[S.never_used] + CO_GUARD_SIZE,
				stack_pool[S.never_used] + CO_STACK_SIZE - 1);
#endif
	return &cos[1 + S.never_used++];
}

static void slot_give(struct co *c)
{
	c->next = S.free_slots;
	S.free_slots = c;
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

/* Reckoned from c's byte offset in cos[1..], which is chunk(c) * 64 (one
 * cache line per struct co): the colour is that offset's low bits and the
 * chunk's address a multiple of it, with no index computed in between.
 * From the pool's first byte, not from stack_pool[0], whose bounds the
 * offset leaves (clang's UBSan traps there). */
_Static_assert(sizeof(struct co) == 64, "stack_top assumes 64-byte struct co");

static void *stack_top(struct co *c)
{
	unsigned long off = (char *)c - (char *)&cos[1];        /* chunk(c) * 64 */

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
 * What each build protects:
 *   GUARD=1 (the default): a coroutine cannot write into the chunk below
 *     and go on running.  Every frame is probed (coroutine.h; the Makefile's
 *     CLASH_* flags), so no frame, however large, steps over the guard, and
 *     the kernel cannot write a signal frame that does not fit.  Either way
 *     SIGSEGV follows: on_fault names the coroutine whose guard it is and
 *     the process dies by the signal (status 139).  The guard is a
 *     guard region or a PROT_NONE page (guard() says which, and why).  The
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
	return (unsigned long *)(stack_pool[chunk(c)] + CO_GUARD_SIZE);
}

/* " in the runtime's poller\n", set by timer.c as the poller starts: the
 * report's words for it (it has no id of its own), only in the
 * programs that have it. */
const char *_co_poller_says;

/* What stdout's buffer holds, before any report: print.c's co_flush, the
 * exit hook, set with the first output.  The hook is unset first: a flush
 * that fails then ends nothing (print.c), and nothing flushes twice. */
static void flush_stdout(void)
{
	void (*flush)(void) = _co_exit_hook;

	_co_exit_hook = 0;
	if (flush)
		flush();
}

/* "coroutine 3 overflowed its stack (57344 bytes usable; STACK_SIZE=65536)":
 * what coroutine.h guarantees, and the setting that gives more. */
#define OVERFLOWED "coroutine # overflowed its stack ("
#define USABLE "# bytes usable; STACK_SIZE=" CO_STR(CO_STACK_SIZE) ")"

/* Die by SIGSEGV, as the fault the canary stands in for would have. */
static __attribute__((noinline, cold)) _Noreturn void canary_damaged(struct co *c)
{
	volatile int *volatile null = 0;

	flush_stdout();
	co_put_err(OVERFLOWED, c->id);
	co_put_fmt(2, USABLE ": canary damaged\n", CO_STACK_USABLE, 0, 0, 0);
	sys_signal(SIGSEGV, 0, 0);                      /* SIG_DFL */
	*null = 0;                                      /* SIGSEGV */
	__builtin_trap();
}

/* As c finishes: GUARD=0 builds only (see above). */
static void check_canary(struct co *c)
{
	if (!CO_GUARD && *canary(c))
		canary_damaged(c);
}

/* The interrupted stack pointer and program counter in the ucontext a
 * handler gets: their indexes there as an array of longs (the kernel's
 * struct ucontext, uc_mcontext).  x86: the trap number too (13, a
 * general-protection fault).  TRAP: the bytes of the instruction the
 * compiler (GCC, or clang where it differs) emits for UBSan's checks,
 * TRAP_AT bytes into it (compared byte by byte: a pc need not be aligned,
 * and UBSan would trap on a misaligned read). */
#if defined(__x86_64__)
#define UC_SP 20        /* uc_mcontext at 40: r8-r15, rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp */
#define UC_PC 21        /* rip, eflags, cs..ss, err, trapno */
#define UC_TRAPNO 25
#ifdef __clang__
#define TRAP "\x67\x0f\xb9"         /* ud1l kind(%eax), %eax: SIGILL */
#else
#define TRAP "\x0f\x0b"             /* ud2: SIGILL */
#endif
#elif defined(__aarch64__)
#define UC_SP 54        /* uc_mcontext at 176: fault_address, x0-x30, sp */
#define UC_PC 55        /* pc */
#ifdef __clang__
#define TRAP_AT 2
#define TRAP "\x2a\xd4"             /* brk #0x55xx, xx UBSan's check: SIGTRAP */
#else
#define TRAP "\x00\x7d\x20\xd4"     /* brk #1000: SIGTRAP */
#endif
#elif defined(__riscv)
#define UC_SP 24        /* uc_mcontext at 176: pc, ra, sp */
#define UC_PC 22
#ifdef __clang__
#define TRAP "\x00\x00"             /* c.unimp: SIGILL */
#else
#define TRAP "\x02\x90"             /* c.ebreak: SIGTRAP */
#endif
#elif defined(__arm__)
#define UC_SP 21        /* uc_mcontext at 20: trap_no, error_code, oldmask, r0-r10, fp, ip, sp */
#define UC_PC 23        /* lr, pc */
#ifdef __clang__
#define TRAP "\xfe\xde"             /* Thumb udf #254: SIGILL */
#else
#define TRAP "\xff\xde"             /* Thumb udf #255: SIGILL */
#endif
#elif defined(__i386__)
#define UC_SP 12        /* uc_mcontext at 20: gs, fs, es, ds, edi, esi, ebp, esp */
#define UC_PC 19        /* ebx, edx, ecx, eax, trapno, err, eip */
#define UC_TRAPNO 17
#ifdef __clang__
#define TRAP "\x0f\xb9"             /* ud1l kind(%eax), %eax: SIGILL */
#else
#define TRAP "\x0f\x0b"             /* ud2: SIGILL */
#endif
#elif defined(__s390x__)
#define UC_SP 22        /* uc_mcontext at 40: psw (mask, addr: the pc), r0-r15 */
#define UC_PC 6
#define TRAP "\x00\x01"             /* j .+2 lands on 0x0001: SIGILL */
#else
#error "unsupported architecture: add the ucontext's sp and pc indexes (UC_SP, UC_PC)"
#endif

#ifndef TRAP_AT
#define TRAP_AT 0       /* where in the instruction TRAP's bytes start */
#endif
#define SI_KERNEL 0x80  /* si_code: raised by the kernel, not by an instruction */
#ifndef CO_UBSAN
#define CO_UBSAN 0      /* make UBSAN=1 sets it */
#endif

/* A signal frame on an AVX-512 CPU takes about 3.4 KB: MINSIGSTKSZ is not
 * enough. */
static char altstack[16384] __attribute__((aligned(16)));

/* What the signal is, in the words of strsignal(3), by sig & 7: SIGSEGV
 * (11) 3, SIGBUS (7) 7, SIGILL (4) 4, SIGTRAP (5) 5: one string, offsets
 * into it.  In UBSAN=1 builds, UBSan's trap by name. */
static const char *what(int sig, unsigned long pc)
{
	static const char names[] = "segmentation fault\0bus error\0"
		"illegal instruction\0breakpoint trap";
	static const unsigned char at[8] = { [3] = 0, [7] = 19, [4] = 29, [5] = 49 };

	if (CO_UBSAN && (sig == SIGILL || sig == SIGTRAP) &&
	    !__builtin_memcmp((void *)(pc + TRAP_AT), TRAP, sizeof TRAP - 1))
		return "undefined behaviour (UBSan trap)";
	return names + at[sig & 7];
}

/* SIGSEGV, SIGBUS, SIGILL and SIGTRAP, on altstack, with the signal blocked
 * and (SA_RESETHAND) its default action back.  First what the program
 * printed to stdout goes out (flush_stdout), then one line in
 * three pieces says what happened, by si_code:
 *   1..127     an instruction faulted at si_addr: the address it touched
 *              (SIGSEGV, SIGBUS), or its own (SIGILL, SIGTRAP).  In a guard,
 *              that is the overflow of the guard's coroutine, whoever is
 *              current (a switch faults after cur has named the next).
 *   SI_KERNEL  no address: the kernel could not write a signal frame below
 *              the interrupted sp (the overflow of the coroutine whose
 *              chunk sp is in), or, on x86, a general-protection fault,
 *              such as a store through a non-canonical address: trap
 *              number 13, or (QEMU gives no trap number) sp further above
 *              a guard than any frame's size (altstack's).  The report
 *              then gives the pc.
 *   <= 0       sent by a process (kill, tgkill, sigqueue).
 * Any other report names the running coroutine, or the poller (which has
 * no id); a signal sent names the sender, si_pid (0: the kernel).  Then the
 * handler sends itself the signal, delivered as it returns: the process
 * dies by it (status 139, or 135 for SIGBUS, 132 SIGILL, 133 SIGTRAP; a
 * core dump where enabled), even when no instruction faulted that would
 * fault again. */
static void on_fault(int sig, void *info, void *uc)
{
	int code = ((int *)info)[2];
	/* si_addr (a long), or si_pid (an int at the same address: the long's
	 * low half on little-endian machines, its high half on 64-bit
	 * big-endian ones), after three ints: offset 16 on 64-bit, 12 on 32-bit */
	unsigned long addr = ((unsigned long *)info)[sizeof(long) == 8 ? 2 : 3];
	unsigned long *regs = uc, at = addr, reach = CO_GUARD_SIZE, off, a2 = addr;
	struct co *c = running();
#ifdef UC_TRAPNO
	int gp = code == SI_KERNEL && regs[UC_TRAPNO] == 13;
#else
	int gp = 0;
#endif
	const char *t1 = what(sig, regs[UC_PC]), *t2 = " at 0x@", *t3 = "\n";
	long a1 = 0;
	int pid;

	flush_stdout();
	if (code == SI_KERNEL && !gp) {         /* no room for a frame at sp? */
		at = regs[UC_SP];
#ifdef UC_TRAPNO
		reach += sizeof altstack;       /* any frame fits in that */
#else
		reach = CO_STACK_SIZE;          /* nothing else comes without an address */
#endif
	}
	off = at - (unsigned long)stack_pool;
	if (code > 0 && off < sizeof stack_pool && off % CO_STACK_SIZE < reach) {
		t1 = OVERFLOWED;
		a1 = cos[1 + off / CO_STACK_SIZE].id;
		t2 = USABLE;
		a2 = CO_STACK_USABLE;
	} else {
		if (code <= 0) {
			t2 = " sent by pid #";
			a2 = (unsigned)(addr >> (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__ ?
						 8 * (sizeof(long) - sizeof(int)) : 0));
		} else if (code >= SI_KERNEL) {
			t2 = " at pc 0x@";
			a2 = regs[UC_PC];
#ifdef UC_TRAPNO
			if (sig == SIGSEGV)     /* no address, no overflow */
				t1 = "general protection fault";
#endif
		}
		t3 = _co_poller_says && c == &cos[_CO_POLLER] ? _co_poller_says : " in coroutine #\n";
		at = c->id;
	}
	co_put_err(t1, a1);
	co_put_fmt(2, t2, a2, _co_unset(), _co_unset(), _co_unset());   /* one number each */
	co_put_fmt(2, t3, at, _co_unset(), _co_unset(), _co_unset());
	pid = sys_getpid();
	sys_tgkill(pid, pid, sig);      /* this thread's, not any thread's */
}

/* Called by _start before main: the ready ring, the handler and its stack. */
void _co_init(void)
{
	static const struct sys_stack ss = { altstack, 0, sizeof altstack };
#if CO_VALGRIND
	/* valgrind reads a program's symbols and lines only once it has seen
	 * both its segments mapped from the file: a program with no
	 * initialised data, whose data segment is all .bss, gets one byte. */
	static volatile char in_file = 1;

	(void)in_file;                  /* a load: the linker keeps the byte */
#endif

	cur = MAIN;                     /* the ready ring: main alone */
	MAIN->ring = MAIN->prev = MAIN;
	sys_sigaltstack(&ss, 0);
	sys_signal(SIGSEGV, on_fault, SA_ONSTACK | SA_RESETHAND);
	sys_signal(SIGBUS, on_fault, SA_ONSTACK | SA_RESETHAND);
	sys_signal(SIGILL, on_fault, SA_ONSTACK | SA_RESETHAND);
	sys_signal(SIGTRAP, on_fault, SA_ONSTACK | SA_RESETHAND);
}

/* ---- switching --------------------------------------------------------- */

/* What each blocked coroutine waits for, the first DEADLOCK_LINES of them.
 * Only a coroutine blocked in _co_wait (co_join, a channel, a wait queue)
 * can be part of a deadlock, and _co_wait sets this hook: a program that
 * never blocks so carries no report. */
#define DEADLOCK_LINES 16

static void report_waits(void)
{
	unsigned shown = 0;

	for (struct co *c = cos; c < cos + 1 + S.never_used; c++) {
		if (!c->wait || shown++ >= DEADLOCK_LINES)
			continue;
		co_put_fmt(2, "  coroutine # ", c->id, 0, 0, 0);
		co_put_fmt(2, c->wait->why, c->wait->arg, 0, 0, 0);
		co_put_str(2, "\n");
	}
	if (shown > DEADLOCK_LINES)
		co_put_fmt(2, "  and # more\n", shown - DEADLOCK_LINES, 0, 0, 0);
}

static void (*report)(void);

/* Every live coroutine is blocked and none can wake another: say so, and
 * on what each waits, and exit. */
static _Noreturn void deadlock(void)
{
	co_put_err("deadlock: every coroutine waits for another\n", 0);
	if (report)
		report();
	co_exit_process(CO_EXIT_DEADLOCK);
}

/* The caller, self, is not ready (it blocked or finished): run the next
 * ready coroutine.  Returns when someone makes self ready and it is its
 * turn.  (The poller, timer.c, is ready while anyone waits for time or an
 * fd, so an empty queue means that nothing can wake anyone.) */
static void run_next(struct co *self)
{
	struct co *next = self->ring;

	if (next != self) {                     /* self leaves the ring */
		self->prev->ring = next;
		next->prev = self->prev;
	} else if (_co_levels && (next = _co_levels->take())) {
		next->ring = next->prev = next; /* with priorities: a ring of one */
	} else if (S.main_gone && !S.live) {
		co_exit_process(0);
	} else {
		deadlock();
	}
	cur = next;                     /* next may be self (with priorities) */
	_co_switch(&self->sp, &next->sp);
}

/* co_yield with priorities in use (the ring then holds cur alone). */
static __attribute__((noinline)) void yield_levels(struct co *self)
{
	if (_co_levels) {
		_co_ready(self);
		run_next(self);
	}
}

/* The ring turns: self becomes the last, the first ready runs. */
void co_yield(void)
{
	struct co *self = cur, *next = self->ring;

	if (next == self) {
		yield_levels(self);
		return;
	}
	cur = next;
	_co_switch(&self->sp, &next->sp);
}

void _co_wait(struct _co_wait *w)
{
	struct co *self = running();

	report = report_waits;
	self->wait = w;
	run_next(self);
}

/* ---- the API ----------------------------------------------------------- */

int co_spawn(void (*fn)(void *), void *arg)
{
	struct co *c;
	int err = -EAGAIN;

	if (!fn)
		return -EINVAL;
	if (S.last_id == 0x7fffffff || !(c = slot_take(&err)))
		return err;
#if CO_VALGRIND
	/* memcheck: what an earlier coroutine left in the chunk is no value of
	 * the new one's, and reading it is an error (the canary word aside,
	 * which GUARD=0 builds read at the finish and no coroutine writes). */
	VALGRIND_MAKE_MEM_UNDEFINED(stack_pool[chunk(c)] + CO_GUARD_SIZE + sizeof(long),
				    CO_STACK_SIZE - CO_GUARD_SIZE - sizeof(long));
#endif
	c->id = ++S.last_id;
	c->joiners = 0;
	c->prio = running()->prio;      /* its spawner's level */
	c->sp = _co_frame(stack_top(c), fn, arg);
	id_insert(c);
	S.live++;
	_co_ready(c);
	return c->id;
}

int co_self(void)
{
	return running()->id;
}

/* main's wait in co_run, ended by the last coroutine to finish. */
static struct _co_wait main_in_run;

_Noreturn void co_exit(void)
{
	struct co *self = running();

	if (self == MAIN) {
		S.main_gone = 1;
	} else {
		check_canary(self);
		id_remove(self);
		wake_all(self->joiners);
		S.live--;
		S.finished++;
		if (!S.live && MAIN->wait == &main_in_run)
			_co_ready(MAIN);
		/* Our chunk is free from here on, but nobody can take it
		 * before we have switched away: there is no one else running. */
		slot_give(self);
	}
	run_next(self);
	__builtin_unreachable();
}

int co_join(int id)
{
	struct co *self = running(), *target;

	if (id < 0 || id > S.last_id)
		return -ESRCH;
	if (id == self->id)
		return -EDEADLK;
	if (id == 0)
		return -EINVAL;
	target = id_find(id);
	if (!target)
		return 0;               /* it has finished already */
	enqueue(&target->joiners, self);
	_co_wait(&(struct _co_wait){ .why = "waits to join coroutine #", .arg = id });
	return 0;
}

int co_run(void)
{
	if (cur != MAIN)
		return -EPERM;
	if (S.live) {           /* not _co_wait: co_run alone cannot deadlock */
		main_in_run.why = "(main) waits in co_run";
		MAIN->wait = &main_in_run;
		run_next(MAIN);
	}
	return 0;
}

long co_stack_peak(int id)
{
	struct co *c = id_find(id);     /* NULL for 0 and for negative ids too */
	unsigned long *w;
	unsigned char *top;

	if (!c)
		return id ? -ESRCH : -EINVAL;
	top = stack_top(c);
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

struct co *_co_find(int id)
{
	return id ? id_find(id) : S.main_gone ? 0 : MAIN;
}

unsigned long co_finished(void) { return S.finished; }
