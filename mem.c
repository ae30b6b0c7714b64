/*
 * mem.c - what the compiler and libgcc call on their own, since there is
 * no libc to supply it: four memory routines (for struct copies, large
 * initialisers, and loops the compiler recognises) and, on arm, libgcc's
 * division-by-zero hooks.  Plain byte loops: small, and fast enough for
 * the runtime, which copies little.  Built with
 * -fno-tree-loop-distribute-patterns, so the compiler does not turn these
 * loops back into calls to themselves, and without link-time optimisation
 * (Makefile): calls to them appear only as code is generated, at link
 * time, after LTO would have dropped them as unused.
 */
#include "syscalls.h"

void *memcpy(void *restrict dst, const void *restrict src, __SIZE_TYPE__ n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, __SIZE_TYPE__ n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d < s)
		while (n--)
			*d++ = *s++;
	else
		while (n--)
			d[n] = s[n];
	return dst;
}

void *memset(void *dst, int c, __SIZE_TYPE__ n)
{
	unsigned char *d = dst;

	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

int memcmp(const void *a, const void *b, __SIZE_TYPE__ n)
{
	const unsigned char *p = a, *q = b;

	for (; n; n--, p++, q++)
		if (*p != *q)
			return *p - *q;
	return 0;
}

#if defined(__arm__)
/* libgcc's division helpers call these on a division by zero; its own
 * versions would call libc's raise().  Die by SIGFPE, as a CPU that traps
 * would make us. */
void __aeabi_idiv0(void) { sys_kill(sys_getpid(), SIGFPE); }
void __aeabi_ldiv0(void) { sys_kill(sys_getpid(), SIGFPE); }
#endif
