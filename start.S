/*
 * start.S - _start, the first instruction the kernel runs.
 *
 * The kernel leaves the initial stack like this (higher addresses up, one
 * word = 8 bytes on 64-bit, 4 on 32-bit):
 *
 *             +--------------------------+
 *             | strings, AT_RANDOM bytes |  argv[] and envp[] point up here
 *             +--------------------------+
 *             | AT_NULL      | 0         |  end of the auxiliary vector
 *             | ...          | ...       |
 *             | AT_PAGESZ    | 4096      |  (type, value) pairs
 *   auxv ---> | AT_...       | value     |
 *             +--------------------------+
 *             | NULL                     |
 *             | envp[envc-1] ... envp[0] |
 *   envp ---> +--------------------------+  envp = argv + argc + 1
 *             | NULL                     |  argv[argc]
 *             | argv[argc-1] ... argv[0] |
 *   argv ---> +--------------------------+  argv = sp + 1 word
 *   sp ---->  | argc                     |
 *             +--------------------------+
 *
 * _start itself does only what C cannot (after musl and nolibc):
 *   1. clear the frame pointer (and the link register) so unwinders stop;
 *   2. pass sp, which points at argc, as the first argument;
 *   3. align sp as the ABI wants at a call (16 bytes everywhere here;
 *      s390x also leaves the 160-byte register save area that a caller
 *      provides below its frame, for the callee to store registers in);
 *   4. call _co_start_c (syscalls.c), which reads argc, argv, envp and the
 *      auxiliary vector in C, installs the fault report, runs main and
 *      exits with its status.  It never returns.
 * A PIE=1 program (CO_PIE) first calls _co_relocate (reloc.c), between 3.
 * and 4., keeping step 2's argument in a callee-saved register: until it
 * returns no global that holds an address may be read (docs/boot.md).
 */
	.section .note.GNU-stack, "", %progbits
	.cfi_sections .debug_frame
	.text
	.globl _start
	.type _start, %function

#if defined(__x86_64__)
/* ---- x86_64 ------------------------------------------------------------ */
_start:
	.cfi_startproc
	.cfi_undefined rip
	xor	%ebp, %ebp              /* 1. */
	mov	%rsp, %rdi              /* 2. */
	and	$-16, %rsp              /* 3. */
#if CO_PIE
	mov	%rdi, %rbx
	call	_co_relocate
	mov	%rbx, %rdi
#endif
	call	_co_start_c                /* 4. */
	.cfi_endproc

#elif defined(__aarch64__)
/* ---- aarch64 ----------------------------------------------------------- */
_start:
	.cfi_startproc
	.cfi_undefined x30
	mov	x29, #0                 /* 1. */
	mov	x30, #0
	mov	x0, sp                  /* 2. */
					/* 3. nothing: sp is always 16-aligned
					 *    on aarch64, the hardware checks */
#if CO_PIE
	mov	x19, x0
	bl	_co_relocate
	mov	x0, x19
#endif
	bl	_co_start_c                /* 4. */
	.cfi_endproc

#elif defined(__riscv) && __riscv_xlen == 64
/* ---- riscv64 ----------------------------------------------------------- */
_start:
	.cfi_startproc
	.cfi_undefined ra
	.option push                    /* gp must be set before any C code runs: */
	.option norelax                 /* the linker relaxes loads against it */
	lla	gp, __global_pointer$
	.option pop
	li	s0, 0                   /* 1. */
	li	ra, 0
	mv	a0, sp                  /* 2. */
	andi	sp, sp, -16             /* 3. */
#if CO_PIE
	mv	s1, a0
	call	_co_relocate
	mv	a0, s1
#endif
	call	_co_start_c                /* 4. */
	.cfi_endproc

#elif defined(__arm__)
/* ---- arm (EABI) -------------------------------------------------------- */
	.arm
_start:
	.cfi_startproc
	.cfi_undefined lr
	mov	fp, #0                  /* 1. */
	mov	lr, #0
	mov	r0, sp                  /* 2. */
	bic	sp, sp, #15             /* 3. (EABI asks 8; 16 costs nothing) */
#if CO_PIE
	mov	r4, r0
	bl	_co_relocate
	mov	r0, r4
#endif
	bl	_co_start_c                /* 4. */
	.cfi_endproc

#elif defined(__i386__)
/* ---- i386 -------------------------------------------------------------- */
_start:
	.cfi_startproc
	.cfi_undefined eip
	xor	%ebp, %ebp              /* 1. */
	mov	%esp, %eax              /* 2. (pushed below, after the pad) */
	and	$-16, %esp              /* 3. 16-aligned once the argument */
	sub	$12, %esp               /*    and the pad are pushed */
	push	%eax
#if CO_PIE
	call	_co_relocate            /* the argument stays where it is */
#endif
	call	_co_start_c                /* 4. */
	.cfi_endproc

#elif defined(__s390x__)
/* ---- s390x ------------------------------------------------------------- */
_start:
	.cfi_startproc
	.cfi_undefined r14
	lghi	%r11, 0                 /* 1. */
	lghi	%r14, 0
	lgr	%r2, %r15               /* 2. */
	nill	%r15, 0xfff0            /* 3. (the ABI asks 8) and below it the */
	aghi	%r15, -160              /*    160-byte register save area that */
	xc	0(8, %r15), 0(%r15)     /*    every caller provides; back chain 0 */
#if CO_PIE
	lgr	%r12, %r2
	brasl	%r14, _co_relocate
	lgr	%r2, %r12
#endif
	brasl	%r14, _co_start_c          /* 4. */
	.cfi_endproc

#else
#error "unsupported architecture: add a _start block (see docs/porting.md)"
#endif
	.size _start, . - _start
