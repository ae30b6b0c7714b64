/*
 * arch.h - what the runtime's C files know of the machine, below every
 * other private header: it includes nothing of ours, so the system-call
 * layer (syscalls.c) can use it and know nothing above it.
 *
 * The C side's per-architecture constants, in one #if chain (x86_64,
 * aarch64, riscv64, arm, i386, s390x): a port adds its block here, and the
 * other files docs/porting.md lists.  Each block gives
 *   UC_SP, UC_PC  the interrupted stack pointer's and program counter's
 *                 indexes in the ucontext a signal handler gets, read as an
 *                 array of longs (the kernel's struct ucontext, uc_mcontext;
 *                 fault.c);
 *   UC_TRAPNO     x86 only: the trap number's (13, a general-protection
 *                 fault; fault.c);
 *   TRAP          the bytes of the instruction the compiler (GCC, or clang
 *                 where it differs) emits for UBSan's checks, found TRAP_AT bytes
 *                 from the pc (compared byte by byte: a pc need not be aligned,
 *                 and UBSan would trap on a misaligned read; fault.c);
 *   VDSO_CLOCK    the vDSO's clock_gettime symbol (clock.c), 64-bit time;
 *   ARCH_RESTORER 1 where the process supplies the signal return trampoline
 *                 (SA_RESTORER: syscalls.c's co_sigreturn), else 0;
 *   ARCH_YIELD    1 where switch.S has co_yield itself, the switch inlined
 *                 (sched.c's C version is left out), else 0.
 * The assembly's blocks (start.S, switch.S, clone.S) and the system-call
 * primitive (syscalls.c's syscall6) stay beside their code.
 */
#ifndef ARCH_H
#define ARCH_H

#if defined(__x86_64__)
#define UC_SP 20        /* uc_mcontext at 40: r8-r15, rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp */
#define UC_PC 21        /* rip, eflags, cs..ss, err, trapno */
#define UC_TRAPNO 25
#ifdef __clang__
#define TRAP "\x67\x0f\xb9"         /* ud1l kind(%eax), %eax: SIGILL */
#else
#define TRAP "\x0f\x0b"             /* ud2: SIGILL */
#endif
#define VDSO_CLOCK "__vdso_clock_gettime"
#define ARCH_RESTORER 1
#define ARCH_YIELD 1
#elif defined(__aarch64__)
#define UC_SP 54        /* uc_mcontext at 176: fault_address, x0-x30, sp */
#define UC_PC 55        /* pc */
#ifdef __clang__
#define TRAP_AT 2
#define TRAP "\x2a\xd4"             /* brk #0x55xx, xx UBSan's check: SIGTRAP */
#else
#define TRAP "\x00\x7d\x20\xd4"     /* brk #1000: SIGTRAP */
#endif
#define VDSO_CLOCK "__kernel_clock_gettime"
#define ARCH_RESTORER 0
#define ARCH_YIELD 0
#elif defined(__riscv)
#define UC_SP 24        /* uc_mcontext at 176: pc, ra, sp */
#define UC_PC 22
#ifdef __clang__
#define TRAP "\x00\x00"             /* c.unimp: SIGILL */
#else
#define TRAP "\x02\x90"             /* c.ebreak: SIGTRAP */
#endif
#define VDSO_CLOCK "__vdso_clock_gettime"
#define ARCH_RESTORER 0
#define ARCH_YIELD 0
#elif defined(__arm__)
#define UC_SP 21        /* uc_mcontext at 20: trap_no, error_code, oldmask, r0-r10, fp, ip, sp */
#define UC_PC 23        /* lr, pc */
#ifdef __clang__
#define TRAP "\xfe\xde"             /* Thumb udf #254: SIGILL */
#else
#define TRAP "\xff\xde"             /* Thumb udf #255: SIGILL */
#endif
#define VDSO_CLOCK "__vdso_clock_gettime64"
#define ARCH_RESTORER 0
#define ARCH_YIELD 0
#elif defined(__i386__)
#define UC_SP 12        /* uc_mcontext at 20: gs, fs, es, ds, edi, esi, ebp, esp */
#define UC_PC 19        /* ebx, edx, ecx, eax, trapno, err, eip */
#define UC_TRAPNO 17
#ifdef __clang__
#define TRAP "\x0f\xb9"             /* ud1l kind(%eax), %eax: SIGILL */
#else
#define TRAP "\x0f\x0b"             /* ud2: SIGILL */
#endif
#define VDSO_CLOCK "__vdso_clock_gettime64"
#define ARCH_RESTORER 1
#define ARCH_YIELD 0
#elif defined(__s390x__)
#define UC_SP 22        /* uc_mcontext at 40: psw (mask, addr: the pc), r0-r15 */
#define UC_PC 6
#define TRAP "\x00\x01"             /* j .+2 lands on 0x0001: SIGILL */
#define TRAP_AT -2      /* the psw points past that 2-byte instruction */
#define VDSO_CLOCK "__kernel_clock_gettime"
#define ARCH_RESTORER 0
#define ARCH_YIELD 0
#else
#error "unsupported architecture: add its block to arch.h (see docs/porting.md)"
#endif
#ifndef TRAP_AT
#define TRAP_AT 0       /* where in the instruction TRAP's bytes start */
#endif

/* A value for an argument the callee does not read (a system call's past
 * its count, co_put_fmt's past its template's numbers): whatever its
 * register holds, so that no instruction sets it. */
static inline long _co_unset(void)
{
	long v;

	__asm__ volatile("" : "=r"(v));
	return v;
}

#endif
