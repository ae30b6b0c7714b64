/*
 * tests/arch.S - what the tests must do from assembly, per architecture.
 *
 *   unsigned long regs_check(unsigned long seed);
 *       Set every callee-saved register of the psABI, integer and floating
 *       point, and the floating-point control register, to values made from
 *       seed; call co_yield(); compare.  Returns a mask of what did not
 *       survive (bit i: the i-th register in the list below; 0: all did).
 *       The caller's own values are restored before returning.
 *
 *   void entry_probe(void *arg);
 *       A coroutine body whose first instruction stores the stack pointer,
 *       as the caller had it at the call, in probe_sp; then it jumps to the
 *       C function entry_probe_body(arg).
 *
 *   unsigned long caller_sp(void);
 *       The stack pointer the caller had at the call.
 *
 * Each in its own section, so a test links only those it calls.
 */
	.section .note.GNU-stack, "", %progbits
	.text
	.globl regs_check, entry_probe, caller_sp
	.type regs_check, %function
	.type entry_probe, %function
	.type caller_sp, %function

#if defined(__x86_64__)
/* ---- x86_64: bits 0-5 rbx rbp r12 r13 r14 r15, 6 mxcsr, 7 x87 cw ------- */
.macro expect reg, k, bit
	lea	\k(%rdi), %rdx
	cmp	%rdx, \reg
	je	1f
	or	$\bit, %eax
1:
.endm

	.section .text.regs_check, "ax", %progbits
regs_check:
	push	%rbp
	push	%rbx
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	sub	$40, %rsp               /* 16-aligned for the call */
	stmxcsr	0(%rsp)                 /* the caller's control state */
	fnstcw	4(%rsp)
	mov	%rdi, 8(%rsp)           /* seed */
	mov	%edi, %eax              /* mxcsr: rounding mode seed & 3 */
	and	$3, %eax
	shl	$13, %eax
	or	$0x1f80, %eax
	mov	%eax, 16(%rsp)
	lea	1(%rdi), %eax           /* x87 cw: rounding mode (seed+1) & 3 */
	and	$3, %eax
	shl	$10, %eax
	or	$0x037f, %eax
	mov	%ax, 20(%rsp)
	ldmxcsr	16(%rsp)
	fldcw	20(%rsp)
	mov	%rdi, %rbx
	lea	1(%rdi), %rbp
	lea	2(%rdi), %r12
	lea	3(%rdi), %r13
	lea	4(%rdi), %r14
	lea	5(%rdi), %r15
	call	co_yield
	stmxcsr	24(%rsp)
	fnstcw	28(%rsp)
	mov	8(%rsp), %rdi
	xor	%eax, %eax
	expect	%rbx, 0, 1
	expect	%rbp, 1, 2
	expect	%r12, 2, 4
	expect	%r13, 3, 8
	expect	%r14, 4, 16
	expect	%r15, 5, 32
	mov	24(%rsp), %edx
	cmp	16(%rsp), %edx
	je	1f
	or	$64, %eax
1:	movzwl	28(%rsp), %edx
	movzwl	20(%rsp), %ecx
	cmp	%ecx, %edx
	je	1f
	or	$128, %eax
1:	ldmxcsr	0(%rsp)
	fldcw	4(%rsp)
	add	$40, %rsp
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbx
	pop	%rbp
	ret

	.section .text.entry_probe, "ax", %progbits
entry_probe:
	lea	8(%rsp), %rax           /* before the call pushed its address */
	mov	%rax, probe_sp(%rip)
	jmp	entry_probe_body

	.section .text.caller_sp, "ax", %progbits
caller_sp:
	lea	8(%rsp), %rax
	ret

#elif defined(__aarch64__)
/* ---- aarch64: bits 0-10 x19..x29, 11-18 d8..d15, 19 fpcr ---------------- */
.macro expect reg, k, bit
	add	x9, x0, #\k
	cmp	\reg, x9
	b.eq	1f
	orr	x10, x10, #(1 << \bit)
1:
.endm
.macro expectd reg, k, bit
	fmov	x11, \reg
	expect	x11, \k, \bit
.endm

	.section .text.regs_check, "ax", %progbits
regs_check:
	sub	sp, sp, #192
	stp	x19, x20, [sp, #0]
	stp	x21, x22, [sp, #16]
	stp	x23, x24, [sp, #32]
	stp	x25, x26, [sp, #48]
	stp	x27, x28, [sp, #64]
	stp	x29, x30, [sp, #80]
	stp	d8, d9, [sp, #96]
	stp	d10, d11, [sp, #112]
	stp	d12, d13, [sp, #128]
	stp	d14, d15, [sp, #144]
	mrs	x9, fpcr
	stp	x9, x0, [sp, #160]      /* the caller's fpcr, seed */
	and	x9, x0, #3              /* fpcr: rounding mode seed & 3 */
	lsl	x9, x9, #22
	str	x9, [sp, #176]
	msr	fpcr, x9
	add	x19, x0, #0
	add	x20, x0, #1
	add	x21, x0, #2
	add	x22, x0, #3
	add	x23, x0, #4
	add	x24, x0, #5
	add	x25, x0, #6
	add	x26, x0, #7
	add	x27, x0, #8
	add	x28, x0, #9
	add	x29, x0, #10
	add	x9, x0, #11
	fmov	d8, x9
	add	x9, x0, #12
	fmov	d9, x9
	add	x9, x0, #13
	fmov	d10, x9
	add	x9, x0, #14
	fmov	d11, x9
	add	x9, x0, #15
	fmov	d12, x9
	add	x9, x0, #16
	fmov	d13, x9
	add	x9, x0, #17
	fmov	d14, x9
	add	x9, x0, #18
	fmov	d15, x9
	bl	co_yield
	ldr	x0, [sp, #168]
	mov	x10, #0
	expect	x19, 0, 0
	expect	x20, 1, 1
	expect	x21, 2, 2
	expect	x22, 3, 3
	expect	x23, 4, 4
	expect	x24, 5, 5
	expect	x25, 6, 6
	expect	x26, 7, 7
	expect	x27, 8, 8
	expect	x28, 9, 9
	expect	x29, 10, 10
	expectd	d8, 11, 11
	expectd	d9, 12, 12
	expectd	d10, 13, 13
	expectd	d11, 14, 14
	expectd	d12, 15, 15
	expectd	d13, 16, 16
	expectd	d14, 17, 17
	expectd	d15, 18, 18
	mrs	x9, fpcr
	ldr	x11, [sp, #176]
	cmp	x9, x11
	b.eq	1f
	orr	x10, x10, #(1 << 19)
1:	ldr	x9, [sp, #160]
	msr	fpcr, x9
	mov	x0, x10
	ldp	x19, x20, [sp, #0]
	ldp	x21, x22, [sp, #16]
	ldp	x23, x24, [sp, #32]
	ldp	x25, x26, [sp, #48]
	ldp	x27, x28, [sp, #64]
	ldp	x29, x30, [sp, #80]
	ldp	d8, d9, [sp, #96]
	ldp	d10, d11, [sp, #112]
	ldp	d12, d13, [sp, #128]
	ldp	d14, d15, [sp, #144]
	add	sp, sp, #192
	ret

	.section .text.entry_probe, "ax", %progbits
entry_probe:
	mov	x9, sp
	adrp	x10, probe_sp
	str	x9, [x10, :lo12:probe_sp]
	b	entry_probe_body

	.section .text.caller_sp, "ax", %progbits
caller_sp:
	mov	x0, sp
	ret

#elif defined(__riscv) && __riscv_xlen == 64
/* ---- riscv64: bits 0-11 s0..s11, 12-23 fs0..fs11, 24 frm ---------------- */
.macro expect reg, k, bit
	addi	t0, a0, \k
	beq	\reg, t0, 1f
	li	t1, 1
	slli	t1, t1, \bit
	or	t2, t2, t1
1:
.endm
.macro expectf reg, k, bit
	fmv.x.d	t3, \reg
	expect	t3, \k, \bit
.endm
.macro setf reg, k
	addi	t0, a0, \k
	fmv.d.x	\reg, t0
.endm

	.section .text.regs_check, "ax", %progbits
regs_check:
	addi	sp, sp, -224
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
	fsd	fs0, 104(sp)
	fsd	fs1, 112(sp)
	fsd	fs2, 120(sp)
	fsd	fs3, 128(sp)
	fsd	fs4, 136(sp)
	fsd	fs5, 144(sp)
	fsd	fs6, 152(sp)
	fsd	fs7, 160(sp)
	fsd	fs8, 168(sp)
	fsd	fs9, 176(sp)
	fsd	fs10, 184(sp)
	fsd	fs11, 192(sp)
	frrm	t0
	sd	t0, 200(sp)             /* the caller's rounding mode */
	sd	a0, 208(sp)             /* seed */
	andi	t0, a0, 3               /* frm: rounding mode seed & 3 */
	sd	t0, 216(sp)
	fsrm	t0
	addi	s0, a0, 0
	addi	s1, a0, 1
	addi	s2, a0, 2
	addi	s3, a0, 3
	addi	s4, a0, 4
	addi	s5, a0, 5
	addi	s6, a0, 6
	addi	s7, a0, 7
	addi	s8, a0, 8
	addi	s9, a0, 9
	addi	s10, a0, 10
	addi	s11, a0, 11
	setf	fs0, 12
	setf	fs1, 13
	setf	fs2, 14
	setf	fs3, 15
	setf	fs4, 16
	setf	fs5, 17
	setf	fs6, 18
	setf	fs7, 19
	setf	fs8, 20
	setf	fs9, 21
	setf	fs10, 22
	setf	fs11, 23
	call	co_yield
	ld	a0, 208(sp)
	li	t2, 0
	expect	s0, 0, 0
	expect	s1, 1, 1
	expect	s2, 2, 2
	expect	s3, 3, 3
	expect	s4, 4, 4
	expect	s5, 5, 5
	expect	s6, 6, 6
	expect	s7, 7, 7
	expect	s8, 8, 8
	expect	s9, 9, 9
	expect	s10, 10, 10
	expect	s11, 11, 11
	expectf	fs0, 12, 12
	expectf	fs1, 13, 13
	expectf	fs2, 14, 14
	expectf	fs3, 15, 15
	expectf	fs4, 16, 16
	expectf	fs5, 17, 17
	expectf	fs6, 18, 18
	expectf	fs7, 19, 19
	expectf	fs8, 20, 20
	expectf	fs9, 21, 21
	expectf	fs10, 22, 22
	expectf	fs11, 23, 23
	frrm	t3
	ld	t4, 216(sp)
	beq	t3, t4, 1f
	li	t1, 1
	slli	t1, t1, 24
	or	t2, t2, t1
1:	ld	t0, 200(sp)
	fsrm	t0
	mv	a0, t2
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
	fld	fs0, 104(sp)
	fld	fs1, 112(sp)
	fld	fs2, 120(sp)
	fld	fs3, 128(sp)
	fld	fs4, 136(sp)
	fld	fs5, 144(sp)
	fld	fs6, 152(sp)
	fld	fs7, 160(sp)
	fld	fs8, 168(sp)
	fld	fs9, 176(sp)
	fld	fs10, 184(sp)
	fld	fs11, 192(sp)
	addi	sp, sp, 224
	ret

	.section .text.entry_probe, "ax", %progbits
entry_probe:
	lla	t0, probe_sp
	sd	sp, 0(t0)
	tail	entry_probe_body

	.section .text.caller_sp, "ax", %progbits
caller_sp:
	mv	a0, sp
	ret

#elif defined(__arm__)
/* ---- arm: bits 0-7 r4..r11, 8-15 d8..d15, 16 fpscr ---------------------- */
	.arm
	.fpu vfpv3-d16
.macro expect reg, k, bit
	add	r2, r0, #\k
	cmp	\reg, r2
	orrne	r1, r1, #(1 << \bit)
.endm
.macro expectd reg, k, bit      /* low word seed + k, high word seed */
	vmov	r2, r3, \reg
	add	ip, r0, #\k
	cmp	r2, ip
	cmpeq	r3, r0
	orrne	r1, r1, #(1 << \bit)
.endm
.macro setd reg, k
	add	r2, r0, #\k
	vmov	\reg, r2, r0
.endm

	.section .text.regs_check, "ax", %progbits
regs_check:
	push	{r4-r11, lr}
	vpush	{d8-d15}
	sub	sp, sp, #12
	vmrs	r1, fpscr
	str	r1, [sp, #0]            /* the caller's fpscr */
	str	r0, [sp, #4]            /* seed */
	and	r1, r0, #3              /* fpscr: rounding mode seed & 3 */
	lsl	r1, r1, #22
	str	r1, [sp, #8]
	vmsr	fpscr, r1
	add	r4, r0, #0
	add	r5, r0, #1
	add	r6, r0, #2
	add	r7, r0, #3
	add	r8, r0, #4
	add	r9, r0, #5
	add	r10, r0, #6
	add	r11, r0, #7
	setd	d8, 8
	setd	d9, 9
	setd	d10, 10
	setd	d11, 11
	setd	d12, 12
	setd	d13, 13
	setd	d14, 14
	setd	d15, 15
	bl	co_yield
	ldr	r0, [sp, #4]
	mov	r1, #0
	expect	r4, 0, 0
	expect	r5, 1, 1
	expect	r6, 2, 2
	expect	r7, 3, 3
	expect	r8, 4, 4
	expect	r9, 5, 5
	expect	r10, 6, 6
	expect	r11, 7, 7
	expectd	d8, 8, 8
	expectd	d9, 9, 9
	expectd	d10, 10, 10
	expectd	d11, 11, 11
	expectd	d12, 12, 12
	expectd	d13, 13, 13
	expectd	d14, 14, 14
	expectd	d15, 15, 15
	vmrs	r2, fpscr
	ldr	r3, [sp, #8]
	cmp	r2, r3
	orrne	r1, r1, #(1 << 16)
	ldr	r2, [sp, #0]
	vmsr	fpscr, r2
	mov	r0, r1
	add	sp, sp, #12
	vpop	{d8-d15}
	pop	{r4-r11, pc}

	.section .text.entry_probe, "ax", %progbits
entry_probe:
	movw	ip, #:lower16:probe_sp
	movt	ip, #:upper16:probe_sp
	str	sp, [ip]
	b	entry_probe_body

	.section .text.caller_sp, "ax", %progbits
caller_sp:
	mov	r0, sp
	bx	lr

#elif defined(__i386__)
/* ---- i386: bits 0-3 ebx esi edi ebp, 6 mxcsr, 7 x87 cw ------------------ */
.macro expect reg, k, bit
	lea	\k(%ecx), %edx
	cmp	%edx, \reg
	je	1f
	or	$\bit, %eax
1:
.endm

	.section .text.regs_check, "ax", %progbits
regs_check:
	mov	4(%esp), %ecx           /* seed */
	push	%ebp
	push	%ebx
	push	%esi
	push	%edi
	sub	$28, %esp               /* 16-aligned for the call */
	stmxcsr	0(%esp)                 /* the caller's control state */
	fnstcw	4(%esp)
	mov	%ecx, 8(%esp)
	mov	%ecx, %eax              /* mxcsr: rounding mode seed & 3 */
	and	$3, %eax
	shl	$13, %eax
	or	$0x1f80, %eax
	mov	%eax, 12(%esp)
	lea	1(%ecx), %eax           /* x87 cw: rounding mode (seed+1) & 3 */
	and	$3, %eax
	shl	$10, %eax
	or	$0x037f, %eax
	mov	%ax, 16(%esp)
	ldmxcsr	12(%esp)
	fldcw	16(%esp)
	mov	%ecx, %ebx
	lea	1(%ecx), %esi
	lea	2(%ecx), %edi
	lea	3(%ecx), %ebp
	call	co_yield
	stmxcsr	20(%esp)
	fnstcw	24(%esp)
	mov	8(%esp), %ecx
	xor	%eax, %eax
	expect	%ebx, 0, 1
	expect	%esi, 1, 2
	expect	%edi, 2, 4
	expect	%ebp, 3, 8
	mov	20(%esp), %edx
	cmp	12(%esp), %edx
	je	1f
	or	$64, %eax
1:	movzwl	24(%esp), %edx
	movzwl	16(%esp), %ecx
	cmp	%ecx, %edx
	je	1f
	or	$128, %eax
1:	ldmxcsr	0(%esp)
	fldcw	4(%esp)
	add	$28, %esp
	pop	%edi
	pop	%esi
	pop	%ebx
	pop	%ebp
	ret

	.section .text.entry_probe, "ax", %progbits
entry_probe:
	lea	4(%esp), %eax           /* before the call pushed its address */
	mov	%eax, probe_sp
	jmp	entry_probe_body

	.section .text.caller_sp, "ax", %progbits
caller_sp:
	lea	4(%esp), %eax
	ret

#else
#error "unsupported architecture: add a tests/arch.S block (see docs/porting.md)"
#endif
