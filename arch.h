/*
 * arch.h - what the runtime's C files know of the machine, below every
 * other private header: it includes nothing of ours, so the system-call
 * layer (syscalls.c) can use it and know nothing above it.
 */
#ifndef ARCH_H
#define ARCH_H

/* A value for an argument the callee does not read (a system call's past
 * its count, co_put_fmt's past its template's numbers): whatever its
 * register holds, so that no instruction sets it. */
static inline long _co_unset(void)
{
	long v;

	__asm__ volatile("" : "=r"(v));
	return v;
}

#endif
