/*
 * mem.c - the four routines the compiler may call on its own (for struct
 * copies, large initialisers, and loops it recognises), since there is no
 * libc to supply them.  Plain byte loops: small, and fast enough for the
 * runtime, which copies little.  Built with -fno-tree-loop-distribute-patterns
 * so the compiler does not turn these loops back into calls to themselves.
 */
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
