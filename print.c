/*
 * print.c - output over write(2).  See print.h for the contract.
 *
 * Three layers, each built on the one below, each linked only if used:
 *   the buffer  standard output's, drained with write_all when full and at
 *               exit; standard error is written at once;
 *   pieces      put_str, and put_fmt with '#' for a decimal and '@' for hex
 *               digits: what the runtime's own messages and the demo use,
 *               a few hundred bytes in all;
 *   formatter   print, eprint, format: printf-style, on top of the pieces.
 */
#include "print.h"
#include "coroutine.h"
#include "syscalls.h"

/* ---- the buffer ------------------------------------------------------------ */

static char obuf[CO_PRINT_BUFFER];      /* standard output's */
static unsigned olen;

long write_all(int fd, const void *buf, unsigned long len)
{
	const char *p = buf;

	while (len) {
		long r = sys_write(fd, p, len);

		if (r == -EINTR)
			continue;
		if (r < 0)      /* -EAGAIN too: a non-blocking fd is the caller's */
			return r;
		p += r;
		len -= r;
	}
	return p - (const char *)buf;
}

/* Empty standard output's buffer; if that fails, say so and exit. */
void print_flush(void)
{
	unsigned n = olen;
	long r;

	olen = 0;               /* dropped even on failure: exit must not retry */
	if (n && (r = write_all(1, obuf, n)) < 0) {
		put_err("cannot write to standard output: errno #\n", -r, 0);
		co_exit_process(CO_EXIT_IO);
	}
}

/* n bytes to fd: stdout through its buffer, anything else (stderr) at once. */
static void out(int fd, const char *s, unsigned long n)
{
	co_exit_hook = print_flush;     /* there is output to flush at exit */
	if (fd != 1) {
		write_all(fd, s, n);    /* stderr is the last resort: no check */
		return;
	}
	while (n--) {
		if (olen == CO_PRINT_BUFFER)
			print_flush();
		obuf[olen++] = *s++;
	}
}

/* ---- pieces ------------------------------------------------------------- */

/* v / base: the divide instruction where there is one.  32-bit arm
 * (armv7-a has none) would call libgcc's 600-byte routine, so there the
 * divisors are constants: a multiply by 10's reciprocal, or a shift. */
#if defined(__arm__) && !defined(__ARM_FEATURE_IDIV)
#define DIV(v, base) ((base) == 16 ? (v) >> 4 : (v) / 10)
#else
#define DIV(v, base) ((v) / (base))
#endif

/* v's digits in base 10 or 16, written backwards from end; returns the
 * first.  Native width, so 32-bit machines need no 64-bit division here. */
static char *digits(char *end, unsigned long v, unsigned base)
{
	do {
		unsigned long q = DIV(v, base);

		*--end = "0123456789abcdef"[v - q * base];
		v = q;
	} while (v);
	return end;
}

void put_str(int fd, const char *str)
{
	const char *end = str;

	while (*end)
		end++;
	out(fd, str, end - str);
}

void put_fmt(int fd, const char *t, long a, long b, long c, long d)
{
	long arg[4] = { a, b, c, d }, *p = arg;
	const char *run = t;

	for (;; t++) {
		char tmp[24], *n;

		if (*t && *t != '#' && *t != '@')
			continue;
		out(fd, run, t - run);          /* the text before */
		if (!*t)
			return;
		run = t + 1;
		n = digits(tmp + sizeof tmp, *p++, *t == '@' ? 16 : 10);
		out(fd, n, tmp + sizeof tmp - n);
	}
}

void put_err(const char *t, long a, long b)
{
	put_str(2, co_name);
	put_str(2, ": ");
	put_fmt(2, t, a, b, 0, 0);
}

/* ---- the formatter ------------------------------------------------------ */

/* Where the formatter's output goes: a buffer, passed on to fd when full
 * (and at the end), or a string (fd 0), truncated when full. */
struct sink {
	char *buf;
	unsigned long cap, len;         /* room in buf, bytes in buf */
	unsigned long total;            /* bytes produced, truncated or not */
	int fd;
};

static void put(struct sink *s, char c)
{
	s->total++;
	if (s->len == s->cap && s->fd) {
		out(s->fd, s->buf, s->len);
		s->len = 0;
	}
	if (s->len < s->cap)
		s->buf[s->len++] = c;
}

enum { LEFT = 1, ZERO = 2, NEG = 4, HEX = 8, PTR = 16 };

static void pad(struct sink *s, char c, long n)
{
	while (n-- > 0)
		put(s, c);
}

/* pre, then str[0..n), in a field of width: padded with spaces before (after
 * with LEFT), or with zeros between pre and str (ZERO). */
static void field(struct sink *s, const char *pre, const char *str, long n,
		  long width, int flags)
{
	const char *p = pre;

	while (*p)
		p++;
	width -= n + (p - pre);
	if (!(flags & (LEFT | ZERO)))
		pad(s, ' ', width);
	while (*pre)
		put(s, *pre++);
	if (flags & ZERO)
		pad(s, '0', width);
	while (n-- > 0)
		put(s, *str++);
	if (flags & LEFT)
		pad(s, ' ', width);
}


/* The next integer argument of a conversion with lng 'l's, sign-extended. */
static __attribute__((noinline)) long long next_int(va_list *ap, int lng)
{
	if (sizeof(long long) > sizeof(long) && lng > 1)
		return va_arg(*ap, long long);
	return lng ? va_arg(*ap, long) : va_arg(*ap, int);
}

static void vout(struct sink *s, const char *f, va_list *ap)
{
	char c;

	while ((c = *f++)) {
		int flags = 0, lng = 0;
		long width = 0;
		unsigned long long v;
		const char *str;

		if (c != '%') {
			put(s, c);
			continue;
		}
		if (*f == '-')                          /* flags */
			flags |= LEFT, f++;
		if (*f == '0')
			flags |= flags & LEFT ? 0 : ZERO, f++;
		while (*f >= '0' && *f <= '9')          /* width */
			width = width * 10 + (*f++ - '0');
		for (; *f == 'l' || *f == 'z'; f++)     /* length: size_t is */
			lng++;                          /* unsigned long here */
		switch (c = *f++) {
		case '\0':                              /* a lone % at the end */
			return;
		case 's':
			str = va_arg(*ap, const char *);
			if (!str)
				str = "(null)";
			for (v = 0; str[v]; v++)
				;
			field(s, "", str, v, width, flags & LEFT);
			continue;
		case 'p':
			v = (unsigned long)va_arg(*ap, void *);
			flags |= HEX | PTR;
			break;
		case 'd':
		case 'i':
			v = next_int(ap, lng);
			if ((long long)v < 0) {
				v = -v;
				flags |= NEG;
			}
			break;
		case 'x':
			flags |= HEX;
			/* fall through */
		case 'u':
			v = next_int(ap, lng);
			if (lng == 0)
				v = (unsigned)v;
			else if (lng == 1)
				v = (unsigned long)v;
			break;
		case 'c':
			c = (char)next_int(ap, 0);
			/* fall through */
		default:                /* %% and unknown ones: as they are */
			field(s, "", &c, 1, width, flags & LEFT);
			continue;
		}
		char tmp[24], *end = tmp + sizeof tmp;
		unsigned base = flags & HEX ? 16 : 10;

		while (v > (unsigned long)-1) {         /* 32-bit: the high part */
			*--end = "0123456789abcdef"[v % base];
			v /= base;
		}
		str = digits(end, v, base);
		field(s, flags & NEG ? "-" : flags & PTR ? "0x" : "", str,
		      tmp + sizeof tmp - str, width, flags);
	}
}

int vformat(char *buf, unsigned long size, const char *fmt, va_list ap)
{
	struct sink s = { buf, size ? size - 1 : 0, 0, 0, 0 };
	va_list aq;

	va_copy(aq, ap);        /* a va_list parameter may be an array: copy it */
	vout(&s, fmt, &aq);
	va_end(aq);
	if (size)
		buf[s.len] = '\0';
	return (int)s.total;
}

int format(char *buf, unsigned long size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vformat(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/* print (fd 1) and eprint (fd 2). */
static __attribute__((noinline)) int vprint(int fd, const char *fmt, va_list *ap)
{
	char buf[256];
	struct sink s = { buf, sizeof buf, 0, 0, fd };

	vout(&s, fmt, ap);
	out(fd, buf, s.len);            /* stderr: one write for a short message */
	return (int)s.total;
}

int print(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprint(1, fmt, &ap);
	va_end(ap);
	return n;
}

int eprint(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprint(2, fmt, &ap);
	va_end(ap);
	return n;
}
