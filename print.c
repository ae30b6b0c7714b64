/*
 * print.c - output over write(2).  See print.h for the contract.
 *
 * Three layers, each built on the one below, each linked only if used:
 *   sinks       a buffer that belongs to a file descriptor (drained with
 *               write_all when full) or to the caller's string (truncated);
 *   pieces      put_str, put_int, put_hex: what the runtime's own messages
 *               and the demo use, a few hundred bytes in all;
 *   formatter   print, eprint, format: printf-style, on top of the pieces.
 */
#include "print.h"
#include "coroutine.h"
#include "syscalls.h"

/* ---- sinks -------------------------------------------------------------- */

struct sink {
	char *buf;
	unsigned long cap, len;         /* room in buf, bytes in buf */
	unsigned long total;            /* bytes produced, truncated or not */
	int fd;                         /* -1: a string, truncated when full */
};

static char bufs[2][CO_PRINT_BUFFER];
static struct sink sinks[2];            /* standard output, standard error */

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

/* Empty s into its fd.  A failure on stdout ends the process; stderr is the
 * last resort and its failures are ignored. */
static void drain(struct sink *s)
{
	unsigned long n = s->len;
	long r;

	s->len = 0;             /* dropped even on failure: exit must not retry */
	if (!n || (r = write_all(s->fd, s->buf, n)) >= 0 || s->fd == 2)
		return;
	put_str(2, "coroutines: cannot write to standard output: errno ");
	put_int(2, -r);
	put_str(2, "\n");
	co_exit_process(CO_EXIT_IO);
}

void print_flush(void)
{
	drain(&sinks[0]);
	drain(&sinks[1]);
}

/* The sink of fd 1 or 2, ready to take bytes. */
static struct sink *fd_sink(int fd)
{
	struct sink *s = &sinks[fd - 1];

	s->buf = bufs[fd - 1];
	s->cap = CO_PRINT_BUFFER;
	s->fd = fd;
	co_exit_hook = print_flush;     /* there is output to flush at exit */
	return s;
}

static void put(struct sink *s, char c)
{
	s->total++;
	if (s->len == s->cap) {
		if (s->fd < 0)
			return;         /* a string: truncate */
		drain(s);
	}
	s->buf[s->len++] = c;
	if (c == '\n' && s->fd == 2)
		drain(s);               /* stderr: a line at a time */
}

/* ---- pieces ------------------------------------------------------------- */

/* v's digits in base 10 or 16, written backwards from end; returns the
 * first.  Native width, so 32-bit machines need no 64-bit division here. */
static char *digits(char *end, unsigned long v, unsigned base)
{
	do
		*--end = "0123456789abcdef"[v % base];
	while (v /= base);
	return end;
}

void put_str(int fd, const char *str)
{
	struct sink *s = fd_sink(fd);

	while (*str)
		put(s, *str++);
}

/* A number, with pre before it, to fd. */
static void put_number(int fd, const char *pre, unsigned long v, unsigned base)
{
	char tmp[24];

	put_str(fd, pre);
	tmp[23] = 0;
	put_str(fd, digits(tmp + 23, v, base));
}

void put_int(int fd, long v)
{
	put_number(fd, v < 0 ? "-" : "", v < 0 ? -(unsigned long)v : (unsigned long)v, 10);
}

void put_hex(int fd, unsigned long v)
{
	put_number(fd, "0x", v, 16);
}

/* ---- the formatter ------------------------------------------------------ */

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
	struct sink s = { buf, size ? size - 1 : 0, 0, 0, -1 };
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
	struct sink *s = fd_sink(fd);
	unsigned long before = s->total;

	vout(s, fmt, ap);
	if (fd == 2)
		drain(s);               /* even without a newline */
	return (int)(s->total - before);
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
