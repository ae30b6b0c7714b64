/*
 * internal.h - the runtime's private names: what one of its files defines
 * for another, and no program should call.  Grouped by the file that
 * defines each name, the files from the bottom layer up (syscalls, output,
 * pool, scheduler, fault report, time, boot); the functions and variables start
 * with _co_, the macros with _CO_, and the types are struct co and
 * struct _co_*.  The API is coroutine.h, print.h and syscalls.h.
 *
 * Optional parts attach through hooks: a part that a program may leave out
 * (timers, fds, co_select's fd cases, priorities, the deadlock report, the
 * output buffer) stores its function in a pointer the first time it is
 * used (the fd cases: where coroutine.h's CO_FD_READ is named), and the
 * core calls through the pointer if it is set.
 * A program that never calls the part never references it, so the linker
 * leaves it out.  Weak symbols would do the same job, but a weak reference
 * compiles to a load from the GOT on aarch64, and the GOT brings a section
 * and a relocation into every program, the demo included.
 */
#ifndef INTERNAL_H
#define INTERNAL_H

#include "arch.h"          /* _co_unset */

/* ---- start.S, switch.S ------------------------------------------------- */

/* Push the caller's callee-saved state, store sp in *save, load sp from
 * *load, pop and return there: the context switch. */
void _co_switch(void **save, void **load);
/* Lay out at the end of area (_CO_FRAME_SIZE bytes) a first frame that
 * _co_switch enters as fn(arg) run on the stack that starts at top;
 * returns the frame's address, the saved sp of a coroutine that has not
 * run yet.  area is the slot's own (pool.c's _co_first_frame: the new
 * stack is not touched until the coroutine runs), or the poller's, just
 * below its top. */
void *_co_frame(void *area, void *top, void (*fn)(void *), void *arg);
/* The room for that frame in a slot's area: its bytes as switch.S draws
 * it (with x86_64's control state below it, in the red zone), rounded up
 * to a multiple of 64 (pool.c finds a slot's area from its struct co's
 * offset in one multiplication by a small number). */
#if defined(__x86_64__)
#define _CO_FRAME_SIZE 64
#elif defined(__aarch64__)
#define _CO_FRAME_SIZE 192      /* 176 */
#elif defined(__riscv)
#define _CO_FRAME_SIZE 256      /* 208 */
#elif defined(__arm__)
#define _CO_FRAME_SIZE 128      /* 112 */
#elif defined(__i386__)
#define _CO_FRAME_SIZE 64       /* 28 */
#elif defined(__s390x__)
#define _CO_FRAME_SIZE 256      /* 232 */
#endif

/* ---- syscalls.c -------------------------------------------------------- */

extern char **_co_envp;         /* the environment, the auxiliary vector after its NULL (boot.c sets it) */

/* ---- print.c ----------------------------------------------------------- */

extern const char *_co_name;    /* argv[0], NULL if none (boot.c sets it); co_put_err prints its last component */
/* Run once by co_exit_process before exit_group; print.c's out() sets it to
 * co_flush, to flush standard output's buffer. */
extern void (*_co_exit_hook)(void);
/* What stdout's buffer holds, before a report of a fault or an overflow
 * (fault.c, pool.c): print.c's co_flush, the exit hook, set with the first
 * output.  The hook is unset first: a flush that fails then ends nothing
 * (print.c), and nothing flushes twice. */
static inline void _co_flush_for_report(void)
{
	void (*flush)(void) = _co_exit_hook;

	_co_exit_hook = 0;
	if (flush)
		flush();
}

/* Set by event.c once it has made broken pipes fail with EPIPE instead of
 * killing (its SIGPIPE handler): called with the fd of a write that got
 * EPIPE, it makes a program whose standard output or error is broken die
 * by SIGPIPE all the same. */
extern void (*_co_broken_pipe)(int fd);
/* For the formatter (format.c): n bytes to fd, stdout through its buffer;
 * v's digits in base 10 or 16, written backwards from end (the first
 * returned). */
void _co_out(int fd, const char *s, unsigned long n);
char *_co_digits(char *end, unsigned long v, unsigned base);

/* ---- sched.c ----------------------------------------------------------- */

/* A coroutine.  cos[0] is main, cos[1 + i] owns stack_pool[i], and
 * cos[_CO_POLLER] is the runtime's own poller (timer.c), which has a stack
 * of its own and no id.  A coroutine is, at any time, exactly one of:
 *   running  - it is _co_running;
 *   ready    - on the ready ring (FIFO through ->ring, sched.c; on its
 *              level's ring once co_set_priority has been called, prio.c);
 *   blocked  - ->wait says on what (its struct _co_wait, on its own stack);
 *   free     - its slot is on the free list (->next), or never used. */
struct co {
	void *sp;               /* saved stack pointer while switched out */
	struct co *ring, *prev; /* the ready ring (sched.c): who runs after, before */
	struct co *next;        /* link in a join queue or the free list */
	struct co *joiners;     /* coroutines blocked in co_join on this one: the
				 * last to join, its ->next the first (sched.c) */
	struct co *id_next;     /* chain of the id table bucket */
	struct _co_wait *wait;  /* blocked: what it waits for; 0 otherwise */
	int id;                 /* 1, 2, ... (in the id table while alive) */
	signed char prio;       /* its priority level less CO_PRIO_DEFAULT (prio.c) */
} __attribute__((aligned(64)));         /* one cache line each */

#define _CO_POLLER (1 + CO_CAPACITY)

/* ---- pool.c ------------------------------------------------------------ */

extern struct co _co_cos[2 + CO_CAPACITY];

/* The id table's size: the power of two at or above CO_CAPACITY, so that a
 * bucket is a mask of the id, not a remainder (-Os divides for that). */
#define _CO_ID_BUCKETS (2u << (31 - __builtin_clz((CO_CAPACITY - 1) | 1)))

/* The pool's state and the scheduler's, in one object (pool.c): code
 * reaches every field from one base address (on RISC machines one address
 * computation per function, not one per variable). */
struct _co_sched {
	struct co *free_slots;          /* returned slots, LIFO (pool.c) */
	unsigned never_used;            /* slots never_used.. were never handed out */
	unsigned prepared;              /* chunks ..prepared-1 are guarded (pool.c) */
	unsigned live;                  /* coroutines alive, main not counted */
	int last_id;                    /* the id handed out last */
	char main_gone;                 /* main called co_exit */
	unsigned long finished;
	struct co *by_id[_CO_ID_BUCKETS]; /* id table: live coroutines, by id_bucket */
};
extern struct _co_sched _co_sched;

/* The chunk of stack_pool that c owns. */
unsigned long _co_chunk(struct co *c);
/* A free slot, its chunk guarded, or NULL with *err = -EAGAIN (every slot
 * in use) or the guard's error; give one back; where its stack starts. */
struct co *_co_slot_take(int *err);
void _co_slot_give(struct co *c);
void *_co_stack_top(struct co *c);
/* c's first-frame area (_co_frame). */
void *_co_first_frame(struct co *c);
/* As c finishes: GUARD=0 builds check its canary (dies by SIGSEGV). */
void _co_check_canary(struct co *c);
/* How deep c's stack has been: co_stack_peak's scan. */
long _co_stack_peak_of(struct co *c);

/* "coroutine 3 overflowed its stack (57344 bytes usable; STACK_SIZE=65536)":
 * what coroutine.h guarantees, and the setting that gives more (pool.c's
 * canary, fault.c's report). */
#define _CO_OVERFLOWED "coroutine # overflowed its stack ("
#define _CO_USABLE "# bytes usable; STACK_SIZE=" CO_STR(CO_STACK_SIZE) ")"

/* ---- sched.c ----------------------------------------------------------- */

extern struct co *_co_running;          /* the running coroutine */
/* Its index in _co_cos, as wait nodes and the timer heap name coroutines. */
static inline unsigned _co_running_index(void)
{
	return _co_running - _co_cos;
}

/* What a blocked coroutine waits for, on its own stack: a sentence for the
 * deadlock report and the debugger ("waits to join coroutine #", # being
 * arg), the nodes it has put on wait queues (linked by ->sib), and, once
 * _co_fire has ended the wait, which node did (-1: the runtime, its
 * timeout or a cancel) and the result the waker gave (for -1: -ETIMEDOUT
 * or -ECANCELED). */
struct _co_wait {
	const char *why;
	long arg;
	struct _co_node *nodes;
	int fired, result;
	char timed;             /* a timer runs for it (timer.c) */
	char joins;             /* it is on the join queue of coroutine arg */
	char fds;               /* counted among the fd waits (event.c) */
};
#define _CO_ABORT (-1)          /* _co_fire's k for a timeout or a cancel */

/* Block the caller on w until _co_fire ends its wait. */
void _co_wait(struct _co_wait *w);
/* End the wait of coroutine c (if it still waits): node k (-1: the timeout)
 * ended it with result.  Takes c's nodes off their queues, stops its timer,
 * and makes c ready. */
void _co_fire(struct co *c, int k, int result);
/* c's join wait ends otherwise than by the finish (a timeout, a cancel):
 * it leaves the join queue (sched.c; _co_fire calls it through
 * _co_unjoin, which co_join_for and co_cancel set). */
void _co_join_leave(struct co *c);
extern void (*_co_unjoin)(struct co *c);
/* cancel.c, once co_cancel has been called: called by _co_wait before it
 * blocks; 1 if a cancel was pending for self, whose wait it has then ended
 * with -ECANCELED (_co_wait returns at once). */
extern int (*_co_cancelled)(struct co *self);
/* main's wait in co_run (not cancellable: cancel.c leaves it alone). */
extern struct _co_wait _co_main_in_run;
/* Make c ready: the tail of the ready queue (of its level, with priorities). */
void _co_ready(struct co *c);
/* Is no coroutine ready (the running one aside)? */
int _co_nothing_ready(void);
/* Wait queues of nodes (co_queue, coroutine.h). */
void _co_enqueue_node(struct co_queue *q, struct _co_node *n, struct _co_wait *w);
void _co_unlink_node(struct _co_node *n);

/* Hooks the optional parts set (see the top of this file).  timer.c: stop
 * c's timer.  prio.c: the levels' rings, which replace the one ready ring
 * once co_set_priority has been called (put a ready coroutine; self blocks
 * or finishes: take it off its ring and return the next to run, or 0; is
 * none ready but the running one? asked by the poller at each turn).
 * co_yield calls none of them: it turns whichever ring the running
 * coroutine is on (prio.c). */
extern void (*_co_timer_stop)(struct co *c);
struct _co_levels {
	void (*put)(struct co *c);
	struct co *(*take)(struct co *self);
	int (*empty)(void);
};
extern const struct _co_levels *_co_levels;
/* For prio.c: the coroutine id if it is alive (main, 0, until it calls
 * co_exit), else 0. */
struct co *_co_find(int id);

/* The ready ring (main alone), before main. */
void _co_init(void);

/* ---- fault.c ----------------------------------------------------------- */

/* The fault report: its handler and signal stack, before main. */
void _co_fault_init(void);
/* Set by timer.c as the poller starts: how the fault report names it. */
extern const char *_co_poller_says;

/* ---- timer.c ----------------------------------------------------------- */

/* _co_wait, and if timeout_ns >= 0 a timer that ends the wait after that
 * long (fired -1).  0, or -ETIMEDOUT when the timer ended it, -ECANCELED
 * when co_cancel did. */
int _co_wait_for(struct _co_wait *w, long long timeout_ns);
/* Make sure the poller runs: a coroutine now waits on an fd, or for a
 * deadline (a timed wait, _co_wait_for). */
void _co_poller_wake(void);
/* Set by event.c: its fd waiters' count, and the epoll_pwait that waits up
 * to ms (0: a look, -1: for ever) for their fds and ends the waits of the
 * ready. */
extern unsigned *_co_fd_waiters;
extern void (*_co_fd_epoll_wait)(int ms);

/* ---- chan.c ------------------------------------------------------------ */

/* For event.c's select (co_select with fd cases): channel case c checked
 * (mode 0), tried (1: 0 or its error if done, -EAGAIN if not), or put on
 * its queue for w (2). */
int _co_chan_case(struct co_case *c, int mode, struct _co_wait *w);

/* ---- event.c, io.c ------------------------------------------------------ */

/* Block until fd is ready for some of want, or timeout_ns passes (negative:
 * never), trusting fd's registration (no epoll_ctl) if `trust` and nobody
 * else waits on it, else checking it (the top of event.c).  The ready
 * events, 0 on timeout, -EBADF (fd closed meanwhile), -ECANCELED, or
 * epoll's error. */
int _co_wait_fd(int fd, int want, long long timeout_ns, int trust);
/* fd's state now (ppoll, no waiting): which of events it is ready for (all
 * of them on an error or hang-up), 0 for none, or -EBADF. */
int _co_look(int fd, int events);
/* io.c's reads and writes: a read (dir CO_READ) or write of fd came up
 * short or found it not ready; is fd a stream socket that a short
 * transfer in dir left with nothing more (no more room), no event since? */
void _co_fd_short(int fd, int dir);
int _co_fd_drained(int fd, int dir);

/* ---- boot.c ------------------------------------------------------------ */

/* Called by _start with the initial sp: reads argc, argv, envp and the
 * auxiliary vector, runs main, exits with its status. */
_Noreturn void _co_start_c(long *sp);

/* ---- reloc.c (PIE=1 only) ------------------------------------------------ */

#if CO_PIE
/* Called by _start before anything else: applies the program's RELATIVE
 * relocations, protects RELRO, sets the load base (docs/boot.md). */
void _co_relocate(void);
extern unsigned long _co_load_base;
#endif

#endif
