/*
 * print.c - formatted output over write(2).  See print.h for the contract.
 *
 * One formatter, vout(), writes into a sink: a buffer that either belongs to
 * a file descriptor (flushed with write_all when full) or is the caller's
 * string (truncated when full).
 */
#include "print.h"
#include "coroutine.h"
#include "syscalls.h"

struct sink {
	char *buf;
	unsigned long len, cap;         /* bytes in buf, room in buf */
	unsigned long total;            /* bytes produced, truncated or not */
	int fd;                         /* -1: a string, truncate when full */
};

/* Standard output's sink and standard error's, set up on first use. */
static char bufs[2][CO_PRINT_BUFFER];
static struct sink sinks[2];

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
	eprint("coroutines: cannot write to standard output (errno %ld)\n", -r);
	co_exit_process(CO_EXIT_IO);
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
}

static void pad(struct sink *s, char c, long n)
{
	while (n-- > 0)
		put(s, c);
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
	for (; *f; f++) {
		char tmp[24], *end = tmp + sizeof tmp;
		const char *str = end, *pre = "";
		char padc = ' ', c;
		int left = 0, lng = 0;
		long width = 0;
		unsigned long long v;
		unsigned base = 10;

		if (*f != '%') {
			put(s, *f);
			continue;
		}
		if (!*++f)
			break;                          /* a lone % at the end */
		if (*f == '-')                          /* flags */
			left = *f++;
		if (*f == '0')
			padc = *f++;
		while (*f >= '0' && *f <= '9')          /* width */
			width = width * 10 + (*f++ - '0');
		for (; *f == 'l' || *f == 'z'; f++)     /* length: size_t is */
			lng++;                          /* unsigned long here */

		switch (c = *f) {
		case 's':
			str = va_arg(*ap, const char *);
			if (!str)
				str = "(null)";
			for (end = (char *)str; *end; end++)
				;
			padc = ' ';
			break;
		case 'p':
			v = (unsigned long)va_arg(*ap, void *);
			pre = "0x";
			base = 16;
			goto digits;
		case 'x':
			base = 16;
			/* fall through */
		case 'd':
		case 'i':
		case 'u':
			v = next_int(ap, lng);
			if (c == 'd' || c == 'i') {
				if ((long long)v < 0) {
					v = -v;
					pre = "-";
				}
			} else if (lng == 0) {
				v = (unsigned)v;
			} else if (lng == 1) {
				v = (unsigned long)v;
			}
		digits:
			do {
				*(char *)--str = "0123456789abcdef"[v % base];
				v /= base;
			} while (v);
			break;
		case 'c':
			c = (char)next_int(ap, 0);
			/* fall through */
		default:                /* %% and unknown ones: as they are */
			*--end = c;
			str = end;
			end++;
			padc = ' ';
			break;
		}
		for (const char *p = pre; *p; p++)
			width--;
		width -= end - str;
		if (!left && padc == ' ')
			pad(s, ' ', width);
		while (*pre)
			put(s, *pre++);
		if (!left && padc == '0')
			pad(s, '0', width);
		while (str < end)
			put(s, *str++);
		if (left)
			pad(s, ' ', width);
	}
}

int vformat(char *buf, unsigned long size, const char *fmt, va_list ap)
{
	struct sink s = { buf, 0, size ? size - 1 : 0, 0, -1 };
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

void print_flush(void)
{
	drain(&sinks[0]);
}

/* print (fd 1) and eprint (fd 2). */
static __attribute__((noinline)) int vprint(int fd, const char *fmt, va_list *ap)
{
	struct sink *s = &sinks[fd - 1];
	unsigned long before = s->total;

	s->buf = bufs[fd - 1];
	s->cap = CO_PRINT_BUFFER;
	s->fd = fd;
	vout(s, fmt, ap);
	if (fd == 2)
		drain(s);
	else
		co_exit_hook = print_flush;     /* flush at exit, now there is output */
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
