/*
 * print.c - output over write(2).  See print.h for the contract.
 *
 * Output in layers, each built on the one below, each linked only if used:
 *   the buffer  standard output's, drained with co_write_all when full, at
 *               exit, and at each newline on a terminal; standard error is
 *               written at once (_co_out);
 *   pieces      co_put_str, and co_put_fmt with '#' for a decimal and '@'
 *               for hex digits: what the runtime's own messages and the
 *               demo use, a few hundred bytes in all;
 *   formatter   co_print, co_eprint and co_format: format.c, on top of
 *               the two below (_co_out, _co_digits).
 * And the way out: co_exit_process, which flushes the buffer (through the
 * exit hook) before exit_group, and the program's name for messages.
 */
#include "print.h"
#include "coroutine.h"
#include "syscalls.h"
#include "internal.h"

/* ---- the way out ------------------------------------------------------ */

const char *_co_name;            /* argv[0] (NULL if none), set by boot.c */
void (*_co_exit_hook)(void);

_Noreturn void co_exit_process(int status)
{
	/* A flush that fails exits again, through here: by then the buffer is
	 * empty, so the second flush writes nothing and the loop ends. */
	if (_co_exit_hook)
		_co_exit_hook();
	sys_exit(status);
}

/* ---- the buffer ------------------------------------------------------------ */

static char obuf[CO_PRINT_BUFFER];      /* standard output's */
static unsigned olen;

void (*_co_broken_pipe)(int fd);        /* internal.h: set by event.c */

long co_write_all(int fd, const void *buf, unsigned long len)
{
	const char *p = buf;

	while (len) {
		long r = sys_write(fd, p, len);

		if (r == -EINTR)
			continue;
		if (r == -EPIPE && _co_broken_pipe)
			_co_broken_pipe(fd);    /* fd 1 or 2: death by SIGPIPE */
		if (r < 0)      /* -EAGAIN too: a non-blocking fd is the caller's */
			return r;
		p += r;
		len -= r;
	}
	return p - (const char *)buf;
}

/* Empty standard output's buffer; if that fails, say so and exit.  Also
 * called by the fault report (fault.c), which first unsets the exit hook
 * that _co_out() set: a failure then ends nothing (the report follows, and the
 * death by the fault's signal).  Wherever the fault was, print.c included,
 * the buffer holds what was printed, olen zeroed before each write (a flush
 * interrupted there leaves nothing to write twice); at worst olen counts
 * the one byte _co_out() is adding before it is stored. */
void co_flush(void)
{
	unsigned n = olen;
	long r;

	olen = 0;               /* dropped even on failure: exit must not retry */
	if ((r = co_write_all(1, obuf, n)) < 0 && _co_exit_hook) {
		co_put_err("cannot write to standard output: errno #\n", -r);
		co_exit_process(CO_EXIT_IO);
	}
}

/* n bytes to fd: stdout through its buffer, anything else (stderr) at once.
 * Only the stdout path names co_flush and the buffer: a program whose
 * output all goes to stderr (the runtime's reports, whose fd is a constant
 * the compiler propagates) links neither.  As C's stdio decides at the
 * first output, stdout is line-buffered on a terminal (TCGETS answers):
 * written out at each newline; elsewhere (a file, a pipe) only when the
 * buffer is full, by co_flush and at exit. */
void _co_out(int fd, const char *s, unsigned long n)
{
	static int eol;                 /* flush after: '\n', 256 never, 0 not known yet */

	if (fd != 1) {
		co_write_all(fd, s, n);    /* stderr is the last resort: no check */
		return;
	}
	if (!eol) {                     /* the first output to stdout */
		/* the empty buffer holds the answer, a struct termios */
		eol = sys_ioctl(1, TCGETS, obuf) ? 256 : '\n';
		_co_exit_hook = co_flush;       /* to flush at exit, and at a fault */
	}
	for (int end = eol; n--; ) {
		unsigned char c = *s++;

		obuf[olen++] = c;
		if (olen == CO_PRINT_BUFFER || c == end)
			co_flush();
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
char *_co_digits(char *end, unsigned long v, unsigned base)
{
	do {
		unsigned long q = DIV(v, base);

		*--end = "0123456789abcdef"[v - q * base];
		v = q;
	} while (v);
	return end;
}

/* s to fd, from past its last sep (all of it if none, or if sep is 0):
 * co_put_str's scan, and co_put_err's for the name's last component. */
static __attribute__((noinline)) void put_after(int fd, const char *s, int sep)
{
	const char *from = s;

	while (*s)
		if (*s++ == sep)
			from = s;
	_co_out(fd, from, s - from);
}

void co_put_str(int fd, const char *str)
{
	put_after(fd, str, 0);
}

void co_put_fmt(int fd, const char *t, long a, long b, long c, long d)
{
	long arg[4] = { a, b, c, d }, *p = arg;
	const char *run = t;

	for (;; t++) {
		char tmp[24], *n;

		if (*t && *t != '#' && *t != '@')
			continue;
		_co_out(fd, run, t - run);          /* the text before */
		if (!*t)
			return;
		run = t + 1;
		n = _co_digits(tmp + sizeof tmp, *p++, *t == '@' ? 16 : 10);
		_co_out(fd, n, tmp + sizeof tmp - n);
	}
}

/* The name is argv[0]'s last component, found here rather than at start:
 * only a program that prints a message pays for the scan. */
void co_put_err(const char *t, long a)
{
	put_after(2, _co_name ? _co_name : "-", '/');
	put_after(2, ": ", 0);
	co_put_fmt(2, t, a, _co_unset(), _co_unset(), _co_unset());     /* one number */
}
