/*
 * t_asm.c - a program with top-level assembly, built like any `make app`
 * program: the assembly calls co_yield, calls a global C function of this
 * file and reads a global variable of this file, none of which C code here
 * reaches in the same way.  Whatever links with gcc without link-time
 * optimisation must link and run here (docs/size.md: users' programs are
 * compiled without it, so the assembly's references are the linker's).
 *
 *   int asm_entry(void);
 *       asm_body(); co_yield(); return asm_seen;
 */
#include "check.h"

int asm_entry(void);
void asm_body(void);
int asm_seen;                   /* written by C, read by the assembly */
static int order[4], steps;

/* Called from the assembly only. */
void asm_body(void)
{
	order[steps++] = 1;
	asm_seen = 40;
}

static void other(void *arg)
{
	(void)arg;
	order[steps++] = 2;
	asm_seen += 2;
}

#if defined(__x86_64__)
__asm__(".pushsection .text.asm_entry, \"ax\", @progbits\n"
	".globl asm_entry\n.type asm_entry, @function\n"
	"asm_entry:\n"
	"	sub $8, %rsp\n"                 /* the call's 16-byte alignment */
	"	call asm_body\n"
	"	call co_yield\n"
	"	mov asm_seen(%rip), %eax\n"
	"	add $8, %rsp\n"
	"	ret\n"
	".popsection\n");
#elif defined(__aarch64__)
__asm__(".pushsection .text.asm_entry, \"ax\", %progbits\n"
	".globl asm_entry\n.type asm_entry, %function\n"
	"asm_entry:\n"
	"	stp x29, x30, [sp, #-16]!\n"
	"	bl asm_body\n"
	"	bl co_yield\n"
	"	adrp x0, asm_seen\n"
	"	ldr w0, [x0, #:lo12:asm_seen]\n"
	"	ldp x29, x30, [sp], #16\n"
	"	ret\n"
	".popsection\n");
#elif defined(__riscv) && __riscv_xlen == 64
__asm__(".pushsection .text.asm_entry, \"ax\", %progbits\n"
	".globl asm_entry\n.type asm_entry, %function\n"
	"asm_entry:\n"
	"	addi sp, sp, -16\n"
	"	sd ra, 8(sp)\n"
	"	call asm_body\n"
	"	call co_yield\n"
	"	lla a0, asm_seen\n"
	"	lw a0, 0(a0)\n"
	"	ld ra, 8(sp)\n"
	"	addi sp, sp, 16\n"
	"	ret\n"
	".popsection\n");
#elif defined(__arm__)
__asm__(".pushsection .text.asm_entry, \"ax\", %progbits\n"
	".syntax unified\n.thumb\n.p2align 1\n"  /* clang's assembler leaves 1 */
	".globl asm_entry\n.type asm_entry, %function\n.thumb_func\n"
	"asm_entry:\n"
	"	push {r4, lr}\n"                /* 8 bytes: the stack stays aligned */
	"	bl asm_body\n"
	"	bl co_yield\n"
#if CO_PIE   /* PIE=1: no absolute address in code; asm_seen's from the pc */
	"	ldr r0, 1f\n"
	"2:	add r0, pc\n"                  /* pc reads as 2b + 4 */
	"	ldr r0, [r0]\n"
	"	pop {r4, pc}\n"
	".p2align 2\n"
	"1:	.word asm_seen - (2b + 4)\n"
#else
	"	movw r0, #:lower16:asm_seen\n"
	"	movt r0, #:upper16:asm_seen\n"
	"	ldr r0, [r0]\n"
	"	pop {r4, pc}\n"
#endif
	".popsection\n");
#elif defined(__i386__)
__asm__(".pushsection .text.asm_entry, \"ax\", @progbits\n"
	".globl asm_entry\n.type asm_entry, @function\n"
	"asm_entry:\n"
	"	sub $12, %esp\n"                /* the call's 16-byte alignment */
	"	call asm_body\n"
	"	call co_yield\n"
#if CO_PIE   /* PIE=1: no absolute address in code; asm_seen's from the pc */
	"	call 1f\n"
	"1:	pop %eax\n"
	"	mov asm_seen - 1b(%eax), %eax\n"
#else
	"	mov asm_seen, %eax\n"
#endif
	"	add $12, %esp\n"
	"	ret\n"
	".popsection\n");
#elif defined(__s390x__)
__asm__(".pushsection .text.asm_entry, \"ax\", @progbits\n"
	".globl asm_entry\n.type asm_entry, @function\n"
	"asm_entry:\n"
	"	stmg %r14, %r15, 112(%r15)\n"  /* r14, r15 in the caller's save area */
	"	aghi %r15, -160\n"              /* a save area for the callees */
	"	brasl %r14, asm_body\n"
	"	brasl %r14, co_yield\n"
	"	larl %r1, asm_seen\n"
	"	lgf %r2, 0(%r1)\n"
	"	lmg %r14, %r15, 272(%r15)\n"
	"	br %r14\n"
	".popsection\n");
#else
#error "tests/t_asm.c: no assembly for this architecture"
#endif

int main(void)
{
	int got;

	co_spawn(other, 0);
	got = asm_entry();
	check(order[0] == 1, "asm calls a global C function of the program", "order %d %d",
	      order[0], order[1]);
	check(order[1] == 2, "asm calls co_yield: the other coroutine ran", "order %d %d",
	      order[0], order[1]);
	CHECK_EQ("asm reads a global variable of the program", got, 42);
	co_run();
	return check_done();
}
