/*
 * coroutine.h - the public API of the coroutines runtime.
 *
 * Cooperative coroutines for freestanding Linux programs: no libc, one
 * process, one thread.  Every coroutine but main runs on a fixed-size chunk
 * of the static `stack_pool` (CO_CAPACITY chunks of CO_STACK_SIZE bytes);
 * main is coroutine 0 and keeps the process stack.
 *
 * Scheduling order (part of the contract):
 *   - co_spawn appends the new coroutine to the tail of the ready queue and
 *     returns to its caller without switching;
 *   - co_yield appends the caller to the tail and runs the head;
 *   - when a coroutine finishes or blocks (co_join, co_run, a wait for time,
 *     an fd, a channel, a queue), the head runs.
 * main takes part in this order like any other coroutine.
 *
 * Errors are negative errno values (-EAGAIN, -EINVAL, ...); there is no
 * global errno.  Their names come with this header, from the kernel's
 * <asm/errno.h> (no libc; the C library's <errno.h> includes the same file,
 * so a program may include both).  A program's entry point is
 *     int main(int argc, char **argv, char **envp);
 * and its return value is the process's exit status.  When main returns the
 * process exits, whatever other coroutines are still alive.
 */
#ifndef COROUTINE_H
#define COROUTINE_H

#include <asm/errno.h>      /* EAGAIN, EPIPE, ...: the codes the calls return */

/* The pool: set with `make STACK_SIZE=... CAPACITY=...`; these are the defaults. */
#ifndef CO_STACK_SIZE
#define CO_STACK_SIZE 65536     /* bytes per chunk, a multiple of CO_PAGE_SIZE,
				 * at least CO_MIN_STACK_SIZE (below) */
#endif
#ifndef CO_CAPACITY
#define CO_CAPACITY 256         /* chunks, so coroutines alive at once besides main */
#endif
#define CO_PAGE_SIZE 4096       /* the page size the pool is aligned to */

/* The lowest CO_GUARD_SIZE bytes of each chunk are PROT_NONE: a coroutine
 * that overflows its stack faults there instead of writing into the chunk
 * below (`make GUARD=0` turns them off).  Frames are probed (Makefile,
 * CLASH_*) so that no frame, however large, steps over a guard: two
 * successive stores down the stack are never more than a page apart, except
 * on riscv64 under gcc, whose probes (-fstack-check) are a page apart and
 * begin CO_PROBE_REACH bytes below sp, so a store can follow the one before
 * it by a page and a prologue's few bytes: its guard is two pages wide.
 * Where the compiler has no probes (clang on aarch64, riscv64 and arm), the
 * build defines CO_FRAME_LIMIT, half a page, and refuses larger frames,
 * VLAs and alloca: successive stores are then less than two frames apart. */
#ifndef CO_GUARD
#define CO_GUARD 1
#endif
#if !CO_GUARD
#define CO_GUARD_SIZE 0
#elif defined(__riscv) && !defined(__clang__)
#define CO_GUARD_SIZE (2 * CO_PAGE_SIZE)
#else
#define CO_GUARD_SIZE CO_PAGE_SIZE
#endif
/* The fault report (fault.c): a guard hit, another fault, or SIGSEGV,
 * SIGBUS, SIGILL or SIGTRAP sent by a process, prints one line naming the
 * coroutine before the process dies by the signal.  `make FAULT_REPORT=0`
 * leaves it out, for programs that prefer its bytes: those signals then
 * keep the kernel's default action, and a guard hit kills the process by
 * SIGSEGV (status 139) without a word, buffered output unwritten
 * (docs/pool.md). */
#ifndef CO_FAULT_REPORT
#define CO_FAULT_REPORT 1
#endif
/* co_yield may prefetch the saved registers of the coroutine CO_PREFETCH
 * places ahead on the ready ring (`make PREFETCH=4`), so that they are in
 * the cache when its turn comes: with many coroutines alive, each yield
 * otherwise waits for memory.  0, the default, leaves it out: it costs a
 * few instructions every yield, which a program with few coroutines gains
 * nothing from (docs/switch.md; make bench-scale shows both). */
#ifndef CO_PREFETCH
#define CO_PREFETCH 0
#endif
#if defined(__riscv) && !defined(__clang__)
#define CO_PROBE_REACH 4688     /* GCC 12's probes store this far below sp */
#else
#define CO_PROBE_REACH 0
#endif
/* `make VALGRIND=1`: the runtime tells valgrind's memcheck about every
 * coroutine stack, so that it follows each switch (docs/debugging.md); 0,
 * the default, compiles none of it.  Such a build leaves the top
 * CO_VALGRIND_ROOM bytes of every coroutine stack unused: memcheck's
 * unwinder names no caller of a function running within 512 bytes of the
 * top of its stack. */
#ifndef CO_VALGRIND
#define CO_VALGRIND 0
#endif
#define CO_VALGRIND_ROOM (CO_VALGRIND ? 512 : 0)
/* A coroutine's usable stack: the chunk less the guard, on riscv64 the
 * reach of the probes below the deepest frame, memcheck's room, and 4096
 * bytes, one page, for the rest: the canary word at the bottom and up to
 * 1984 bytes of cache colouring at the top (pool.c's stack_top), rounded up
 * to a page so that the figure is the same for every slot, whatever its
 * colour, and the usable stack ends on a page boundary. */
#define CO_STACK_USABLE (CO_STACK_SIZE - CO_GUARD_SIZE - CO_PROBE_REACH - 4096 - CO_VALGRIND_ROOM)
/* The least usable stack a setting may leave: a page.  The runtime's own
 * deepest path in a coroutine (the formatter, a wait, a switch) takes well
 * under it (co_stack_peak tells), which leaves the program room for frames
 * of its own; with a one-page guard the smallest chunk is then three pages
 * (the guard, the colouring's page, one page).  CO_MIN_STACK_SIZE is the
 * smallest STACK_SIZE that leaves it, in whole pages; a smaller one stops
 * the build here, naming it (#error cannot compute: the #elif lines hold
 * every value the settings give). */
#define CO_STACK_MIN 4096
#define CO_MIN_STACK_SIZE ((CO_STACK_MIN + CO_STACK_SIZE - CO_STACK_USABLE + CO_PAGE_SIZE - 1) \
			   / CO_PAGE_SIZE * CO_PAGE_SIZE)
#if CO_STACK_SIZE < CO_MIN_STACK_SIZE
#if CO_MIN_STACK_SIZE == 8192
#error "STACK_SIZE leaves less than CO_STACK_MIN bytes of usable stack: use STACK_SIZE=8192 or more"
#elif CO_MIN_STACK_SIZE == 12288
#error "STACK_SIZE leaves less than CO_STACK_MIN bytes of usable stack: use STACK_SIZE=12288 or more"
#elif CO_MIN_STACK_SIZE == 16384
#error "STACK_SIZE leaves less than CO_STACK_MIN bytes of usable stack: use STACK_SIZE=16384 or more"
#elif CO_MIN_STACK_SIZE == 20480
#error "STACK_SIZE leaves less than CO_STACK_MIN bytes of usable stack: use STACK_SIZE=20480 or more"
#elif CO_MIN_STACK_SIZE == 24576
#error "STACK_SIZE leaves less than CO_STACK_MIN bytes of usable stack: use STACK_SIZE=24576 or more"
#else
#error "STACK_SIZE leaves less than CO_STACK_MIN bytes of usable stack: use CO_MIN_STACK_SIZE or more"
#endif
#endif

/* Exit statuses the runtime itself uses (sysexits.h numbering). */
#define CO_EXIT_USAGE    2      /* bad command-line arguments (the demo, tests) */
#define CO_EXIT_DEADLOCK 70     /* every live coroutine waits for another */
#define CO_EXIT_IO       74     /* standard output or error could not be written */

/* The pool: chunk i is the stack of one coroutine at a time.  Page-aligned
 * (sched.c defines it so, linker.ld checks): said here, s390x's compiler
 * forms its address with larl instead of loading it from a literal pool. */
extern unsigned char stack_pool[CO_CAPACITY][CO_STACK_SIZE] __attribute__((aligned(CO_PAGE_SIZE)));

/* Start a coroutine running fn(arg).  Returns its id: 1 for the first spawn
 * of a run, then the next integer, never reused.  -EINVAL if fn is NULL,
 * -EAGAIN if every chunk of the pool is in use (or after 2^31-1 spawns),
 * -ENOMEM if the guard page of a chunk used for the first time cannot be set
 * (mprotect, on a kernel without guard regions, past vm.max_map_count:
 * build with GUARD=0).  Does not
 * switch. */
int co_spawn(void (*fn)(void *), void *arg);

/* Let the next ready coroutine run; returns at once if none is ready. */
void co_yield(void);

/* The caller's id: 0 in main. */
int co_self(void);

/* End the calling coroutine; its chunk goes back to the pool and whoever
 * joined it becomes ready.  Returning from fn is the same.  In main, co_exit
 * ends main only: the other coroutines go on running, and the process exits
 * with status 0 when the last of them finishes. */
_Noreturn void co_exit(void);

/* Wait until coroutine id has finished.  0 when it has (at once if it already
 * had); -ESRCH for an id never spawned (negative ones included); -EDEADLK for
 * the caller's own id; -EINVAL for 0 (main) from any other coroutine;
 * -ECANCELED (co_cancel).  co_join_for waits at most timeout_ns, with
 * co_wait_fd's convention (negative: for ever; 0: -ETIMEDOUT at once unless
 * it has finished), and returns -ETIMEDOUT when that passed first. */
int co_join(int id);
int co_join_for(int id, long long timeout_ns);

/* From main: run until every other coroutine has finished, then return 0.
 * -EPERM from any other coroutine.  It takes no timeout and no cancel (a
 * cancel of main while it waits here waits for main's next blocking call):
 * it ends when the others do, so a program that must end by a deadline
 * gives them one (their calls' timeouts, co_cancel from a coroutine that
 * sleeps until it) or returns from main, which ends the process. */
int co_run(void);

/* Cancel coroutine id's current blocking call, or if it is running or
 * ready (id may be the caller's own) its next one: that call returns
 * -ECANCELED; the calls after it behave as usual, and a cancel is not
 * counted (two before a blocking call cancel that call only).  Every call
 * that blocks is cancellable: co_join, co_join_for, co_sleep, co_wait,
 * co_sem_wait, co_send, co_recv, co_select, co_wait_fd, co_read,
 * co_write and their _for variants, co_accept, co_connect,
 * co_wait_process, co_signal_wait; not co_run (above), nor a call that
 * returns without blocking (a channel that holds a message, a semaphore
 * with a unit, an fd that is ready: the cancel waits for the next).
 * Nothing is lost or duplicated: a message is either received or still
 * queued, a semaphore unit taken or not, a signal taken or still pending;
 * a co_write cancelled after some bytes went out returns their count, as
 * after an error; a connection that co_connect was making is closed.
 * 0, or -ESRCH for an id that is not alive (finished, never spawned, or
 * main after co_exit).  Linked only into programs that call it. */
int co_cancel(int id);

/* End the process now with status: flush buffered output (print.h), then
 * exit_group.  Returning from main does the same. */
_Noreturn void co_exit_process(int status);

/* ---- waiting for time (clock.c, timer.c) and file descriptors (event.c) ---
 * Linked only into programs that use them.  While no coroutine is ready,
 * the process sleeps in the kernel until the nearest deadline or an fd event.
 * Any fd the process can hold works (up to its RLIMIT_NOFILE); the runtime
 * keeps state only for coroutines that wait, none per fd.  co_read and
 * co_write never block the process: a socket is read and written with
 * MSG_DONTWAIT; another fd that is not O_NONBLOCK (a shell's pipe, a
 * terminal) is waited on until ready before each read, or write of at most
 * PIPE_BUF (4096) bytes.  The runtime never changes an fd's flags.  Any
 * number of coroutines may wait on one fd, each woken when it is ready for
 * what that one waits for.  An fd closed behind the runtime's back
 * (sys_close, dup2 over it) and reused works at the next wait, which wakes
 * a coroutine still waiting on the old file with -EBADF; until then nothing
 * can tell such a waiter (only its timeout).  A co_read (co_write) of a
 * stream socket whose last read (write) came up short waits for the
 * socket's next event without reading first (docs/events.md): if the
 * socket was closed behind the runtime's back meanwhile and its number
 * reused, the call reads the new file, after up to a second.
 * Errors, as a negative errno:
 *   -EBADF   fd is negative or not open, or was closed while the caller
 *            waited on it (by co_close, or found closed and reused);
 *   -EINVAL  co_wait_fd's events are 0 or not CO_READ | CO_WRITE;
 *   -ENOMEM, -ENOSPC, -EMFILE   epoll could not watch one more fd (-ENOMEM
 *            also: 2 * (1 + CO_CAPACITY) fds are waited on at once);
 *   co_read and co_write also return what read(2) and write(2) (or
 *   recvfrom and sendto) return, -EAGAIN never: -EPIPE (not SIGPIPE) when
 *   a pipe's reader or a socket's peer has gone, but on fd 1 and 2 the
 *   process dies by SIGPIPE, silently, as `yes | head` expects
 *   (docs/events.md).  Nothing of this survives execve. */
#define CO_READ  1
#define CO_WRITE 2

/* CLOCK_MONOTONIC in nanoseconds: the clock co_sleep and the timeouts use.
 * Read through the kernel's vDSO, with no system call, where the process
 * has one (clock.c); co_now_vdso() says 1 if so, 0 if it makes the call. */
long long co_now(void);
int co_now_vdso(void);

/* Suspend the caller for at least ns nanoseconds of CLOCK_MONOTONIC; the
 * others run meanwhile.  0, or -ECANCELED (co_cancel) at once. */
int co_sleep(unsigned long long ns);

/* Until fd is ready for events (CO_READ, CO_WRITE or both) or timeout_ns
 * passes: a negative timeout waits for ever, 0 checks once.  The ready
 * events (all of events on an error or hang-up, for the read or write to
 * report), 0 on timeout, or -EBADF, -EINVAL, -ENOMEM, -ENOSPC,
 * -EMFILE, -ECANCELED (co_cancel: so do co_read, co_write and the socket
 * calls).  A regular file is always ready. */
int co_wait_fd(int fd, int events, long long timeout_ns);

/* read(2), waiting while fd would block: bytes read, 0 at end of file, or a
 * negative errno (-EBADF if co_close closed fd meanwhile).  co_read_for
 * waits at most timeout_ns (co_wait_fd's convention: negative for ever, 0
 * one try) and then returns -ETIMEDOUT. */
long co_read(int fd, void *buf, unsigned long len);
long co_read_for(int fd, void *buf, unsigned long len, long long timeout_ns);

/* Write all of buf, waiting as fd needs: len, or if an error stops it the
 * bytes written so far (the negative errno when there are none; -EPIPE for
 * a broken pipe or socket, but see above for fd 1 and 2).  co_write_for
 * writes for at most timeout_ns in all (one deadline for the whole of buf):
 * when it passes, -ETIMEDOUT, or the count if some bytes went out. */
long co_write(int fd, const void *buf, unsigned long len);
long co_write_for(int fd, const void *buf, unsigned long len, long long timeout_ns);

/* Wake whoever waits on fd (their wait returns -EBADF), then close(2) it:
 * what close returns. */
int co_close(int fd);

/* ---- TCP sockets (net.c) ---------------------------------------------------
 * Linked only into programs that call them.  An address is numeric, never a
 * name (nothing is resolved: no DNS without libc): "127.0.0.1:8080",
 * "[::1]:8080", or ":8080", which co_listen takes as every address (IPv6
 * with IPv4 mapped where the kernel allows, IPv4's 0.0.0.0 where it has no
 * IPv6) and co_connect as 127.0.0.1.  Ports 0-65535.  Any other string (no
 * port, a port past 65535, a bad digit, an unclosed '[', "localhost") or
 * NULL is -EINVAL.  Every fd returned is non-blocking and close-on-exec, for
 * co_read, co_write, co_wait_fd and co_close; a timeout follows
 * co_wait_fd's convention.  Other errors are the system calls' (socket,
 * bind, listen, accept4, connect), e.g. -EADDRINUSE, -ECONNREFUSED. */

/* A listening socket on addr with SO_REUSEADDR and room for backlog
 * pending connections: its fd.  co_listen_shared sets SO_REUSEPORT too:
 * several processes (or sockets) may then listen on the same port, the
 * kernel spreading connections between them. */
int co_listen(const char *addr, int backlog);
int co_listen_shared(const char *addr, int backlog);

/* The next connection on listening socket fd: its fd.  -EAGAIN (timeout
 * 0) or -ETIMEDOUT if none came in time; co_wait_fd's errors. */
int co_accept(int fd, long long timeout_ns);

/* A connection to addr: its fd once established.  -EAGAIN (timeout 0) or
 * -ETIMEDOUT if it was not established in time; the connection's error
 * (-ECONNREFUSED, -ENETUNREACH, ...). */
int co_connect(const char *addr, long long timeout_ns);

/* ---- coroutines that wait for each other -----------------------------------
 * Each part is linked only into programs that call it.  Blocked coroutines
 * are served in the order they came (FIFO).  A timeout follows co_wait_fd's
 * convention: negative waits for ever, 0 tries once without waiting, more
 * waits at most that many nanoseconds (never less).  A coroutine blocked
 * with a timeout is never part of a deadlock.  Every wait below returns
 * -ECANCELED when co_cancel ends it, the operation then not done.  Every type below is ready to
 * use when zeroed (a static variable needs no initialiser) but co_chan,
 * which needs co_chan_init or CO_CHAN_DECLARE. */

/* Private: a blocked coroutine's place in a queue (the runtime's). */
struct _co_node {
	struct _co_node *next, *prev, *sib;
	struct co_queue *q;
	struct _co_wait *wait;
	unsigned co;
	int index;
	void *msg;
};

/* A wait queue (wait.c), for state that is not a message: a coroutine
 * waits until another wakes it, as with a condition variable.  There are no
 * spurious wake-ups, and nothing is remembered: a wake with nobody waiting
 * is lost, so check the state, wait, check again. */
struct co_queue {
	struct _co_node *head, *tail;
};

/* Wait on q until co_wake_one or co_wake_all wakes the caller: 0, or
 * -ETIMEDOUT when timeout_ns passed first (at once for 0), -EINVAL for a
 * NULL q. */
int co_wait(struct co_queue *q, long long timeout_ns);

/* Wake the coroutine that has waited on q longest: 1, or 0 if none waits.
 * It runs when its turn comes (the caller does not switch).  -EINVAL for a
 * NULL q. */
int co_wake_one(struct co_queue *q);

/* Wake every coroutine waiting on q, in the order they came: how many, or
 * -EINVAL for a NULL q. */
int co_wake_all(struct co_queue *q);

/* A counting semaphore (wait.c): co_sem_wait takes one unit, waiting while
 * there is none; co_sem_post gives one back, to the longest waiter first.
 * Zeroed, it holds no unit: CO_SEM_INIT(n) holds n. */
struct co_sem {
	long count;
	struct co_queue waiters;
};
#define CO_SEM_INIT(n) { (n), { 0, 0 } }

/* 0, -ETIMEDOUT, or -EINVAL for a NULL s. */
int co_sem_wait(struct co_sem *s, long long timeout_ns);
/* 0, or -EINVAL for a NULL s, -EOVERFLOW past LONG_MAX units. */
int co_sem_post(struct co_sem *s);

/* A channel (chan.c): fixed-size messages from coroutines that send to
 * coroutines that receive, in order.  With a capacity of 0 a send waits
 * for a receiver (a rendezvous); with more, the channel holds up to that
 * many messages in a ring buffer the caller provides (capacity * size
 * bytes), and a send waits only while it is full.  No allocation. */
struct co_chan {
	unsigned magic;                 /* CO_CHAN_MAGIC once initialised */
	unsigned size, cap;             /* message size; capacity, in messages */
	unsigned head, count;           /* the oldest message; how many held */
	int closed;
	unsigned char *buf;             /* cap * size bytes */
	struct co_queue senders, receivers;
};
#define CO_CHAN_MAGIC 0x6368616eu

/* A channel and its storage, as static variables:
 *     CO_CHAN_DECLARE(jobs, struct job, 16);     (then use &jobs) */
#define CO_CHAN_DECLARE(name, type, capacity)                                  \
	static unsigned char name##_buf[(capacity) ? (capacity) * sizeof(type) : 1]; \
	static struct co_chan name = { CO_CHAN_MAGIC, sizeof(type), (capacity), 0, 0, 0, \
				       name##_buf, { 0, 0 }, { 0, 0 } }

/* Make ch a channel of messages of size bytes, holding up to capacity of
 * them in buf (capacity * size bytes; NULL if capacity is 0).  0, or
 * -EINVAL: ch is NULL, size is 0, or capacity > 0 with buf NULL or with
 * capacity * size past the address space (32-bit machines).  Never
 * initialise a channel anyone waits on. */
int co_chan_init(struct co_chan *ch, unsigned size, void *buf, unsigned capacity);

/* Send the size bytes at msg: 0 once a receiver has taken them or the
 * channel holds them.  Errors: -ESHUTDOWN the channel is closed (or was
 * closed while the caller waited: the message was not sent); -EAGAIN
 * (timeout 0) or -ETIMEDOUT: it could not be sent in time; -EINVAL ch is
 * NULL or not initialised; -EFAULT msg is NULL. */
int co_send(struct co_chan *ch, const void *msg, long long timeout_ns);

/* Receive the oldest message into msg (size bytes): 0.  Errors: -EPIPE the
 * channel is closed and holds nothing more; -EAGAIN (timeout 0) or
 * -ETIMEDOUT; -EINVAL; -EFAULT msg is NULL. */
int co_recv(struct co_chan *ch, void *msg, long long timeout_ns);

/* Close ch: no more sends (-ESHUTDOWN); receivers take what it holds, then
 * get -EPIPE; every coroutine blocked on it wakes with that answer (a
 * select by the first of its cases on ch, as co_select says).  0, or
 * -EALREADY if it was closed, -EINVAL. */
int co_chan_close(struct co_chan *ch);

/* co_select: wait for the first of several operations: channel sends and
 * receives, and fd readiness.  A channel case names a channel, CO_SEND or
 * CO_RECV, and the message's address; an fd case (event.c) names an fd and
 * CO_FD_READ or CO_FD_WRITE; the rest of the struct is the runtime's.
 *     struct co_case k[2] = { { .ch = &jobs, .op = CO_RECV, .msg = &job },
 *                             { .op = CO_FD_READ, .fd = sock } };
 *     int i = co_select(k, 2, 5000000000LL);  (0: a job, 1: sock readable,
 *                                              -ETIMEDOUT: 5 s passed)
 * CO_FD_READ and CO_FD_WRITE are not constants: each links event.c's part
 * into the program that names it (a program whose selects use channels
 * only carries none of it), so use them in an automatic initialiser or an
 * assignment, not in a static initialiser or a switch's case label. */
#define CO_SEND 1
#define CO_RECV 2
#define _CO_FD_READ 3
#define _CO_FD_WRITE 4
struct co_case {
	struct co_chan *ch;             /* a channel case's channel */
	int op;                         /* CO_SEND, CO_RECV, CO_FD_READ or CO_FD_WRITE */
	void *msg;                      /* a channel case's message */
	int result;                     /* set by co_select: as co_send/co_recv; fd: 0, -EBADF */
	int fd;                         /* an fd case's fd */
	struct _co_node node;
};
/* Private: CO_FD_READ and CO_FD_WRITE make co_select event.c's. */
extern int (*_co_select_fd)(struct co_case *cases, int n, long long timeout_ns);
int _co_select_fds(struct co_case *cases, int n, long long timeout_ns);
static inline int _co_fd_op(int op)
{
	_co_select_fd = _co_select_fds;
	return op;
}
#define CO_FD_READ  _co_fd_op(_CO_FD_READ)
#define CO_FD_WRITE _co_fd_op(_CO_FD_WRITE)

/* Perform exactly one of the n cases, waiting until one can be done or
 * timeout_ns passes: the index of the case done, its result in
 * cases[i].result.  A channel case's is 0, or -EPIPE/-ESHUTDOWN for a
 * closed channel, which is always ready.  An fd case is ready when
 * co_wait_fd would say so (an error or hang-up included: the read or write
 * tells which), and its result is 0, or -EBADF for an fd that is not open
 * or that co_close closes while the select waits (an fd case does no
 * reading or writing: the caller does that next).  When several are ready
 * at once, the first in the array wins: order the cases by importance (a
 * case that is always ready starves those after it).  Any number of fd
 * cases, on one fd or several, and any number of coroutines selecting on
 * the same fd (each woken by its readiness).  Errors: -EAGAIN (timeout 0)
 * or -ETIMEDOUT, none was ready in time; -ECANCELED (co_cancel); -EINVAL:
 * n < 1, cases NULL, or a case with a bad channel or op; -EFAULT a channel
 * case's msg is NULL; for fd cases co_wait_fd's -ENOMEM, -ENOSPC, -EMFILE.
 * When it returns, no case is left waiting: a select that a channel (or a
 * timeout, or a cancel) ended leaves nothing on the fds it waited on. */
int co_select(struct co_case *cases, int n, long long timeout_ns);

/* ---- priorities (prio.c) ---------------------------------------------------
 * Levels 0 .. CO_PRIORITIES - 1; higher runs first: a coroutine runs only
 * when none of a higher level is ready, FIFO within a level.  Every
 * coroutine starts at its spawner's level, main at CO_PRIO_DEFAULT.  A
 * program that never calls co_set_priority runs the one FIFO queue, and its
 * co_yield the same instructions as without this part. */
#ifndef CO_PRIORITIES
#define CO_PRIORITIES 8
#endif
#define CO_PRIO_DEFAULT (CO_PRIORITIES / 2)

/* Set coroutine id's level (0 for main): 0.  -ESRCH for an id that is not
 * alive, -EINVAL for a level outside 0 .. CO_PRIORITIES - 1.  The caller does
 * not switch: a coroutine raised above it runs at the caller's next yield. */
int co_set_priority(int id, int level);

/* Coroutine id's level, or -ESRCH. */
int co_priority(int id);

/* How many bytes of its chunk coroutine id has touched so far: the distance
 * from the top of its stack down to the lowest word that is not zero (the
 * pool starts zeroed).  Costs nothing until asked; then a scan up from the
 * bottom of the chunk (pages never touched read as the kernel's zero page).
 * A chunk that held an earlier coroutine still holds its words: the figure
 * is then at least that one's.  -ESRCH for an id that is not alive (never
 * spawned, or finished); -EINVAL for 0 (main's stack is the process's). */
long co_stack_peak(int id);

/* Counters for the curious (the demo's summary). */
unsigned long co_finished_count(void);  /* coroutines that have finished */
/* co_finished_count's name until this release (it read like a question):
 * an alias for one release, then gone. */
#define co_finished co_finished_count

/* ---- processes (proc.c) and signals (signal.c) -----------------------------
 * Each linked only into programs that call it (docs/programs.md). */

/* Start the program at path with argv (NULL-terminated, argv[0] first) and
 * envp (NULL: the process's own environment).  A path with no '/' is looked
 * for in the directories of envp's PATH (default /usr/local/bin:/bin:
 * /usr/bin), as execvp does.  fds NULL: the child inherits 0, 1 and 2;
 * else fds[0], fds[1], fds[2] become its 0, 1 and 2 (any order, overlaps
 * included).  Other fds are inherited unless O_CLOEXEC.  The child starts
 * with every signal at its default disposition and an empty signal mask,
 * whatever the parent set.  Cheap: no copy of the parent's memory
 * (clone(CLONE_VM | CLONE_VFORK), as posix_spawn), but the child runs on
 * about 6 KiB of the caller's stack (11 KiB on riscv64), and the process
 * waits for its execve.  Returns the child's pid,
 * which co_wait_process must reap; or, when it could not start (nothing is
 * left to reap), the errno of execve or of the fd set-up: -ENOENT, -EACCES,
 * -ENOEXEC, -EBADF (a bad fd in fds), ...; -EFAULT for a NULL path or argv. */
int co_exec(const char *path, char *const argv[], char *const envp[], const int fds[3]);

/* Wait, without blocking the other coroutines, until child pid has ended,
 * and reap it: its shell-style status, 0-255 for an exit, 128 + N for death
 * by signal N.  -ETIMEDOUT when timeout_ns passed first (the child is left
 * running; 0 checks once), -ECHILD if pid is not a child of the process
 * that is not yet reaped (by another wait, or pid <= 0).  Any number of
 * coroutines may each wait for a child of their own. */
int co_wait_process(int pid, long long timeout_ns);

/* Wait for a signal of set (bit N - 1 selects signal N, 1 .. 64): the
 * number of the signal taken.  The first wait for a signal routes it to the
 * runtime for the rest of the process: it is blocked, no handler runs, and
 * a routed signal that arrives while nobody waits for it is kept pending
 * (one of each standard signal) for the next wait that wants it.  Signals
 * never waited for keep their default action; co_signal_wait(set, 0) routes
 * set without waiting.  Several coroutines waiting for the same signal get
 * one each, the longest waiter first.  -ETIMEDOUT when timeout_ns passed
 * first (at once for 0); -EINVAL for an empty set or one naming SIGKILL,
 * SIGSTOP or a fault (SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE: those stay
 * with the fault report); a signalfd's error (-EMFILE, -ENOMEM). */
int co_signal_wait(unsigned long long set, long long timeout_ns);
#define CO_SIG(n) (1ULL << ((n) - 1))   /* co_signal_wait's bit for signal n */

/* ---- small helpers (helpers.c; costring.h has the string functions) ------ */

/* How many messages ch holds now (senders waiting on a full or rendezvous
 * channel not counted), or -EINVAL for a NULL or uninitialised ch. */
int co_chan_len(const struct co_chan *ch);

/* How many units s holds now (0 while anyone waits), or -EINVAL for NULL. */
long co_sem_value(const struct co_sem *s);

#endif
