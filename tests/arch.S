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
 *   void trap_now(void);
 *       Its first instruction is the trap the compiler emits for
 *       __builtin_trap() and UBSan's checks: the fault report's pc
 *       (tests/t_guard.c trap).
 *
 *   void gp_now(void *p);      x86_64 and i386 only
 *       Its first instruction raises a general-protection fault: a store
 *       through p (non-canonical on x86_64), hlt on i386.
 *
 * Each in its own section, so a test links only those it calls.
 */
	.section .note.GNU-stack, "", %progbits
	.cfi_sections .debug_frame      /* CFI for debuggers, not loaded */
	.text
	.globl regs_check, entry_probe, caller_sp, trap_now
	.type regs_check, %function
	.type entry_probe, %function
	.type caller_sp, %function
	.type trap_now, %function

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
	sub	$40, %rsp               /* 16-aligned for the call */
	.cfi_adjust_cfa_offset 40
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
	.cfi_adjust_cfa_offset -40
	pop	%r15
	.cfi_adjust_cfa_offset -8
	.cfi_restore r15
	pop	%r14
	.cfi_adjust_cfa_offset -8
	.cfi_restore r14
	pop	%r13
	.cfi_adjust_cfa_offset -8
	.cfi_restore r13
	pop	%r12
	.cfi_adjust_cfa_offset -8
	.cfi_restore r12
	pop	%rbx
	.cfi_adjust_cfa_offset -8
	.cfi_restore rbx
	pop	%rbp
	.cfi_adjust_cfa_offset -8
	.cfi_restore rbp
	ret
	.cfi_endproc

	.section .text.entry_probe, "ax", %progbits
entry_probe:
	.cfi_startproc
	lea	8(%rsp), %rax           /* before the call pushed its address */
	mov	%rax, probe_sp(%rip)
	jmp	entry_probe_body
	.cfi_endproc

	.section .text.caller_sp, "ax", %progbits
caller_sp:
	.cfi_startproc
	lea	8(%rsp), %rax
	ret
	.cfi_endproc

	.section .text.trap_now, "ax", %progbits
trap_now:
	ud2

	.globl gp_now
	.type gp_now, %function
	.section .text.gp_now, "ax", %progbits
gp_now:
	movl	$1, (%rdi)
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
	.cfi_startproc
	sub	sp, sp, #192
	.cfi_def_cfa_offset 192
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
	stp	d8, d9, [sp, #96]
	.cfi_rel_offset d8, 96
	.cfi_rel_offset d9, 104
	stp	d10, d11, [sp, #112]
	.cfi_rel_offset d10, 112
	.cfi_rel_offset d11, 120
	stp	d12, d13, [sp, #128]
	.cfi_rel_offset d12, 128
	.cfi_rel_offset d13, 136
	stp	d14, d15, [sp, #144]
	.cfi_rel_offset d14, 144
	.cfi_rel_offset d15, 152
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
	.cfi_restore x19
	.cfi_restore x20
	ldp	x21, x22, [sp, #16]
	.cfi_restore x21
	.cfi_restore x22
	ldp	x23, x24, [sp, #32]
	.cfi_restore x23
	.cfi_restore x24
	ldp	x25, x26, [sp, #48]
	.cfi_restore x25
	.cfi_restore x26
	ldp	x27, x28, [sp, #64]
	.cfi_restore x27
	.cfi_restore x28
	ldp	x29, x30, [sp, #80]
	.cfi_restore x29
	.cfi_restore x30
	ldp	d8, d9, [sp, #96]
	.cfi_restore d8
	.cfi_restore d9
	ldp	d10, d11, [sp, #112]
	.cfi_restore d10
	.cfi_restore d11
	ldp	d12, d13, [sp, #128]
	.cfi_restore d12
	.cfi_restore d13
	ldp	d14, d15, [sp, #144]
	.cfi_restore d14
	.cfi_restore d15
	add	sp, sp, #192
	.cfi_def_cfa_offset 0
	ret
	.cfi_endproc

	.section .text.entry_probe, "ax", %progbits
entry_probe:
	.cfi_startproc
	mov	x9, sp
	adrp	x10, probe_sp
	str	x9, [x10, :lo12:probe_sp]
	b	entry_probe_body
	.cfi_endproc

	.section .text.caller_sp, "ax", %progbits
caller_sp:
	.cfi_startproc
	mov	x0, sp
	ret
	.cfi_endproc

	.section .text.trap_now, "ax", %progbits
trap_now:
	brk	#0x3e8

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
	.cfi_startproc
	addi	sp, sp, -224
	.cfi_def_cfa_offset 224
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
	fsd	fs0, 104(sp)
	.cfi_rel_offset fs0, 104
	fsd	fs1, 112(sp)
	.cfi_rel_offset fs1, 112
	fsd	fs2, 120(sp)
	.cfi_rel_offset fs2, 120
	fsd	fs3, 128(sp)
	.cfi_rel_offset fs3, 128
	fsd	fs4, 136(sp)
	.cfi_rel_offset fs4, 136
	fsd	fs5, 144(sp)
	.cfi_rel_offset fs5, 144
	fsd	fs6, 152(sp)
	.cfi_rel_offset fs6, 152
	fsd	fs7, 160(sp)
	.cfi_rel_offset fs7, 160
	fsd	fs8, 168(sp)
	.cfi_rel_offset fs8, 168
	fsd	fs9, 176(sp)
	.cfi_rel_offset fs9, 176
	fsd	fs10, 184(sp)
	.cfi_rel_offset fs10, 184
	fsd	fs11, 192(sp)
	.cfi_rel_offset fs11, 192
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
	.cfi_restore ra
	ld	s0, 8(sp)
	.cfi_restore s0
	ld	s1, 16(sp)
	.cfi_restore s1
	ld	s2, 24(sp)
	.cfi_restore s2
	ld	s3, 32(sp)
	.cfi_restore s3
	ld	s4, 40(sp)
	.cfi_restore s4
	ld	s5, 48(sp)
	.cfi_restore s5
	ld	s6, 56(sp)
	.cfi_restore s6
	ld	s7, 64(sp)
	.cfi_restore s7
	ld	s8, 72(sp)
	.cfi_restore s8
	ld	s9, 80(sp)
	.cfi_restore s9
	ld	s10, 88(sp)
	.cfi_restore s10
	ld	s11, 96(sp)
	.cfi_restore s11
	fld	fs0, 104(sp)
	.cfi_restore fs0
	fld	fs1, 112(sp)
	.cfi_restore fs1
	fld	fs2, 120(sp)
	.cfi_restore fs2
	fld	fs3, 128(sp)
	.cfi_restore fs3
	fld	fs4, 136(sp)
	.cfi_restore fs4
	fld	fs5, 144(sp)
	.cfi_restore fs5
	fld	fs6, 152(sp)
	.cfi_restore fs6
	fld	fs7, 160(sp)
	.cfi_restore fs7
	fld	fs8, 168(sp)
	.cfi_restore fs8
	fld	fs9, 176(sp)
	.cfi_restore fs9
	fld	fs10, 184(sp)
	.cfi_restore fs10
	fld	fs11, 192(sp)
	.cfi_restore fs11
	addi	sp, sp, 224
	.cfi_def_cfa_offset 0
	ret
	.cfi_endproc

	.section .text.entry_probe, "ax", %progbits
entry_probe:
	.cfi_startproc
	lla	t0, probe_sp
	sd	sp, 0(t0)
	tail	entry_probe_body
	.cfi_endproc

	.section .text.caller_sp, "ax", %progbits
caller_sp:
	.cfi_startproc
	mv	a0, sp
	ret
	.cfi_endproc

	.section .text.trap_now, "ax", %progbits
trap_now:
	ebreak                          /* c.ebreak, with the C extension */

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
	.p2align 2                      /* ARM code: clang's assembler leaves 1 */
regs_check:
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
	vpush	{d8-d15}
	.cfi_adjust_cfa_offset 64
	.cfi_rel_offset d8, 0
	.cfi_rel_offset d9, 8
	.cfi_rel_offset d10, 16
	.cfi_rel_offset d11, 24
	.cfi_rel_offset d12, 32
	.cfi_rel_offset d13, 40
	.cfi_rel_offset d14, 48
	.cfi_rel_offset d15, 56
	sub	sp, sp, #12
	.cfi_adjust_cfa_offset 12
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
	.cfi_adjust_cfa_offset -12
	vpop	{d8-d15}
	.cfi_adjust_cfa_offset -64
	.cfi_restore d8
	.cfi_restore d9
	.cfi_restore d10
	.cfi_restore d11
	.cfi_restore d12
	.cfi_restore d13
	.cfi_restore d14
	.cfi_restore d15
	pop	{r4-r11, pc}
	.cfi_endproc

	.section .text.entry_probe, "ax", %progbits
	.p2align 2                      /* ARM code: clang's assembler leaves 1 */
entry_probe:
	.cfi_startproc
#if CO_PIE     /* PIE=1: no absolute address in code; probe_sp's from the pc */
	ldr	ip, 1f
2:	add	ip, pc, ip              /* pc reads as 2b + 8 */
	str	sp, [ip]
	b	entry_probe_body
1:	.word	probe_sp - (2b + 8)
#else
	movw	ip, #:lower16:probe_sp
	movt	ip, #:upper16:probe_sp
	str	sp, [ip]
	b	entry_probe_body
#endif
	.cfi_endproc

	.section .text.caller_sp, "ax", %progbits
	.p2align 2                      /* ARM code: clang's assembler leaves 1 */
caller_sp:
	.cfi_startproc
	mov	r0, sp
	bx	lr
	.cfi_endproc

	.section .text.trap_now, "ax", %progbits
	.p2align 2                      /* ARM code: clang's assembler leaves 1 */
trap_now:
	udf	#255

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
	.cfi_startproc
	mov	4(%esp), %ecx           /* seed */
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
	sub	$28, %esp               /* 16-aligned for the call */
	.cfi_adjust_cfa_offset 28
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
	.cfi_adjust_cfa_offset -28
	pop	%edi
	.cfi_adjust_cfa_offset -4
	.cfi_restore edi
	pop	%esi
	.cfi_adjust_cfa_offset -4
	.cfi_restore esi
	pop	%ebx
	.cfi_adjust_cfa_offset -4
	.cfi_restore ebx
	pop	%ebp
	.cfi_adjust_cfa_offset -4
	.cfi_restore ebp
	ret
	.cfi_endproc

	.section .text.entry_probe, "ax", %progbits
entry_probe:
	.cfi_startproc
	lea	4(%esp), %eax           /* before the call pushed its address */
#if CO_PIE     /* PIE=1: no absolute address in code; probe_sp's from the pc */
	call	1f
1:	.cfi_adjust_cfa_offset 4
	pop	%ecx
	.cfi_adjust_cfa_offset -4
	mov	%eax, probe_sp - 1b(%ecx)
#else
	mov	%eax, probe_sp
#endif
	jmp	entry_probe_body
	.cfi_endproc

	.section .text.caller_sp, "ax", %progbits
caller_sp:
	.cfi_startproc
	lea	4(%esp), %eax
	ret
	.cfi_endproc

	.section .text.trap_now, "ax", %progbits
trap_now:
	ud2

	.globl gp_now
	.type gp_now, %function
	.section .text.gp_now, "ax", %progbits
gp_now:
	hlt                             /* privileged: #GP at user level */
	ret

#elif defined(__s390x__)
/* ---- s390x: bits 0-7 r6..r13, 8-15 f8..f15, 16 fpc ---------------------- */
.macro expect reg, k, bit
	la	%r1, \k(%r2)
	cgr	\reg, %r1
	je	1f
	oilf	%r3, 1 << \bit
1:
.endm
.macro expectf reg, k, bit
	lgdr	%r4, \reg
	expect	%r4, \k, \bit
.endm
.macro setf reg, k
	la	%r1, \k(%r2)
	ldgr	\reg, %r1
.endm

	.section .text.regs_check, "ax", %progbits
regs_check:                             /* frame: co_yield's save area (160), */
	.cfi_startproc                  /* f8-f15, the caller's fpc, this fpc, */
	stmg	%r6, %r15, 48(%r15)     /* seed; r6-r15 in the caller's area */
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
	aghi	%r15, -240
	.cfi_adjust_cfa_offset 240
	std	%f8, 160(%r15)
	.cfi_rel_offset 24, 160		/* f8 */
	std	%f9, 168(%r15)
	.cfi_rel_offset 28, 168		/* f9 */
	std	%f10, 176(%r15)
	.cfi_rel_offset 25, 176		/* f10 */
	std	%f11, 184(%r15)
	.cfi_rel_offset 29, 184		/* f11 */
	std	%f12, 192(%r15)
	.cfi_rel_offset 26, 192		/* f12 */
	std	%f13, 200(%r15)
	.cfi_rel_offset 30, 200		/* f13 */
	std	%f14, 208(%r15)
	.cfi_rel_offset 27, 208		/* f14 */
	std	%f15, 216(%r15)
	.cfi_rel_offset 31, 216		/* f15 */
	stfpc	224(%r15)               /* the caller's control state */
	stg	%r2, 232(%r15)          /* seed */
	lghi	%r1, 3                  /* fpc: rounding mode seed & 3 */
	ngr	%r1, %r2
	st	%r1, 228(%r15)
	lfpc	228(%r15)
	la	%r6, 0(%r2)
	la	%r7, 1(%r2)
	la	%r8, 2(%r2)
	la	%r9, 3(%r2)
	la	%r10, 4(%r2)
	la	%r11, 5(%r2)
	la	%r12, 6(%r2)
	la	%r13, 7(%r2)
	setf	%f8, 8
	setf	%f9, 9
	setf	%f10, 10
	setf	%f11, 11
	setf	%f12, 12
	setf	%f13, 13
	setf	%f14, 14
	setf	%f15, 15
	brasl	%r14, co_yield
	lg	%r2, 232(%r15)
	lghi	%r3, 0
	expect	%r6, 0, 0
	expect	%r7, 1, 1
	expect	%r8, 2, 2
	expect	%r9, 3, 3
	expect	%r10, 4, 4
	expect	%r11, 5, 5
	expect	%r12, 6, 6
	expect	%r13, 7, 7
	expectf	%f8, 8, 8
	expectf	%f9, 9, 9
	expectf	%f10, 10, 10
	expectf	%f11, 11, 11
	expectf	%f12, 12, 12
	expectf	%f13, 13, 13
	expectf	%f14, 14, 14
	expectf	%f15, 15, 15
	efpc	%r1
	c	%r1, 228(%r15)
	je	1f
	oilf	%r3, 1 << 16
1:	lfpc	224(%r15)
	lgr	%r2, %r3
	ld	%f8, 160(%r15)
	.cfi_restore 24		/* f8 */
	ld	%f9, 168(%r15)
	.cfi_restore 28		/* f9 */
	ld	%f10, 176(%r15)
	.cfi_restore 25		/* f10 */
	ld	%f11, 184(%r15)
	.cfi_restore 29		/* f11 */
	ld	%f12, 192(%r15)
	.cfi_restore 26		/* f12 */
	ld	%f13, 200(%r15)
	.cfi_restore 30		/* f13 */
	ld	%f14, 208(%r15)
	.cfi_restore 27		/* f14 */
	ld	%f15, 216(%r15)
	.cfi_restore 31		/* f15 */
	lmg	%r6, %r15, 240+48(%r15)
	.cfi_restore 6
	.cfi_restore 7
	.cfi_restore 8
	.cfi_restore 9
	.cfi_restore 10
	.cfi_restore 11
	.cfi_restore 12
	.cfi_restore 13
	.cfi_restore 14
	.cfi_restore 15
	.cfi_def_cfa_offset 160
	br	%r14
	.cfi_endproc

	.section .text.entry_probe, "ax", %progbits
entry_probe:                            /* a call leaves sp as it was */
	.cfi_startproc
	larl	%r1, probe_sp
	stg	%r15, 0(%r1)
	jg	entry_probe_body
	.cfi_endproc

	.section .text.caller_sp, "ax", %progbits
caller_sp:
	.cfi_startproc
	lgr	%r2, %r15
	br	%r14
	.cfi_endproc

	.section .text.trap_now, "ax", %progbits
trap_now:
	j	.+2                     /* GCC's __builtin_trap: 0x0001, SIGILL */

#else
#error "unsupported architecture: add a tests/arch.S block (see docs/porting.md)"
#endif
