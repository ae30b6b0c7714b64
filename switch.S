/*
 * switch.S - the context switch, and the first frame of a new coroutine.
 *
 *   void  _co_switch(void **save, void **load);
 *         Push the callee-saved state of the psABI onto the current stack,
 *         store sp in *save, set sp to *load (read after the store, so a
 *         coroutine can "switch" to itself), pop the state found there and
 *         return into whatever context pushed it.  To C this is an ordinary
 *         call that returns later, when someone switches back.
 *
 *   void *_co_frame(void *top, void (*fn)(void *), void *arg);
 *         Lay out, below top (16-byte aligned), a frame that _co_switch can
 *         load: it "returns" into _co_entry with fn and arg in callee-saved
 *         registers, a zero frame pointer (where unwinders stop) and the
 *         caller's floating-point control state; the other registers' slots
 *         keep whatever the chunk held.  Returns the frame's address, the new
 *         coroutine's saved sp.
 *
 *   _co_entry calls fn(arg) with sp aligned as if fn had just been called,
 *   then co_exit(): returning from fn is co_exit().
 *
 * Only the callee-saved registers are saved: to the compiler the call of
 * _co_switch already clobbers every other one.  Of the floating-point
 * control and status state, each coroutine keeps its own (tests/t_switch.c
 * checks both columns):
 *
 *   arch      kept per coroutine                shared by all coroutines
 *   x86_64    MXCSR whole (SSE rounding, masks,  x87 status word (its flags)
 *             flags); x87 control word
 *   aarch64   FPCR (rounding, traps, modes)      FPSR (cumulative flags)
 *   riscv64   frm (rounding mode)                fflags (accrued flags)
 *   arm       FPSCR whole (rounding, flags)      -
 *   i386      MXCSR whole; x87 control word      x87 status word (its flags)
 *
 * The rounding mode, which changes results, is everywhere a coroutine's
 * own; where the flags are shared, read them right after the operation.
 */
	.section .note.GNU-stack, "", %progbits
	.cfi_sections .debug_frame
	.text
	.globl _co_switch, _co_frame
	.hidden _co_switch, _co_frame, _co_entry
	.type _co_switch, %function
	.type _co_frame, %function
	.type _co_entry, %function

#if defined(__x86_64__)
/* ---- x86_64 ------------------------------------------------------------
 *
 *               -8   | mxcsr (4) | x87 cw (2) | pad |  (the red zone)
 *   saved sp -> +0   | r15                        |
 *               +8   | r14                        |
 *               +16  | r13      new: arg          |
 *               +24  | r12      new: fn           |
 *               +32  | rbx                        |
 *               +40  | rbp      new: 0            |
 *               +48  | return address  new: _co_entry
 *               +56  '----------------------------'  new: = top
 *
 * The control state lies below the saved sp, in the psABI's red zone: the
 * 128 bytes below sp that no signal frame overwrites (and nothing else
 * runs on a stack switched out), so no instruction moves sp for it.
 * Two choices measured by `make bench` (see docs/benchmarks.md):
 *  - ldmxcsr and fldcw are slow, and the other side's control state is
 *    nearly always the same as this side's: each is loaded only if it
 *    differs.  (Not compared as one 8-byte word: a load that spans the
 *    two fresh stores of stmxcsr and fnstcw cannot be forwarded from them,
 *    and waits for them to reach the cache, a few ns per switch);
 *  - the switch ends with pop + indirect jmp, not ret: ret would ask the
 *    return-stack predictor, which predicts a return into *this* side's
 *    caller and so misses on every switch; the indirect-branch predictor
 *    learns where switches go.
 */
_co_switch:                              /* rdi = save, rsi = load */
	push	%rbp
	push	%rbx
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	stmxcsr	-8(%rsp)                /* in the red zone: see above */
	fnstcw	-4(%rsp)
	mov	-8(%rsp), %eax          /* this side's control state */
	movzwl	-4(%rsp), %ecx
	mov	%rsp, (%rdi)            /* switch stacks */
	mov	(%rsi), %rsp
	cmp	-8(%rsp), %eax          /* loading is slow: only load what */
	jne	3f                      /* differs from this side's */
1:	cmp	-4(%rsp), %cx
	jne	4f
2:	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbx
	pop	%rbp
	pop	%rdx                    /* return by an indirect jump, not ret */
	jmp	*%rdx
3:	ldmxcsr	-8(%rsp)
	jmp	1b
4:	fldcw	-4(%rsp)
	jmp	2b

_co_frame:                               /* rdi = top, rsi = fn, rdx = arg */
	lea	-56(%rdi), %rax         /* r15, r14, rbx: whatever was there */
	stmxcsr	-8(%rax)
	fnstcw	-4(%rax)
	mov	%rdx, 16(%rax)
	mov	%rsi, 24(%rax)
	movq	$0, 40(%rax)
	movq	$_co_entry, 48(%rax)
	ret

_co_entry:                               /* rsp = top: 16-aligned */
	.cfi_startproc
	.cfi_undefined rip              /* the outermost frame */
	mov	%r13, %rdi
	call	*%r12                   /* fn(arg): rsp+8 aligned at its entry */
	call	co_exit
	.cfi_endproc

#elif defined(__aarch64__)
/* ---- aarch64 -----------------------------------------------------------
 *
 *   saved sp -> +0   | x19  new: fn  | x20  new: arg |
 *               +16  | x21           | x22           |
 *               +32  | x23           | x24           |
 *               +48  | x25           | x26           |
 *               +64  | x27           | x28           |
 *               +80  | x29  new: 0   | x30  new: _co_entry
 *               +96  | d8            | d9            |
 *               +112 | d10           | d11           |
 *               +128 | d12           | d13           |
 *               +144 | d14           | d15           |
 *               +160 | fpcr          | pad           |
 *               +176 '-------------------------------'  new: = top
 */
_co_switch:                              /* x0 = save, x1 = load */
	sub	sp, sp, #176
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
	str	x9, [sp, #160]
	mov	x10, sp                 /* switch stacks */
	str	x10, [x0]
	ldr	x10, [x1]
	mov	sp, x10
	ldr	x10, [sp, #160]
	cmp	x9, x10                 /* writing fpcr is slow: only when the */
	b.eq	1f                      /* other side's differs */
	msr	fpcr, x10
1:	ldp	x19, x20, [sp, #0]
	ldp	x21, x22, [sp, #16]
	ldp	x23, x24, [sp, #32]
	ldp	x25, x26, [sp, #48]
	ldp	x27, x28, [sp, #64]
	ldp	x29, x30, [sp, #80]
	ldp	d8, d9, [sp, #96]
	ldp	d10, d11, [sp, #112]
	ldp	d12, d13, [sp, #128]
	ldp	d14, d15, [sp, #144]
	add	sp, sp, #176
	ret

_co_frame:                               /* x0 = top, x1 = fn, x2 = arg */
	sub	x0, x0, #176
	stp	x1, x2, [x0, #0]
	adr	x9, _co_entry
	stp	xzr, x9, [x0, #80]
	mrs	x9, fpcr
	str	x9, [x0, #160]
	ret

_co_entry:                               /* sp = top: 16-aligned */
	.cfi_startproc
	.cfi_undefined x30
	mov	x0, x20
	blr	x19
	bl	co_exit
	.cfi_endproc

#elif defined(__riscv) && __riscv_xlen == 64
/* ---- riscv64 (lp64d) ---------------------------------------------------
 *
 *   saved sp -> +0   | ra    new: _co_entry |
 *               +8   | s0    new: 0        |
 *               +16  | s1    new: fn       |
 *               +24  | s2    new: arg      |
 *               +32  | s3 ... s11          |   (+32 .. +96)
 *               +104 | fs0 ... fs11        |   (+104 .. +192)
 *               +200 | frm                 |
 *               +208 '---------------------'  new: = top
 */
_co_switch:                              /* a0 = save, a1 = load */
	addi	sp, sp, -208
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
	sd	t0, 200(sp)
	sd	sp, 0(a0)               /* switch stacks */
	ld	sp, 0(a1)
	ld	t0, 200(sp)
	fsrm	t0
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
	addi	sp, sp, 208
	ret

_co_frame:                               /* a0 = top, a1 = fn, a2 = arg */
	addi	a0, a0, -208
	lla	t0, _co_entry
	sd	t0, 0(a0)
	sd	zero, 8(a0)
	sd	a1, 16(a0)
	sd	a2, 24(a0)
	frrm	t0
	sd	t0, 200(a0)
	ret

_co_entry:                               /* sp = top: 16-aligned */
	.cfi_startproc
	.cfi_undefined ra
	mv	a0, s2
	jalr	s1
	call	co_exit
	.cfi_endproc

#elif defined(__arm__)
/* ---- arm (EABI, hard-float) --------------------------------------------
 *
 *   saved sp -> +0   | fpscr              |
 *               +4   | pad                |
 *               +8   | d8 ... d15         |   (+8 .. +64)
 *               +72  | r3 (pad)           |
 *               +76  | r4    new: fn      |
 *               +80  | r5    new: arg     |
 *               +84  | r6 ... r10         |   (+84 .. +100)
 *               +104 | r11   new: 0       |
 *               +108 | lr    new: _co_entry|
 *               +112 '--------------------'  new: = top
 */
	.arm
	.fpu vfpv3-d16
_co_switch:                              /* r0 = save, r1 = load */
	push	{r3-r11, lr}            /* r3 only keeps sp 8-aligned */
	vpush	{d8-d15}
	vmrs	r2, fpscr
	push	{r2, r3}
	str	sp, [r0]                /* switch stacks */
	ldr	sp, [r1]
	pop	{r2, r3}
	vmsr	fpscr, r2
	vpop	{d8-d15}
	pop	{r3-r11, pc}

_co_frame:                               /* r0 = top, r1 = fn, r2 = arg */
	sub	r0, r0, #112
	str	r1, [r0, #76]
	str	r2, [r0, #80]
	mov	r3, #0
	str	r3, [r0, #104]
	adr	r3, _co_entry
	str	r3, [r0, #108]
	vmrs	r3, fpscr
	str	r3, [r0, #0]
	bx	lr

_co_entry:                               /* sp = top: 16-aligned */
	.cfi_startproc
	.cfi_undefined lr
	mov	r0, r5
	blx	r4
	bl	co_exit
	.cfi_endproc

#elif defined(__i386__)
/* ---- i386 --------------------------------------------------------------
 *
 *   saved sp -> +0   | mxcsr               |
 *               +4   | x87 cw (2) | pad    |
 *               +8   | edi                 |
 *               +12  | esi   new: arg      |
 *               +16  | ebx   new: fn       |
 *               +20  | ebp   new: 0        |
 *               +24  | return address  new: _co_entry
 *               +28  '---------------------'  new: = top
 *
 * mxcsr needs SSE: every i386 CPU since 1999, and QEMU's.
 */
_co_switch:                              /* 4(%esp) = save, 8(%esp) = load */
	mov	4(%esp), %eax
	mov	8(%esp), %edx
	push	%ebp
	push	%ebx
	push	%esi
	push	%edi
	sub	$8, %esp
	stmxcsr	(%esp)
	fnstcw	4(%esp)
	mov	%esp, (%eax)            /* switch stacks */
	mov	(%edx), %esp
	ldmxcsr	(%esp)
	fldcw	4(%esp)
	add	$8, %esp
	pop	%edi
	pop	%esi
	pop	%ebx
	pop	%ebp
	ret

_co_frame:                               /* 4(%esp) = top, 8 = fn, 12 = arg */
	mov	4(%esp), %eax
	sub	$28, %eax
	stmxcsr	(%eax)                  /* edi: whatever was there */
	fnstcw	4(%eax)
	mov	12(%esp), %ecx
	mov	%ecx, 12(%eax)
	mov	8(%esp), %ecx
	mov	%ecx, 16(%eax)
	movl	$0, 20(%eax)
	movl	$_co_entry, 24(%eax)
	ret

_co_entry:                               /* esp = top: 16-aligned */
	.cfi_startproc
	.cfi_undefined eip
	sub	$12, %esp
	push	%esi                    /* arg; esp 16-aligned at the call */
	call	*%ebx
	call	co_exit
	.cfi_endproc

#else
#error "unsupported architecture: add a switch block (see docs/porting.md)"
#endif
	.size _co_switch, _co_frame - _co_switch
	.size _co_frame, _co_entry - _co_frame
	.size _co_entry, . - _co_entry
