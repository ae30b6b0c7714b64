/*
 * print.c - output over write(2).  See print.h for the contract.
 *
 * Three layers, each built on the one below, each linked only if used:
 *   buffers     one per fd (1 and 2), drained with write_all when full, at
 *               a newline on stderr, and at exit;
 *   pieces      put_str, and put_fmt with '#' for a decimal and '@' for an
 *               address: what the runtime's own messages and the demo use,
 *               a few hundred bytes in all;
 *   formatter   print, eprint, format: printf-style, on top of the pieces.
 */
#include "print.h"
#include "coroutine.h"
#include "syscalls.h"

/* ---- buffers -------------------------------------------------------------- */

static char bufs[2][CO_PRINT_BUFFER];   /* standard output, standard error */
static unsigned lens[2];

long write_all(int fd, const void *buf, unsigned long len)
{
	const char *p = buf;

	while (len) {
		long r = sys_write(fd, p, len);

		if (r == -EINTR)
			continue;
		if (r == -EAGAIN) {     /* non-blocking fd: wait until writable */
			struct { int fd; short events, revents; } pfd = { fd, 4 /* POLLOUT */, 0 };
			sys_ppoll(&pfd, 1, 0, 0, 0);
			continue;
		}
		if (r < 0)
			return r;
		p += r;
		len -= r;
	}
	return p - (const char *)buf;
}

/* Empty fd's buffer.  A failure on stdout ends the process; stderr is the
 * last resort and its failures are ignored. */
static void flush_fd(int fd)
{
	unsigned n = lens[fd - 1];
	long r;

	lens[fd - 1] = 0;       /* dropped even on failure: exit must not retry */
	if (n && (r = write_all(fd, bufs[fd - 1], n)) < 0 && fd == 1) {
		put_fmt(2, "coroutines: cannot write to standard output: errno #\n", -r, 0, 0, 0);
		co_exit_process(CO_EXIT_IO);
	}
}

void print_flush(void)
{
	flush_fd(1);
	flush_fd(2);
}

static void out_char(int fd, char c)
{
	if (lens[fd - 1] == CO_PRINT_BUFFER)
		flush_fd(fd);
	bufs[fd - 1][lens[fd - 1]++] = c;
	if (c == '\n' && fd == 2)
		flush_fd(2);            /* stderr: a line at a time */
}

/* ---- pieces ------------------------------------------------------------- */

/* v's digits in base 10 or 16, written backwards from end; returns the
 * first.  Native width, so 32-bit machines need no 64-bit division here. */
static char *digits(char *end, unsigned long v, unsigned base)
{
	do {    /* constant divisors: a multiply or a shift, never a divide */
		unsigned long q = base == 16 ? v >> 4 : v / 10;

		*--end = "0123456789abcdef"[v - q * base];
		v = q;
	} while (v);
	return end;
}

void put_str(int fd, const char *str)
{
	co_exit_hook = print_flush;     /* there is output to flush at exit */
	while (*str)
		out_char(fd, *str++);
}

/* v in base 10 or 16 to fd. */
static void put_number(int fd, unsigned long v, unsigned base)
{
	char tmp[24];

	tmp[23] = 0;
	put_str(fd, digits(tmp + 23, v, base));
}

void put_fmt(int fd, const char *t, long a, long b, long c, long d)
{
	long arg[4] = { a, b, c, d }, *p = arg;

	co_exit_hook = print_flush;
	for (; *t; t++) {
		if (*t == '#' && *p < 0) {
			out_char(fd, '-');
			put_number(fd, -(unsigned long)*p++, 10);
		} else if (*t == '#') {
			put_number(fd, *p++, 10);
		} else if (*t == '@') {
			put_str(fd, "0x");
			put_number(fd, *p++, 16);
		} else {
			out_char(fd, *t);
		}
	}
}

/* ---- the formatter ------------------------------------------------------ */

/* Where the formatter's output goes: fd's buffer, or a string (fd 0),
 * truncated when full. */
struct sink {
	char *buf;
	unsigned long cap, len;         /* room in buf, bytes in buf */
	unsigned long total;            /* bytes produced, truncated or not */
	int fd;
};

static void put(struct sink *s, char c)
{
	s->total++;
	if (s->fd)
		out_char(s->fd, c);
	else if (s->len < s->cap)
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
	struct sink s = { 0, 0, 0, 0, fd };

	co_exit_hook = print_flush;
	vout(&s, fmt, ap);
	if (fd == 2)
		flush_fd(2);            /* even without a newline */
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
