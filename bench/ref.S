/*
 * bench/ref.S - the reference switch the benchmark measures the scheduler
 * against: the integer callee-saved registers of the psABI pushed, sp
 * swapped, popped, `ret` - no floating-point state, no scheduler.
 *
 *   void  ref_switch(void **save, void *load);
 *   void *ref_frame(void *top, void (*fn)(void));   a frame that "returns" into fn
 */
	.section .note.GNU-stack, "", %progbits
	.text
	.globl ref_switch, ref_frame
	.type ref_switch, %function
	.type ref_frame, %function

#if defined(__x86_64__)
ref_switch:
	push	%rbp
	push	%rbx
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	mov	%rsp, (%rdi)
	mov	%rsi, %rsp
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbx
	pop	%rbp
	ret
ref_frame:                              /* fn starts with rsp = top - 8 */
	lea	-64(%rdi), %rax
	mov	%rsi, 48(%rax)
	ret

#elif defined(__aarch64__)
ref_switch:
	sub	sp, sp, #96
	stp	x19, x20, [sp, #0]
	stp	x21, x22, [sp, #16]
	stp	x23, x24, [sp, #32]
	stp	x25, x26, [sp, #48]
	stp	x27, x28, [sp, #64]
	stp	x29, x30, [sp, #80]
	mov	x9, sp
	str	x9, [x0]
	mov	sp, x1
	ldp	x19, x20, [sp, #0]
	ldp	x21, x22, [sp, #16]
	ldp	x23, x24, [sp, #32]
	ldp	x25, x26, [sp, #48]
	ldp	x27, x28, [sp, #64]
	ldp	x29, x30, [sp, #80]
	add	sp, sp, #96
	ret
ref_frame:
	sub	x0, x0, #96
	str	x1, [x0, #88]
	ret

#elif defined(__riscv) && __riscv_xlen == 64
ref_switch:
	addi	sp, sp, -112
	sd	ra, 0(sp)
	sd	s0, 8(sp)
	sd	s1, 16(sp)
	sd	s2, 24(sp)
	sd	s3, 32(sp)
	sd	s4, 40(sp)
	sd	s5, 48(sp)
	sd	s6, 56(sp)
	sd	s7, 64(sp)
	sd	s8, 72(sp)
	sd	s9, 80(sp)
	sd	s10, 88(sp)
	sd	s11, 96(sp)
	sd	sp, 0(a0)
	mv	sp, a1
	ld	ra, 0(sp)
	ld	s0, 8(sp)
	ld	s1, 16(sp)
	ld	s2, 24(sp)
	ld	s3, 32(sp)
	ld	s4, 40(sp)
	ld	s5, 48(sp)
	ld	s6, 56(sp)
	ld	s7, 64(sp)
	ld	s8, 72(sp)
	ld	s9, 80(sp)
	ld	s10, 88(sp)
	ld	s11, 96(sp)
	addi	sp, sp, 112
	ret
ref_frame:
	addi	a0, a0, -112
	sd	a1, 0(a0)
	ret

#elif defined(__arm__)
	.arm
ref_switch:
	push	{r4-r11, lr}
	str	sp, [r0]
	mov	sp, r1
	pop	{r4-r11, pc}
ref_frame:                              /* 36 bytes; fn starts with sp = top */
	sub	r0, r0, #36
	str	r1, [r0, #32]
	bx	lr

#elif defined(__i386__)
ref_switch:
	mov	4(%esp), %eax
	mov	8(%esp), %edx
	push	%ebp
	push	%ebx
	push	%esi
	push	%edi
	mov	%esp, (%eax)
	mov	%edx, %esp
	pop	%edi
	pop	%esi
	pop	%ebx
	pop	%ebp
	ret
ref_frame:                              /* fn starts with esp = top - 4 */
	mov	4(%esp), %eax
	sub	$24, %eax
	mov	8(%esp), %ecx
	mov	%ecx, 16(%eax)
	ret

#else
#error "unsupported architecture: add a bench/ref.S block"
#endif
	.size ref_switch, ref_frame - ref_switch
	.size ref_frame, . - ref_frame
