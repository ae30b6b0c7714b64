/*
 * fault.c - the fault report: what a program that faults is told.
 *
 * SIGSEGV, SIGBUS, SIGILL and SIGTRAP are caught on a signal stack of their
 * own (altstack); on_fault prints one line (an overflow names its
 * coroutine, other faults the address or pc and the running coroutine, a
 * write past the top of a stack says so: report()), then the process dies
 * by the signal.  Where the ucontext holds sp, pc
 * and (x86) the trap number, and the bytes of a trap, are arch.h's.  It
 * reads the pool (which chunk an address is in) and the scheduler (who
 * runs); _co_fault_init, called by boot.c, installs it.
 */
#include "coroutine.h"
#include "print.h"
#include "syscalls.h"
#include "internal.h"       /* and arch.h: UC_SP, UC_PC, UC_TRAPNO, TRAP */

#define cos _co_cos

/* " in the runtime's poller\n", set by timer.c as the poller starts: the
 * report's words for it (it has no id of its own), only in the
 * programs that have it. */
const char *_co_poller_says;

#define SI_KERNEL 0x80  /* si_code: raised by the kernel, not by an instruction */
#ifndef CO_UBSAN
#define CO_UBSAN 0      /* make UBSAN=1 sets it */
#endif

/* A signal frame on an AVX-512 CPU takes about 3.4 KB: MINSIGSTKSZ is not
 * enough. */
static char altstack[16384] __attribute__((aligned(16)));

/* The report's words, in one string: each piece an offset from its start,
 * a small number (on RISC machines one instruction, where a pointer takes
 * two).  The last two only where they can be said.  The tables here are
 * aligned(1): the compiler would otherwise align them for speed (x86_64:
 * to 32 bytes, and with it all of .text, a few dozen bytes of padding in
 * every program). */
#define W_NAMES "segmentation fault\0bus error\0illegal instruction\0breakpoint trap\0"
#define W_OVF _CO_OVERFLOWED "\0"
#define W_USABLE _CO_USABLE "\0"
#define W_SENT " sent by pid #\0"
#define W_PC " at pc 0x@\0"
#define W_AT " at 0x@\0"
#define W_PAST ", outside its stack,"       /* runs on into W_IN */
#define W_IN " in coroutine #\n\0"
#ifdef UC_TRAPNO
#define W_GP "general protection fault\0"
#else
#define W_GP ""
#endif
#if CO_UBSAN
#define W_UBSAN "undefined behaviour (UBSan trap)"
#else
#define W_UBSAN ""
#endif
static const char words[] __attribute__((aligned(1))) = W_NAMES W_OVF W_USABLE W_SENT W_PC W_AT W_PAST W_IN W_GP W_UBSAN;
enum {
	O_OVF = sizeof W_NAMES - 1,
	O_USABLE = O_OVF + sizeof W_OVF - 1,
	O_SENT = O_USABLE + sizeof W_USABLE - 1,
	O_PC = O_SENT + sizeof W_SENT - 1,
	O_AT = O_PC + sizeof W_PC - 1,
	O_PAST = O_AT + sizeof W_AT - 1,
	O_IN = O_PAST + sizeof W_PAST - 1,
	O_NL = O_IN + sizeof W_IN - 3,           /* W_IN's "\n" */
	O_GP = O_IN + sizeof W_IN - 1,
	O_UBSAN = O_GP + sizeof W_GP - 1,
};

/* What the signal is, in the words of strsignal(3), by sig & 7: SIGSEGV
 * (11) 3, SIGBUS (7) 7, SIGILL (4) 4, SIGTRAP (5) 5: offsets into words.
 * In UBSAN=1 builds, UBSan's trap by name. */
static unsigned what(int sig, unsigned long pc)
{
	static const unsigned char at[8] __attribute__((aligned(1))) = { [3] = 0, [7] = 19, [4] = 29, [5] = 49 };

	if (CO_UBSAN && (sig == SIGILL || sig == SIGTRAP) &&
	    !__builtin_memcmp((void *)(pc + TRAP_AT), TRAP, sizeof TRAP - 1))
		return O_UBSAN;
	return at[sig & 7];
}

/* The line on_fault prints, in three pieces, by si_code:
 *   1..127     an instruction faulted at si_addr: the address it touched
 *              (SIGSEGV, SIGBUS), or its own (SIGILL, SIGTRAP).  In a guard,
 *              that is the overflow of the guard's coroutine: it is current,
 *              or sp is in its chunk (a switch faults after _co_running has
 *              named the next), or both (a probe below sp, as s390x's and
 *              aarch64's, may fault with sp already in the chunk below).
 *              Unless the current coroutine owns the chunk below (main:
 *              what lies below the pool) and sp is not in the guard's
 *              chunk: it wrote outside its own stack, past its top (a
 *              buffer overrun upward), and the report names it ("outside
 *              its stack"), not the guard's owner.  Just past the pool's
 *              last chunk, where no guard is, the same.
 *   SI_KERNEL  no address: the kernel could not write a signal frame below
 *              the interrupted sp (the overflow of the coroutine whose
 *              chunk sp is in), or, on x86, a general-protection fault,
 *              such as a store through a non-canonical address: trap
 *              number 13, or (QEMU gives no trap number) sp further above
 *              a guard than any frame's size (altstack's).  The report
 *              then gives the pc.
 *   <= 0       sent by a process (kill, tgkill, sigqueue).
 * Any other report names the running coroutine, or the poller (which has
 * no id); a signal sent names the sender, si_pid (0: the kernel). */
static void report(int sig, void *info, void *uc)
{
	int code = ((int *)info)[2];
	/* si_addr (a long), or si_pid (an int at the same address: the long's
	 * low half on little-endian machines, its high half on 64-bit
	 * big-endian ones), after three ints: offset 16 on 64-bit, 12 on 32-bit */
	unsigned long addr = ((unsigned long *)info)[sizeof(long) == 8 ? 2 : 3];
	unsigned long *regs = uc, at = addr, reach = CO_GUARD_SIZE, off, j, a2 = addr;
	struct co *c = _co_running;
#ifdef UC_TRAPNO
	int gp = code == SI_KERNEL && regs[UC_TRAPNO] == 13;
#else
	int gp = 0;
#endif
	unsigned t1 = what(sig, regs[UC_PC]), t2 = O_AT, t3 = O_IN;
	const char *said;
	long a1 = 0;

	if (code == SI_KERNEL && !gp) {         /* no room for a frame at sp? */
		at = regs[UC_SP];
#ifdef UC_TRAPNO
		reach += sizeof altstack;       /* any frame fits in that */
#else
		reach = CO_STACK_SIZE;          /* nothing else comes without an address */
#endif
	}
	off = at - (unsigned long)stack_pool;
	j = off / CO_STACK_SIZE;                /* the chunk at is in */
	if (code > 0 && off % CO_STACK_SIZE < reach) {        /* in a guard */
		if (c == cos + j &&
		    (regs[UC_SP] - (unsigned long)stack_pool) / CO_STACK_SIZE != j) {
			t3 = O_PAST;    /* c went past the top of its chunk */
		} else if (j < CO_CAPACITY) {
			t1 = O_OVF;
			a1 = cos[1 + j].id;
			t2 = O_USABLE;
			a2 = CO_STACK_USABLE;
			t3 = O_NL;
			goto say;
		}
	}
	if (code <= 0) {
		t2 = O_SENT;
		a2 = (unsigned)(addr >> (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__ ?
					 8 * (sizeof(long) - sizeof(int)) : 0));
	} else if (code >= SI_KERNEL) {
		t2 = O_PC;
		a2 = regs[UC_PC];
#ifdef UC_TRAPNO
		if (sig == SIGSEGV)     /* no address, no overflow */
			t1 = O_GP;
#endif
	}
	at = c->id;
say:
	said = _co_poller_says && c == &cos[_CO_POLLER] && t3 != O_NL ? _co_poller_says : words + t3;
	co_put_err(words + t1, a1);
	co_put_fmt(2, words + t2, a2, _co_unset(), _co_unset(), _co_unset());   /* one number each */
	co_put_fmt(2, said, at, _co_unset(), _co_unset(), _co_unset());
#if CO_PIE
	/* PIE=1: a second line, where the program was loaded and the pc as the
	 * file has it (addr2line -e PROG takes it as it is; docs/boot.md) */
	co_put_err("loaded at 0x@", (long)_co_load_base);
	co_put_fmt(2, ", pc 0x@ in the file\n", (long)(regs[UC_PC] - _co_load_base), 0, 0, 0);
#endif
}

/* SIGSEGV, SIGBUS, SIGILL and SIGTRAP, on altstack, with the signal blocked
 * and (SA_RESETHAND) its default action back.  First what the program
 * printed to stdout goes out (_co_flush_for_report; first of all, so that
 * nothing is kept across it), then the report's line.  Then the handler
 * sends itself the signal, delivered as it returns: the process dies by it
 * (status 139, or 135 for SIGBUS, 132 SIGILL, 133 SIGTRAP; a core dump
 * where enabled), even when no instruction faulted that would fault again. */
static void on_fault(int sig, void *info, void *uc)
{
	int pid;

	_co_flush_for_report();
	report(sig, info, uc);
	pid = sys_getpid();
	sys_tgkill(pid, pid, sig);      /* this thread's, not any thread's */
}

/* The handler and its stack: called by _co_start_c before main.  Only the
 * kernel reads ss, and it copies it from any address: aligned to 2 bytes
 * (the least an address loaded by s390x's larl may have), ss follows
 * what()'s tables unpadded, and s390x's demo keeps its size.  Said of the
 * variable too: the type's alignment alone, x86_64's compiler raises to
 * 16 bytes for speed. */
typedef struct sys_stack __attribute__((aligned(2))) struct_sys_stack_a2;

void _co_fault_init(void)
{
	static const struct_sys_stack_a2 ss __attribute__((aligned(2))) = { altstack, 0, sizeof altstack };

	sys_sigaltstack((const void *)&ss, 0);  /* the kernel reads it unaligned */
	for (const unsigned char *s = (const unsigned char *)"\13\7\4\5"; *s; s++)
		co_sigaction(*s, on_fault, SA_ONSTACK | SA_RESETHAND);
}
