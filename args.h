/*
 * args.h - reading command-line arguments without libc: the one string
 * comparison and the one number parser of the runtime, the demo, the
 * examples, the tests and the benchmarks.  Static, so a program carries only what it calls.
 */
#ifndef ARGS_H
#define ARGS_H

/* Are the strings a and b equal? */
static __attribute__((noinline, unused)) int str_eq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

/* s as a decimal number of one to nine digits (0 .. 999999999), or -1 for
 * anything else: an empty string, a sign, a letter, a tenth digit. */
static __attribute__((noinline, unused)) long arg_number(const char *s)
{
	long n = 0;

	do {
		unsigned d = *s - '0';

		if (d > 9 || n > 99999999)
			return -1;
		n = n * 10 + d;
	} while (*++s);
	return n;
}

#endif
