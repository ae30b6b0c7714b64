/*
 * clone.S - a child process on a stack of its own, for co_exec (proc.c).
 *
 *   long _co_clone(unsigned long flags, void *stack, void (*fn)(void *), void *arg);
 *         clone(flags, stack) with no tid or tls argument (all 0, so the
 *         architectures' different orders of ptid, tls and ctid do not
 *         matter).  The parent gets the child's pid or a negative errno.
 *         The child starts on `stack` (aligned down to 16 bytes), calls
 *         fn(arg), and exits with status 127 if fn returns.
 *
 * This cannot be C: with CLONE_VM the child shares the parent's memory, and
 * returning from the system call into C on the new stack would pop frames
 * that are not there.  fn and arg are stored on the new stack before the
 * call and taken from it by the child, whose registers are the parent's.
 */
#include <asm/unistd.h>

	.section .note.GNU-stack, "", %progbits
	.section .text._co_clone, "ax", %progbits
	.globl _co_clone
	.type _co_clone, %function

#if defined(__x86_64__)
/* rdi flags, rsi stack, rdx fn, rcx arg; clone(rdi, rsi, rdx, r10, r8). */
_co_clone:
	and	$-16, %rsi
	sub	$16, %rsi
	mov	%rdx, (%rsi)
	mov	%rcx, 8(%rsi)
	xor	%edx, %edx
	xor	%r10d, %r10d
	xor	%r8d, %r8d
	mov	$__NR_clone, %eax
	syscall
	test	%rax, %rax
	jnz	1f
	xor	%ebp, %ebp              /* the child: the end of its frames */
	pop	%rax
	pop	%rdi
	call	*%rax                   /* sp is 16-byte aligned at the call */
	mov	$127, %edi
	mov	$__NR_exit_group, %eax
	syscall
	hlt
1:	ret

#elif defined(__aarch64__)
/* x0 flags, x1 stack, x2 fn, x3 arg; clone(x0, x1, x2, x3, x4). */
_co_clone:
	and	x1, x1, #-16
	stp	x2, x3, [x1, #-16]!
	mov	x2, #0
	mov	x3, #0
	mov	x4, #0
	mov	x8, #__NR_clone
	svc	#0
	cbnz	x0, 1f
	mov	x29, #0
	mov	x30, #0
	ldp	x1, x0, [sp], #16
	blr	x1
	mov	x0, #127
	mov	x8, #__NR_exit_group
	svc	#0
	brk	#0
1:	ret

#elif defined(__riscv) && __riscv_xlen == 64
/* a0 flags, a1 stack, a2 fn, a3 arg; clone(a0, a1, a2, a3, a4). */
_co_clone:
	andi	a1, a1, -16
	addi	a1, a1, -16
	sd	a2, 0(a1)
	sd	a3, 8(a1)
	li	a2, 0
	li	a3, 0
	li	a4, 0
	li	a7, __NR_clone
	ecall
	bnez	a0, 1f
	li	s0, 0
	li	ra, 0
	ld	a1, 0(sp)
	ld	a0, 8(sp)
	addi	sp, sp, 16
	jalr	a1
	li	a0, 127
	li	a7, __NR_exit_group
	ecall
	ebreak
1:	ret

#elif defined(__arm__)
/* r0 flags, r1 stack, r2 fn, r3 arg; clone(r0, r1, r2, r3, r4), number in
 * r7: r4 and r7 are callee-saved, kept on the parent's stack. */
	.syntax unified
	.arm
	.p2align 2      /* ARM code: clang's assembler leaves the section at 1 */
_co_clone:
	push	{r4, r7}
	bic	r1, r1, #15
	str	r3, [r1, #-4]!
	str	r2, [r1, #-4]!
	mov	r2, #0
	mov	r3, #0
	mov	r4, #0
	mov	r7, #__NR_clone
	svc	#0
	cmp	r0, #0
	beq	2f
	pop	{r4, r7}
	bx	lr
2:	mov	fp, #0
	mov	lr, #0
	pop	{r1}
	pop	{r0}
	blx	r1                      /* fn is Thumb: blx follows its bit 0 */
	mov	r0, #127
	mov	r7, #__NR_exit_group
	svc	#0
	udf	#0

#elif defined(__i386__)
/* cdecl: flags, stack, fn, arg on the stack; clone(ebx, ecx, edx, esi, edi),
 * which are callee-saved but ecx and edx: ebx, esi and edi are kept. */
_co_clone:
	push	%ebx
	push	%esi
	push	%edi
	mov	16(%esp), %ebx
	mov	20(%esp), %ecx
	and	$-16, %ecx
	sub	$16, %ecx
	mov	28(%esp), %eax
	mov	%eax, (%ecx)            /* arg: fn's first argument */
	mov	24(%esp), %eax
	mov	%eax, 4(%ecx)           /* fn */
	xor	%edx, %edx
	xor	%esi, %esi
	xor	%edi, %edi
	mov	$__NR_clone, %eax
	int	$0x80
	test	%eax, %eax
	jnz	1f
	xor	%ebp, %ebp
	call	*4(%esp)                /* sp is 16-byte aligned at the call */
	mov	$127, %ebx
	mov	$__NR_exit_group, %eax
	int	$0x80
	hlt
1:	pop	%edi
	pop	%esi
	pop	%ebx
	ret

#elif defined(__s390x__)
/* r2 flags, r3 stack, r4 fn, r5 arg; clone(r2, r3, r4, r5, r6), number in
 * r1, with the first two swapped (the kernel's CLONE_BACKWARDS2: the stack
 * first).  r6 is callee-saved: kept in the caller's register save area.
 * The child's sp is the new stack less a 160-byte register save area for
 * fn, with fn and arg above it and a zero back chain. */
_co_clone:
	stg	%r6, 48(%r15)
	lghi	%r0, -16
	ngr	%r3, %r0
	aghi	%r3, -176
	stg	%r4, 160(%r3)
	stg	%r5, 168(%r3)
	lghi	%r0, 0
	stg	%r0, 0(%r3)
	lgr	%r0, %r2
	lgr	%r2, %r3
	lgr	%r3, %r0
	lghi	%r4, 0
	lghi	%r5, 0
	lghi	%r6, 0
	lghi	%r1, __NR_clone
	svc	0
	ltgr	%r2, %r2
	jnz	1f
	lghi	%r14, 0                 /* the child: the end of its frames */
	lg	%r1, 160(%r15)
	lg	%r2, 168(%r15)
	basr	%r14, %r1
	lghi	%r2, 127
	lghi	%r1, __NR_exit_group
	svc	0
	.word	0                       /* an illegal instruction */
1:	lg	%r6, 48(%r15)
	br	%r14

#else
#error "unsupported architecture: add a _co_clone block (see docs/porting.md)"
#endif
	.size _co_clone, . - _co_clone
