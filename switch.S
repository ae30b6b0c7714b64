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
 *   void *_co_frame(void *area, void *top, void (*fn)(void *), void *arg);
 *         Lay out, at the end of area, a frame that _co_switch can load: it
 *         "returns" into _co_entry with fn, arg and top in callee-saved
 *         registers, a zero frame pointer (where unwinders stop) and the
 *         caller's floating-point control state; the other registers' slots
 *         keep whatever was there.  Returns the frame's address, the new
 *         coroutine's saved sp.  area (_CO_FRAME_SIZE bytes, internal.h) is
 *         the slot's own (pool.c), not the new stack: the stack is not
 *         touched until the coroutine runs (the poller's is on its stack,
 *         just below top).  Drawn below: the frame, up to the area's end.
 *
 *   _co_entry moves sp to top (16-byte aligned), calls fn(arg) with sp
 *   aligned as if fn had just been called, then co_exit(): returning from
 *   fn is co_exit().
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
 *   s390x     FPC whole (masks, flags, DXC,      -
 *             rounding modes)
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

/* Call-frame information (CFI, in .debug_frame: the unstripped file only)
 * lets a debugger unwind from every instruction.  _co_switch describes each
 * register it saves as it saves it.  Once it has stored sp in *save, sp is
 * the other side's, yet the frame it runs in is still this side's call,
 * until it returns: from there on the canonical frame address (CFA, the
 * caller's sp; on s390x the caller's sp + 160, counted in the size below)
 * is read through the save pointer, which stays in its register to the
 * end:
 *
 *     CFA = *save + the frame's size
 *
 * encoded by cfa_saved as DW_CFA_def_cfa_expression (DW_OP_bregN 0,
 * DW_OP_deref, DW_OP_plus_uconst size).  So a backtrace at any instruction
 * of a switch shows the coroutine that called it, whose registers are all
 * in its frame by then.  _co_parked, a local label (no symbol in a stripped
 * file), is the first instruction after the store: a debugger that sets sp
 * to a parked coroutine's saved sp, the save register to where that sp is
 * saved (&.sp), and pc there,
 * sees that coroutine's stack (gdb/coroutines_ext.py).  _co_entry marks the
 * outermost frame: its return address is undefined. */
.macro cfa_saved breg, size
	.if \size < 128
	.cfi_escape 0x0f, 5, \breg, 0, 0x06, 0x23, \size
	.else
	.cfi_escape 0x0f, 6, \breg, 0, 0x06, 0x23, (\size & 0x7f) | 0x80, \size >> 7
	.endif
.endm

#if defined(__x86_64__)
/* ---- x86_64 ------------------------------------------------------------
 *
 *               -8   | mxcsr (4) | x87 cw (2) | pad |  (the red zone)
 *   saved sp -> +0   | r15                        |
 *               +8   | r14                        |
 *               +16  | r13      new: arg          |
 *               +24  | r12      new: fn           |
 *               +32  | rbx      new: top          |
 *               +40  | rbp      new: 0            |
 *               +48  | return address  new: _co_entry
 *               +56  '----------------------------'  new: = the area's end
 *
 * The control state lies below the saved sp, in the psABI's red zone: the
 * 128 bytes below sp that no signal frame overwrites (and nothing else
 * runs on a stack switched out), so no instruction moves sp for it.
 *
 * co_yield is the ready ring's turn, _co_running = _co_running->ring (one
 * load and one store, no test: a coroutine alone on the ring switches to
 * itself), falling into _co_switch with its two arguments in place
 * (sched.c keeps a C co_yield for the other architectures).
 *
 * Two choices measured by `make bench` (see docs/switch.md):
 *  - the control state is loaded whether or not it differs: comparing
 *    first takes more instructions, and its read of the two fresh stores
 *    of stmxcsr and fnstcw waits for them (a load that cannot be forwarded
 *    from a store, as one that spans two cannot, waits for them to reach
 *    the cache), which cost more than ldmxcsr and fldcw here;
 *  - the switch ends with pop + indirect jmp, not ret: ret would ask the
 *    return-stack predictor, which predicts a return into *this* side's
 *    caller and so misses whenever the two sides yield from different
 *    places; the indirect-branch predictor learns where switches go.
 */
	.globl co_yield
	.type co_yield, %function
co_yield:                                /* no frame: falls into _co_switch */
	.cfi_startproc
	mov	_co_running(%rip), %rdi /* save: &self->sp, ->sp the first field */
	mov	8(%rdi), %rsi           /* load: &self->ring->sp (sched.c checks the 8) */
	mov	%rsi, _co_running(%rip)
#if CO_PREFETCH
	mov	%rsi, %rax              /* CO_PREFETCH places ahead (coroutine.h) */
	.rept	CO_PREFETCH - 1
	mov	8(%rax), %rax
	.endr
	mov	(%rax), %rax            /* its saved sp: its frame, and below */
	prefetcht0 -8(%rax)
	prefetcht0 48(%rax)
#endif
	.cfi_endproc
	.size co_yield, . - co_yield

_co_switch:                              /* rdi = save, rsi = load */
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
	stmxcsr	-8(%rsp)                /* in the red zone: see above */
	fnstcw	-4(%rsp)
	mov	%rsp, (%rdi)            /* switch stacks */
	cfa_saved 0x75, 56              /* CFA = *rdi + 56 (DW_OP_breg5) */
_co_parked:
	mov	(%rsi), %rsp
	ldmxcsr	-8(%rsp)
	fldcw	-4(%rsp)
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbx
	pop	%rbp
	pop	%rdx                    /* return by an indirect jump, not ret */
	jmp	*%rdx
	.cfi_endproc

_co_frame:                       /* rdi = area, rsi = top, rdx = fn, rcx = arg */
	.cfi_startproc
	lea	64-56(%rdi), %rax         /* r15, r14: whatever was there */
	stmxcsr	-8(%rax)
	fnstcw	-4(%rax)
	mov	%rcx, 16(%rax)
	mov	%rdx, 24(%rax)
	mov	%rsi, 32(%rax)
	movq	$0, 40(%rax)
#if CO_PIE
	lea	_co_entry(%rip), %rcx   /* PIE=1: no absolute address in code */
	mov	%rcx, 48(%rax)
#else
	movq	$_co_entry, 48(%rax)
#endif
	ret
	.cfi_endproc

_co_entry:                               /* rbx = top: 16-aligned */
	.cfi_startproc
	.cfi_undefined rip              /* the outermost frame */
	mov	%rbx, %rsp
	mov	%r13, %rdi
	call	*%r12                   /* fn(arg): rsp+8 aligned at its entry */
	call	co_exit
	.cfi_endproc

#elif defined(__aarch64__)
/* ---- aarch64 -----------------------------------------------------------
 *
 *   saved sp -> +0   | x19  new: fn  | x20  new: arg |
 *               +16  | x21  new: top | x22           |
 *               +32  | x23           | x24           |
 *               +48  | x25           | x26           |
 *               +64  | x27           | x28           |
 *               +80  | x29  new: 0   | x30  new: _co_entry
 *               +96  | d8            | d9            |
 *               +112 | d10           | d11           |
 *               +128 | d12           | d13           |
 *               +144 | d14           | d15           |
 *               +160 | fpcr          | pad           |
 *               +176 '-------------------------------'  new: = the area's end
 */
_co_switch:                              /* x0 = save, x1 = load */
	.cfi_startproc
	sub	sp, sp, #176
	.cfi_def_cfa_offset 176
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
	str	x9, [sp, #160]
	mov	x10, sp                 /* switch stacks */
	str	x10, [x0]
	cfa_saved 0x70, 176             /* CFA = *x0 + 176 (DW_OP_breg0) */
_co_parked:
	ldr	x10, [x1]
	mov	sp, x10
	ldr	x10, [sp, #160]
	cmp	x9, x10                 /* writing fpcr is slow: only when the */
	b.ne	3f                      /* other side's differs (out of line) */
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
3:	msr	fpcr, x10
	b	1b
	.cfi_endproc

_co_frame:                       /* x0 = area, x1 = top, x2 = fn, x3 = arg */
	.cfi_startproc
	stp	x2, x3, [x0, #192-176]!
	str	x1, [x0, #16]
	adr	x9, _co_entry
	stp	xzr, x9, [x0, #80]
	mrs	x9, fpcr
	str	x9, [x0, #160]
	ret
	.cfi_endproc

_co_entry:                               /* x21 = top: 16-aligned */
	.cfi_startproc
	.cfi_undefined x30
	mov	sp, x21
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
 *               +32  | s3    new: top      |
 *               +40  | s4 ... s11          |   (+40 .. +96)
 *               +104 | fs0 ... fs11        |   (+104 .. +192)
 *               +200 | frm                 |
 *               +208 '---------------------'  new: = the area's end
 */
_co_switch:                              /* a0 = save, a1 = load */
	.cfi_startproc
	addi	sp, sp, -208
	.cfi_def_cfa_offset 208
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
	sd	t0, 200(sp)
	sd	sp, 0(a0)               /* switch stacks */
	cfa_saved 0x7a, 208             /* CFA = *a0 + 208 (DW_OP_breg10) */
_co_parked:
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
	.cfi_endproc

_co_frame:                       /* a0 = area, a1 = top, a2 = fn, a3 = arg */
	.cfi_startproc
	addi	a0, a0, 256-208
	lla	t0, _co_entry
	sd	t0, 0(a0)
	sd	zero, 8(a0)
	sd	a2, 16(a0)
	sd	a3, 24(a0)
	sd	a1, 32(a0)
	frrm	t0
	sd	t0, 200(a0)
	ret
	.cfi_endproc

_co_entry:                               /* s3 = top: 16-aligned */
	.cfi_startproc
	.cfi_undefined ra
	mv	sp, s3
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
 *               +84  | r6    new: top     |
 *               +88  | r7 ... r10         |   (+88 .. +100)
 *               +104 | r11   new: 0       |
 *               +108 | lr    new: _co_entry|
 *               +112 '--------------------'  new: = the area's end
 */
	.arm
	.fpu vfpv3-d16
_co_switch:                              /* r0 = save, r1 = load */
	.cfi_startproc
	push	{r3-r11, lr}            /* r3 only keeps sp 8-aligned */
	.cfi_adjust_cfa_offset 40
	.cfi_rel_offset r4, 4
	.cfi_rel_offset r5, 8
	.cfi_rel_offset r6, 12
	.cfi_rel_offset r7, 16
	.cfi_rel_offset r8, 20
	.cfi_rel_offset r9, 24
	.cfi_rel_offset r10, 28
	.cfi_rel_offset r11, 32
	.cfi_rel_offset lr, 36
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
	vmrs	r2, fpscr
	push	{r2, r3}
	.cfi_adjust_cfa_offset 8
	str	sp, [r0]                /* switch stacks */
	cfa_saved 0x70, 112             /* CFA = *r0 + 112 (DW_OP_breg0) */
_co_parked:
	ldr	sp, [r1]
	pop	{r2, r3}
	vmsr	fpscr, r2
	vpop	{d8-d15}
	pop	{r3-r11, pc}
	.cfi_endproc

_co_frame:                       /* r0 = area, r1 = top, r2 = fn, r3 = arg */
	.cfi_startproc
	add	r0, r0, #128-112
	str	r2, [r0, #76]
	str	r3, [r0, #80]
	str	r1, [r0, #84]
	mov	r3, #0
	str	r3, [r0, #104]
	adr	r3, _co_entry
	str	r3, [r0, #108]
	vmrs	r3, fpscr
	str	r3, [r0, #0]
	bx	lr
	.cfi_endproc

_co_entry:                               /* r6 = top: 16-aligned */
	.cfi_startproc
	.cfi_undefined lr
	mov	sp, r6
	mov	r0, r5
	blx	r4
	bl	co_exit
	.cfi_endproc

#elif defined(__i386__)
/* ---- i386 --------------------------------------------------------------
 *
 *   saved sp -> +0   | mxcsr               |
 *               +4   | x87 cw (2) | pad    |
 *               +8   | edi   new: top      |
 *               +12  | esi   new: arg      |
 *               +16  | ebx   new: fn       |
 *               +20  | ebp   new: 0        |
 *               +24  | return address  new: _co_entry
 *               +28  '---------------------'  new: = the area's end
 *
 * mxcsr needs SSE: every i386 CPU since 1999, and QEMU's.
 */
_co_switch:                              /* 4(%esp) = save, 8(%esp) = load */
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
	sub	$8, %esp
	.cfi_adjust_cfa_offset 8
	stmxcsr	(%esp)
	fnstcw	4(%esp)
	mov	%esp, (%eax)            /* switch stacks */
	cfa_saved 0x70, 28              /* CFA = *eax + 28 (DW_OP_breg0) */
_co_parked:
	mov	(%edx), %esp
	ldmxcsr	(%esp)
	fldcw	4(%esp)
	add	$8, %esp
	pop	%edi
	pop	%esi
	pop	%ebx
	pop	%ebp
	ret
	.cfi_endproc

_co_frame:                       /* 4(%esp) = area, 8 = top, 12 = fn, 16 = arg */
	.cfi_startproc
	mov	4(%esp), %eax
	add	$64-28, %eax
	stmxcsr	(%eax)
	fnstcw	4(%eax)
	mov	8(%esp), %ecx
	mov	%ecx, 8(%eax)
	mov	16(%esp), %ecx
	mov	%ecx, 12(%eax)
	mov	12(%esp), %ecx
	mov	%ecx, 16(%eax)
	movl	$0, 20(%eax)
#if CO_PIE
	call	1f                      /* PIE=1: no absolute address in code; */
1:	.cfi_adjust_cfa_offset 4        /* _co_entry's from the pc */
	pop	%ecx
	.cfi_adjust_cfa_offset -4
	lea	_co_entry - 1b(%ecx), %ecx
	mov	%ecx, 24(%eax)
#else
	movl	$_co_entry, 24(%eax)
#endif
	ret
	.cfi_endproc

_co_entry:                               /* edi = top: 16-aligned */
	.cfi_startproc
	.cfi_undefined eip
	mov	%edi, %esp
	sub	$12, %esp
	push	%esi                    /* arg; esp 16-aligned at the call */
	call	*%ebx
	call	co_exit
	.cfi_endproc

#elif defined(__s390x__)
/* ---- s390x -------------------------------------------------------------
 *
 * Every caller leaves 160 bytes at its sp, the register save area, where
 * the callee may store r6-r15 (stmg, the ABI's own slots); the switch
 * stores them there, and f8-f15 and the FPC in a frame of its own below:
 *
 *   saved sp -> +0   | f8 ... f15                 |   (+0 .. +56)
 *               +64  | fpc (4) | pad              |
 *   caller's sp +72  | back chain, r2-r5 slots    |   (+72 .. +119, unused)
 *               +120 | r6 ... r10                 |   (+120 .. +152)
 *               +160 | r11      new: 0            |
 *               +168 | r12      new: fn           |
 *               +176 | r13      new: arg          |
 *               +184 | r14      new: _co_entry    |   (the return address)
 *               +192 | r15      new: top - 160    |   (the sp to return with)
 *               +200 | f0, f2, f4, f6 slots       |
 *               +232 '----------------------------'  new: = the area's end
 *
 * A new coroutine starts with sp 160 bytes below top: fn's callees find
 * the save area they may write above it, inside the chunk.  The CFA, as
 * s390x's DWARF has it, is the caller's sp + 160: *save + 232.  FPRs are
 * named by their DWARF numbers in the CFI (f8 24, f9 28, f10 25, ...: the
 * ABI's order, which GNU as 2.40 does not map from %f names).
 */
_co_switch:                              /* r2 = save, r3 = load */
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
	aghi	%r15, -72
	.cfi_adjust_cfa_offset 72
	std	%f8, 0(%r15)
	.cfi_rel_offset 24, 0		/* f8 */
	std	%f9, 8(%r15)
	.cfi_rel_offset 28, 8		/* f9 */
	std	%f10, 16(%r15)
	.cfi_rel_offset 25, 16		/* f10 */
	std	%f11, 24(%r15)
	.cfi_rel_offset 29, 24		/* f11 */
	std	%f12, 32(%r15)
	.cfi_rel_offset 26, 32		/* f12 */
	std	%f13, 40(%r15)
	.cfi_rel_offset 30, 40		/* f13 */
	std	%f14, 48(%r15)
	.cfi_rel_offset 27, 48		/* f14 */
	std	%f15, 56(%r15)
	.cfi_rel_offset 31, 56		/* f15 */
	stfpc	64(%r15)
	stg	%r15, 0(%r2)            /* switch stacks */
	cfa_saved 0x72, 232             /* CFA = *r2 + 232 (DW_OP_breg2) */
_co_parked:
	lg	%r15, 0(%r3)
	lfpc	64(%r15)
	ld	%f8, 0(%r15)
	ld	%f9, 8(%r15)
	ld	%f10, 16(%r15)
	ld	%f11, 24(%r15)
	ld	%f12, 32(%r15)
	ld	%f13, 40(%r15)
	ld	%f14, 48(%r15)
	ld	%f15, 56(%r15)
	lmg	%r6, %r15, 120(%r15)    /* r15 last: the caller's sp */
	br	%r14
	.cfi_endproc

_co_frame:                       /* r2 = area, r3 = top, r4 = fn, r5 = arg */
	.cfi_startproc
	lay	%r1, -160(%r3)          /* _co_entry's sp */
	aghi	%r2, 256-232            /* r6-r10, f8-f15: whatever was there */
	stfpc	64(%r2)
	lghi	%r0, 0
	stg	%r0, 160(%r2)
	stmg	%r4, %r5, 168(%r2)      /* fn, arg */
	larl	%r0, _co_entry
	stmg	%r0, %r1, 184(%r2)      /* _co_entry, its sp */
	br	%r14
	.cfi_endproc

_co_entry:                               /* r15 = top - 160: 16-aligned */
	.cfi_startproc
	.cfi_undefined r14
	lgr	%r2, %r13
	basr	%r14, %r12              /* fn(arg) */
	brasl	%r14, co_exit
	.cfi_endproc

#else
#error "unsupported architecture: add a switch block (see docs/porting.md)"
#endif
	.size _co_switch, _co_frame - _co_switch
	.size _co_frame, _co_entry - _co_frame
	.size _co_entry, . - _co_entry
