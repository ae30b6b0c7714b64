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
 * Each block below does the same seven things:
 *   0. call co_init (sched.c): the fault report's handler and its stack
 *      (it runs below sp, so the initial stack is untouched);
 *   1. clear the frame pointer (and link register) so unwinders stop here;
 *   2. read argc, argv and envp off the stack;
 *   3. walk envp to its NULL: the auxiliary vector follows; keep it in co_auxv;
 *   4. align sp as the ABI wants at a call (16 bytes everywhere here);
 *   5. call main(argc, argv, envp);
 *   6. hand its return value to co_exit_process(), which flushes buffered
 *      output and calls exit_group.
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
	call	co_init                 /* 0. (rsp is 16-aligned here) */
	xor	%ebp, %ebp              /* 1. no caller frame */
	mov	(%rsp), %rdi            /* 2. argc */
	lea	8(%rsp), %rsi           /*    argv */
	lea	8(%rsi,%rdi,8), %rdx    /*    envp */
	mov	%rdx, %rcx
1:	add	$8, %rcx                /* 3. step past envp[i] ... */
	cmpq	$0, -8(%rcx)            /*    ... until it was the NULL */
	jne	1b
	mov	%rcx, co_auxv(%rip)
	and	$-16, %rsp              /* 4. */
	call	main                    /* 5. */
	mov	%eax, %edi              /* 6. */
	call	co_exit_process
	.cfi_endproc

#elif defined(__aarch64__)
/* ---- aarch64 ----------------------------------------------------------- */
_start:
	.cfi_startproc
	.cfi_undefined x30
	bl	co_init                 /* 0. */
	mov	x29, #0                 /* 1. no caller frame, no return address */
	mov	x30, #0
	ldr	x0, [sp]                /* 2. argc */
	add	x1, sp, #8              /*    argv */
	add	x2, x1, x0, lsl #3
	add	x2, x2, #8              /*    envp */
	mov	x3, x2
1:	ldr	x4, [x3], #8            /* 3. load envp[i], step past it ... */
	cbnz	x4, 1b                  /*    ... until it was the NULL */
	adrp	x4, co_auxv
	str	x3, [x4, :lo12:co_auxv]
					/* 4. nothing: sp is always 16-aligned
					 *    on aarch64, the hardware checks */
	bl	main                    /* 5. */
	bl	co_exit_process         /* 6. status is already in w0 */
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
	call	co_init                 /* 0. */
	li	s0, 0                   /* 1. no caller frame, no return address */
	li	ra, 0
	ld	a0, 0(sp)               /* 2. argc */
	addi	a1, sp, 8               /*    argv */
	slli	t0, a0, 3
	add	a2, a1, t0
	addi	a2, a2, 8               /*    envp */
	mv	t0, a2
1:	ld	t1, 0(t0)               /* 3. load envp[i], step past it ... */
	addi	t0, t0, 8
	bnez	t1, 1b                  /*    ... until it was the NULL */
	lla	t1, co_auxv
	sd	t0, 0(t1)
	andi	sp, sp, -16             /* 4. */
	call	main                    /* 5. */
	call	co_exit_process         /* 6. status is already in a0 */
	.cfi_endproc

#elif defined(__arm__)
/* ---- arm (EABI) -------------------------------------------------------- */
	.arm
_start:
	.cfi_startproc
	.cfi_undefined lr
	bl	co_init                 /* 0. */
	mov	fp, #0                  /* 1. no caller frame, no return address */
	mov	lr, #0
	ldr	r0, [sp]                /* 2. argc */
	add	r1, sp, #4              /*    argv */
	add	r2, r1, r0, lsl #2
	add	r2, r2, #4              /*    envp */
	mov	r3, r2
1:	ldr	ip, [r3], #4            /* 3. load envp[i], step past it ... */
	cmp	ip, #0
	bne	1b                      /*    ... until it was the NULL */
	movw	ip, #:lower16:co_auxv
	movt	ip, #:upper16:co_auxv
	str	r3, [ip]
	bic	sp, sp, #15             /* 4. (EABI asks 8; 16 costs nothing) */
	bl	main                    /* 5. */
	bl	co_exit_process         /* 6. status is already in r0 */
	.cfi_endproc

#elif defined(__i386__)
/* ---- i386 -------------------------------------------------------------- */
_start:
	.cfi_startproc
	.cfi_undefined eip
	call	co_init                 /* 0. (esp is 16-aligned here) */
	xor	%ebp, %ebp              /* 1. no caller frame */
	mov	(%esp), %eax            /* 2. argc */
	lea	4(%esp), %ecx           /*    argv */
	lea	4(%ecx,%eax,4), %edx    /*    envp */
	mov	%edx, %esi
1:	add	$4, %esi                /* 3. step past envp[i] ... */
	cmpl	$0, -4(%esi)            /*    ... until it was the NULL */
	jne	1b
	mov	%esi, co_auxv
	and	$-16, %esp              /* 4. 16-aligned once the 3 arguments */
	sub	$4, %esp                /*    and the pad are pushed */
	push	%edx
	push	%ecx
	push	%eax
	call	main                    /* 5. */
	mov	%eax, (%esp)            /* 6. */
	call	co_exit_process
	.cfi_endproc

#else
#error "unsupported architecture: add a _start block (see README, Porting)"
#endif
	.size _start, . - _start
