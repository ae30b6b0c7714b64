/*
 * ssp.c - the stack protector's runtime: the canary and __stack_chk_fail.
 *
 * Code built with -fstack-protector, -strong or -all (HARDEN=1 builds the
 * runtime and the program so: docs/hardening.md) copies a word, the
 * canary, into each protected frame as the function starts, between its
 * arrays and the saved registers, and compares it as the function returns:
 * a buffer overrun that reached the return address has changed it, and the
 * function calls __stack_chk_fail instead of returning.  Where the compiler
 * reads the canary differs by architecture (GCC's and clang's output):
 *   x86_64   %fs:0x28       the thread pointer's, at glibc's TCB offset
 *   aarch64  __stack_chk_guard, a variable
 *   riscv64  __stack_chk_guard
 *   arm      __stack_chk_guard
 *   i386     %gs:0x14
 *   s390x    0x28 past the thread pointer, access registers a0:a1
 * Where it is the thread pointer's, this file sets one up without libc: a
 * static "TCB" of six words, whose word 5 is at 0x28 (0x14 on i386), and
 * the thread pointer at it: arch_prctl(ARCH_SET_FS) on x86_64,
 * set_thread_area and %gs on i386, sar into a0:a1 on s390x.
 *
 * The canary must hold its value before the first protected function
 * starts (on x86_64, i386 and s390x even reading it needs the thread
 * pointer).  So this file's _co_ssp_entry runs before _start: linker.ld
 * makes the program's entry point _co_ssp_entry where it is defined, that
 * is where this file is linked, else _start.  And this file is linked only
 * into a program with protected code: nothing but such code refers to
 * __stack_chk_fail, and _co_ssp_entry sits in its section.  A program
 * without it carries none of this, not a byte (pay for what you use).
 * _co_ssp_entry (assembly, one block per architecture) passes the initial
 * stack pointer to ssp_init, and jumps to _start with every register
 * _start reads as the kernel left it.
 *
 * The canary is AT_RANDOM's first word (16 random bytes the kernel gives
 * each exec, in the auxiliary vector; getrandom on a kernel that gives
 * none), with its first byte in memory zeroed, as glibc does: a string copy
 * that overruns a buffer stops at a zero byte, so it cannot write the
 * canary back, nor can a string that is printed read it out.
 *
 * This file is built without the protector (ssp_init changes the canary
 * under its own frame) and without link-time optimisation, like mem.c: the
 * compiler emits the calls to __stack_chk_fail as it generates code, after
 * LTO would have dropped it as unused.
 */
#include "coroutine.h"
#include "print.h"
#include "syscalls.h"
#include "internal.h"

/* __stack_chk_fail's section: what links it links the entry too. */
#define SSP_TEXT __attribute__((section(".text.__stack_chk_fail"), used))

#if defined(__x86_64__) || defined(__i386__) || defined(__s390x__)
static unsigned long tcb[6];            /* word 5: the canary (0x28, i386 0x14) */
#define CANARY tcb[5]
#else
unsigned long __stack_chk_guard;
#define CANARY __stack_chk_guard
#endif

/* The canary from the auxiliary vector of sp, the initial stack pointer
 * (start.S draws that stack), and the thread pointer at tcb.  In a PIE=1
 * program this runs before the program has relocated itself (reloc.c):
 * no pointer may come from initialised data, such as the template that
 * the compiler copies an initialised local array from. */
SSP_TEXT static void ssp_init(long *sp)
{
	char **e = (char **)(sp + 1) + sp[0] + 1;       /* envp */
	unsigned long *a;

	while (*e++)
		;
	for (a = (unsigned long *)e; a[0] != AT_NULL && a[0] != AT_RANDOM; a += 2)
		;
	if (a[0] == AT_RANDOM)
		__builtin_memcpy(&CANARY, (void *)a[1], sizeof CANARY);
	else
		syscall6(__NR_getrandom, (long)&CANARY, sizeof CANARY, 0, 0, 0, 0);
	*(unsigned char *)&CANARY = 0;
#if defined(__x86_64__)
	syscall6(__NR_arch_prctl, 0x1002 /* ARCH_SET_FS */, (long)tcb, 0, 0, 0, 0);
#elif defined(__i386__)
	/* The kernel's struct user_desc: entry -1 (a free TLS entry, written
	 * back), base, limit 4 GiB in pages, flags seg_32bit | limit_in_pages
	 * | useable; then %gs selects that GDT entry, privilege level 3. */
	unsigned desc[4] = { -1u, 0, 0xfffff, 0x51 };

	desc[1] = (unsigned)tcb;        /* not in the initialiser: see above */
	syscall6(__NR_set_thread_area, (long)desc, 0, 0, 0, 0, 0);
	__asm__ volatile ("movw %w0, %%gs" : : "q"(desc[0] * 8 + 3));
#elif defined(__s390x__)
	unsigned long tp = (unsigned long)tcb;

	__asm__ volatile ("sar %%a1, %0\n\tsrlg %0, %0, 32\n\tsar %%a0, %0" : "+d"(tp));
#endif
}

/* The entry point (linker.ld): ssp_init(sp), then _start, with sp, and
 * every other register _start reads, as the kernel left them. */
__asm__(".pushsection .text.__stack_chk_fail, \"ax\", %progbits\n"
	".globl _co_ssp_entry\n"
	".type _co_ssp_entry, %function\n"
#if defined(__x86_64__)
	"_co_ssp_entry:\n"
	"	mov %rsp, %rbx\n"               /* callee-saved */
	"	mov %rsp, %rdi\n"
	"	and $-16, %rsp\n"
	"	call ssp_init\n"
	"	mov %rbx, %rsp\n"
	"	jmp _start\n"
#elif defined(__aarch64__)
	"_co_ssp_entry:\n"
	"	mov x0, sp\n"                   /* 16-aligned already */
	"	bl ssp_init\n"
	"	b _start\n"
#elif defined(__riscv) && __riscv_xlen == 64
	"_co_ssp_entry:\n"
	"	.option push\n"                 /* gp first, as in _start */
	"	.option norelax\n"
	"	lla gp, __global_pointer$\n"
	"	.option pop\n"
	"	mv s1, sp\n"                    /* callee-saved */
	"	mv a0, sp\n"
	"	andi sp, sp, -16\n"
	"	call ssp_init\n"
	"	mv sp, s1\n"
	"	j _start\n"
#elif defined(__arm__)
	".p2align 2\n"
	".arm\n"
	"_co_ssp_entry:\n"
	"	mov r4, sp\n"                   /* callee-saved */
	"	mov r0, sp\n"
	"	bic sp, sp, #15\n"
	"	bl ssp_init\n"
	"	mov sp, r4\n"
	"	b _start\n"
	".thumb\n"
#elif defined(__i386__)
	"_co_ssp_entry:\n"
	"	mov %esp, %ebx\n"               /* callee-saved */
	"	and $-16, %esp\n"
	"	sub $12, %esp\n"
	"	push %ebx\n"
	"	call ssp_init\n"
	"	mov %ebx, %esp\n"
	"	jmp _start\n"
#elif defined(__s390x__)
	"_co_ssp_entry:\n"
	"	lgr %r2, %r15\n"
	"	lgr %r11, %r15\n"               /* callee-saved */
	"	nill %r15, 0xfff0\n"
	"	aghi %r15, -160\n"              /* the callee's register save area */
	"	brasl %r14, ssp_init\n"
	"	lgr %r15, %r11\n"
	"	jg _start\n"
#else
#error "unsupported architecture: add an _co_ssp_entry block (see docs/porting.md)"
#endif
	".size _co_ssp_entry, . - _co_ssp_entry\n"
	".popsection");

/* A protected function found its canary changed: its frame has been
 * overrun, and nothing in memory is to be trusted.  One line on standard
 * error, which is written at once, naming the coroutine as the fault
 * report does (0 is main); standard output's buffer is left unwritten and
 * no exit hook runs; then death by SIGABRT (status 134), its default
 * action restored and the signal unblocked first. */
_Noreturn void __stack_chk_fail(void)
{
	struct co *c = _co_running;
	unsigned long long abrt = 1ULL << (SIGABRT - 1);        /* a signal set */
	int pid;

	co_put_err("stack smashing detected", 0);
	co_put_fmt(2, _co_poller_says && c == &_co_cos[_CO_POLLER] ? _co_poller_says :
		   " in coroutine #\n", c ? c->id : 0, 0, 0, 0);
	co_sigaction(SIGABRT, 0, 0);            /* SIG_DFL */
	sys_rt_sigprocmask(SIG_UNBLOCK, &abrt, 0, SYS_SIGSET_SIZE);
	pid = sys_getpid();
	sys_tgkill(pid, pid, SIGABRT);
	__builtin_trap();
}

#if defined(__i386__)
/* What position-independent i386 code calls instead (-fpie). */
__attribute__((alias("__stack_chk_fail"), visibility("hidden")))
_Noreturn void __stack_chk_fail_local(void);
#endif
