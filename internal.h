/*
 * internal.h - the runtime's private names: what one of its files defines
 * for another, and no program should call.  Grouped by the file that
 * defines each name; every one starts with _co_.  The API is coroutine.h,
 * print.h and syscalls.h.
 *
 * Optional parts attach through hooks: a part that a program may leave out
 * (events, the output buffer) stores its function in a pointer the first
 * time it is used, and the core calls through the pointer if it is set.
 * A program that never calls the part never references it, so the linker
 * leaves it out.  Weak symbols would do the same job, but a weak reference
 * compiles to a load from the GOT on aarch64, and the GOT brings a section
 * and a relocation into every program, the demo included.
 */
#ifndef INTERNAL_H
#define INTERNAL_H

/* ---- start.S, switch.S ------------------------------------------------- */

/* Push the caller's callee-saved state, store sp in *save, load sp from
 * *load, pop and return there: the context switch. */
void _co_switch(void **save, void **load);
/* Lay out below top a first frame that _co_switch enters as fn(arg). */
void *_co_frame(void *top, void (*fn)(void *), void *arg);

/* ---- syscalls.c -------------------------------------------------------- */

/* Called by _start with the initial sp: reads argc, argv, envp and the
 * auxiliary vector, runs main, exits with its status. */
_Noreturn void _co_start_c(long *sp);
extern unsigned long *_co_auxv;         /* the auxiliary vector */
extern const char *_co_name;            /* argv[0]'s last component */
/* Run once by co_exit_process before exit_group; print.c sets it to
 * flush standard output's buffer. */
extern void (*_co_exit_hook)(void);

/* ---- sched.c ----------------------------------------------------------- */

/* The fault report: its handler and signal stack, before main. */
void _co_init(void);
/* Set by event.c once a coroutine waits for time or an fd: called when no
 * coroutine is ready, it sleeps in the kernel until it has made one ready
 * (1), or returns 0 at once if nothing it watches could wake anyone. */
extern int (*_co_idle)(void);
/* Coroutines by index: 0 is main, 1 + i owns stack_pool[i]. */
unsigned _co_current(void);             /* the running one's index */
void _co_block(void);                   /* switch away until woken */
void _co_wake(unsigned i);              /* make i ready (tail of the queue) */

#endif
