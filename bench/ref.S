/*
 * bench/ref.S - the reference switch the benchmark measures the scheduler
 * against: the integer callee-saved registers of the psABI pushed, sp
 * swapped, popped, `ret` - no floating-point state, no scheduler.
 *
 *   void  ref_switch(void **save, void *load);
 *   void *ref_frame(void *top, void (*fn)(void));   a frame that "returns" into fn
 */
	.section .note.GNU-stack, "", %progbits
	.cfi_sections .debug_frame      /* CFI as in switch.S: after the */
	.text                           /* switch, CFA = *save + frame size */
	.globl ref_switch, ref_frame
	.type ref_switch, %function
	.type ref_frame, %function

#if defined(__x86_64__)
ref_switch:
	.cfi_startproc
	push	%rbp
	.cfi_adjust_cfa_offset 8
	.cfi_rel_offset rbp, 0
	push	%rbx
	.cfi_adjust_cfa_offset 8
	.cfi_rel_offset rbx, 0
	push	%r12
	.cfi_adjust_cfa_offset 8
	.cfi_rel_offset r12, 0
	push	%r13
	.cfi_adjust_cfa_offset 8
	.cfi_rel_offset r13, 0
	push	%r14
	.cfi_adjust_cfa_offset 8
	.cfi_rel_offset r14, 0
	push	%r15
	.cfi_adjust_cfa_offset 8
	.cfi_rel_offset r15, 0
	mov	%rsp, (%rdi)
	.cfi_escape 0x0f, 5, 0x75, 0, 0x06, 0x23, 56    /* CFA = *rdi + 56 */
	mov	%rsi, %rsp
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbx
	pop	%rbp
	ret
	.cfi_endproc
ref_frame:                              /* fn starts with rsp = top - 8 */
	.cfi_startproc
	lea	-64(%rdi), %rax
	mov	%rsi, 48(%rax)
	ret
	.cfi_endproc

#elif defined(__aarch64__)
ref_switch:
	.cfi_startproc
	sub	sp, sp, #96
	.cfi_def_cfa_offset 96
	stp	x19, x20, [sp, #0]
	.cfi_rel_offset x19, 0
	.cfi_rel_offset x20, 8
	stp	x21, x22, [sp, #16]
	.cfi_rel_offset x21, 16
	.cfi_rel_offset x22, 24
	stp	x23, x24, [sp, #32]
	.cfi_rel_offset x23, 32
	.cfi_rel_offset x24, 40
	stp	x25, x26, [sp, #48]
	.cfi_rel_offset x25, 48
	.cfi_rel_offset x26, 56
	stp	x27, x28, [sp, #64]
	.cfi_rel_offset x27, 64
	.cfi_rel_offset x28, 72
	stp	x29, x30, [sp, #80]
	.cfi_rel_offset x29, 80
	.cfi_rel_offset x30, 88
	mov	x9, sp
	str	x9, [x0]
	.cfi_escape 0x0f, 5, 0x70, 0, 0x06, 0x23, 96    /* CFA = *x0 + 96 */
	mov	sp, x1
	ldp	x19, x20, [sp, #0]
	ldp	x21, x22, [sp, #16]
	ldp	x23, x24, [sp, #32]
	ldp	x25, x26, [sp, #48]
	ldp	x27, x28, [sp, #64]
	ldp	x29, x30, [sp, #80]
	add	sp, sp, #96
	ret
	.cfi_endproc
ref_frame:
	.cfi_startproc
	sub	x0, x0, #96
	str	x1, [x0, #88]
	ret
	.cfi_endproc

#elif defined(__riscv) && __riscv_xlen == 64
ref_switch:
	.cfi_startproc
	addi	sp, sp, -112
	.cfi_def_cfa_offset 112
	sd	ra, 0(sp)
	.cfi_rel_offset ra, 0
	sd	s0, 8(sp)
	.cfi_rel_offset s0, 8
	sd	s1, 16(sp)
	.cfi_rel_offset s1, 16
	sd	s2, 24(sp)
	.cfi_rel_offset s2, 24
	sd	s3, 32(sp)
	.cfi_rel_offset s3, 32
	sd	s4, 40(sp)
	.cfi_rel_offset s4, 40
	sd	s5, 48(sp)
	.cfi_rel_offset s5, 48
	sd	s6, 56(sp)
	.cfi_rel_offset s6, 56
	sd	s7, 64(sp)
	.cfi_rel_offset s7, 64
	sd	s8, 72(sp)
	.cfi_rel_offset s8, 72
	sd	s9, 80(sp)
	.cfi_rel_offset s9, 80
	sd	s10, 88(sp)
	.cfi_rel_offset s10, 88
	sd	s11, 96(sp)
	.cfi_rel_offset s11, 96
	sd	sp, 0(a0)
	.cfi_escape 0x0f, 5, 0x7a, 0, 0x06, 0x23, 112   /* CFA = *a0 + 112 */
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
	.cfi_endproc
ref_frame:
	.cfi_startproc
	addi	a0, a0, -112
	sd	a1, 0(a0)
	ret
	.cfi_endproc

#elif defined(__arm__)
	.arm
ref_switch:
	.cfi_startproc
	push	{r4-r11, lr}
	.cfi_adjust_cfa_offset 36
	.cfi_rel_offset r4, 0
	.cfi_rel_offset r5, 4
	.cfi_rel_offset r6, 8
	.cfi_rel_offset r7, 12
	.cfi_rel_offset r8, 16
	.cfi_rel_offset r9, 20
	.cfi_rel_offset r10, 24
	.cfi_rel_offset r11, 28
	.cfi_rel_offset lr, 32
	str	sp, [r0]
	.cfi_escape 0x0f, 5, 0x70, 0, 0x06, 0x23, 36    /* CFA = *r0 + 36 */
	mov	sp, r1
	pop	{r4-r11, pc}
	.cfi_endproc
ref_frame:                              /* 36 bytes; fn starts with sp = top */
	.cfi_startproc
	sub	r0, r0, #36
	str	r1, [r0, #32]
	bx	lr
	.cfi_endproc

#elif defined(__i386__)
ref_switch:
	.cfi_startproc
	mov	4(%esp), %eax
	mov	8(%esp), %edx
	push	%ebp
	.cfi_adjust_cfa_offset 4
	.cfi_rel_offset ebp, 0
	push	%ebx
	.cfi_adjust_cfa_offset 4
	.cfi_rel_offset ebx, 0
	push	%esi
	.cfi_adjust_cfa_offset 4
	.cfi_rel_offset esi, 0
	push	%edi
	.cfi_adjust_cfa_offset 4
	.cfi_rel_offset edi, 0
	mov	%esp, (%eax)
	.cfi_escape 0x0f, 5, 0x70, 0, 0x06, 0x23, 20    /* CFA = *eax + 20 */
	mov	%edx, %esp
	pop	%edi
	pop	%esi
	pop	%ebx
	pop	%ebp
	ret
	.cfi_endproc
ref_frame:                              /* fn starts with esp = top - 4 */
	.cfi_startproc
	mov	4(%esp), %eax
	sub	$24, %eax
	mov	8(%esp), %ecx
	mov	%ecx, 16(%eax)
	ret
	.cfi_endproc

#elif defined(__s390x__)
ref_switch:                             /* r6-r15 in the caller's save area */
	.cfi_startproc
	stmg	%r6, %r15, 48(%r15)
	.cfi_offset 6, -112
	.cfi_offset 7, -104
	.cfi_offset 8, -96
	.cfi_offset 9, -88
	.cfi_offset 10, -80
	.cfi_offset 11, -72
	.cfi_offset 12, -64
	.cfi_offset 13, -56
	.cfi_offset 14, -48
	.cfi_offset 15, -40
	stg	%r15, 0(%r2)
	.cfi_escape 0x0f, 6, 0x72, 0, 0x06, 0x23, 0xa0, 0x01    /* CFA = *r2 + 160 */
	lgr	%r15, %r3
	lmg	%r6, %r15, 48(%r15)
	br	%r14
	.cfi_endproc
ref_frame:                              /* fn starts with r15 = top - 160 */
	.cfi_startproc
	aghi	%r2, -160
	stg	%r3, 112(%r2)           /* r14 */
	stg	%r2, 120(%r2)           /* r15 */
	br	%r14
	.cfi_endproc

#else
#error "unsupported architecture: add a bench/ref.S block"
#endif
	.size ref_switch, ref_frame - ref_switch
	.size ref_frame, . - ref_frame
