/*
 * format.c - the formatter: co_print, co_eprint, co_format, co_vformat,
 * printf-style (print.h has the contract), on top of print.c's pieces:
 * parse a conversion into a struct spec, convert it (integer, field), or
 * print it as written and step over its argument (skip_float) when it is
 * one we do not do.  Linked only into programs that call one of them.
 */
#include "print.h"
#include "coroutine.h"
#include "syscalls.h"
#include "internal.h"

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
		_co_out(s->fd, s->buf, s->len);
		s->len = 0;
	}
	if (s->len < s->cap)
		s->buf[s->len++] = c;
}

/* str[0..n): none of it when n <= 0. */
static void put_n(struct sink *s, const char *str, long n)
{
	while (n-- > 0)
		put(s, *str++);
}

/* n bytes c; once a string is full, the rest only counted (a width of
 * INT_MAX into a small buffer is no loop of INT_MAX turns). */
static void pad(struct sink *s, char c, long n)
{
	for (; n > 0; n--) {
		if (!s->fd && s->len == s->cap) {       /* a full string */
			s->total += n;
			return;
		}
		put(s, c);
	}
}

/* Where c is in set, or -1 (never for the NUL). */
static int index_of(const char *set, char c)
{
	for (const char *p = set; *p; p++)
		if (*p == c)
			return p - set;
	return -1;
}

/* One conversion specification: %[flags][width][.precision][length]conv.
 * The flags are bits in the order of "-0+ #'I" (the last two, grouping and
 * locale digits, change nothing in the C locale). */
enum { LEFT = 1, ZERO = 2, PLUS = 4, SPACE = 8, ALT = 16 };

struct spec {
	int flags;
	long width;             /* 0: none */
	long prec;              /* -1: none */
	char len;               /* length modifier: 0 or one of "hlLjzZt", 'b'
	                         * for hh, 'q' for ll (and q); decimal floating
	                         * point: 'H', 'D', 'E' for DD */
	char conv;              /* the conversion character */
};

/* A width or precision: digits, or '*' for the next int argument.  Kept
 * within +-INT_MAX, beyond which no result can be told apart. */
static long number(const char **f, va_list *ap)
{
	long n = 0;

	if (**f == '*') {
		++*f;
		n = va_arg(*ap, int);
		return n < -__INT_MAX__ ? -__INT_MAX__ : n;
	}
	for (; **f >= '0' && **f <= '9'; ++*f)
		n = n > (__INT_MAX__ - 9) / 10 ? __INT_MAX__ : n * 10 + (**f - '0');
	return n;
}

/* The specification after a '%' into sp, taking its '*' arguments from ap.
 * Returns what follows it (the format's NUL if it ends early). */
static const char *parse(struct spec *sp, const char *f, va_list *ap)
{
	int i;

	for (sp->flags = 0; (i = index_of("-0+ #'I", *f)) >= 0; f++)
		sp->flags |= 1 << i;
	sp->width = number(&f, ap);
	if (sp->width < 0) {                    /* a negative '*' width */
		sp->flags |= LEFT;
		sp->width = -sp->width;
	}
	sp->prec = -1;
	if (*f == '.') {
		f++;
		sp->prec = number(&f, ap);
		if (sp->prec < 0)               /* a negative '*': none */
			sp->prec = -1;
	}
	sp->len = 0;
	if (index_of("hlqLjzZtHD", *f) >= 0) {
		sp->len = *f++;
		if ((i = index_of("hlD", sp->len)) >= 0 && *f == sp->len)
			sp->len = "bqE"[i], f++;        /* hh, ll, DD */
	}
	sp->conv = *f;
	return *f ? f + 1 : f;
}

/* The next integer argument, of the size length modifier len gives it,
 * sign-extended (is_signed) or zero-extended to 64 bits. */
static __attribute__((noinline)) unsigned long long
next_int(va_list *ap, char len, int is_signed)
{
	unsigned size = len == 'b' ? 1 : len == 'h' ? 2 :
		len == 'q' || len == 'L' ? sizeof(long long) :
		len == 'j' ? sizeof(__INTMAX_TYPE__) :
		len ? sizeof(long) : sizeof(int);       /* l z Z t: long's size */
	unsigned shift = 64 - 8 * size;
	unsigned long long v;

	_Static_assert(sizeof(__SIZE_TYPE__) == sizeof(long) &&
		       sizeof(__PTRDIFF_TYPE__) == sizeof(long), "z, t: long's size");
	if (size > sizeof(long))
		v = va_arg(*ap, unsigned long long);
	else if (size > sizeof(int))
		v = va_arg(*ap, unsigned long);
	else
		v = va_arg(*ap, unsigned);
	v <<= shift;
	return is_signed ? (unsigned long long)((long long)v >> shift) : v >> shift;
}

/* Step over a floating-point argument (a double, or what len names)
 * without converting it. */
static void skip_float(va_list *ap, char len)
{
	if (len == 'L')
		(void)va_arg(*ap, long double);
#if defined(__DEC32_MANT_DIG__)                 /* where gcc has decimal floats */
	else if (len == 'H')
		(void)va_arg(*ap, _Decimal32);
	else if (len == 'D')
		(void)va_arg(*ap, _Decimal64);
	else if (len == 'E')
		(void)va_arg(*ap, _Decimal128);
#endif
	else
		(void)va_arg(*ap, double);
}

static long length(const char *str)
{
	long n = 0;

	while (str[n])
		n++;
	return n;
}

/* pre, then zeros '0's, then str[0..n), in a field of sp->width: padded
 * with spaces before it, or after it with LEFT. */
static void field(struct sink *s, const char *pre, long zeros,
		  const char *str, long n, const struct spec *sp)
{
	long room = sp->width - length(pre) - (zeros > 0 ? zeros : 0) - n;

	if (!(sp->flags & LEFT))
		pad(s, ' ', room);
	put_n(s, pre, length(pre));
	pad(s, '0', zeros);
	put_n(s, str, n);
	if (sp->flags & LEFT)
		pad(s, ' ', room);
}

/* v's digits for conversion c, written backwards from end; returns the
 * first.  o, x, X, p and b, B take shifts; the others are decimal. */
static char *in_base(char *end, unsigned long long v, char c)
{
	const char *hex = c == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
	int bits = c == 'o' ? 3 : c == 'b' || c == 'B' ? 1 :
		index_of("xXp", c) >= 0 ? 4 : 0;

	if (!bits) {
		while (v > (unsigned long)-1) { /* 32-bit: the high part */
			*--end = '0' + v % 10;
			v /= 10;
		}
		return _co_digits(end, v, 10);
	}
	do
		*--end = hex[v & ((1u << bits) - 1)];
	while (v >>= bits);
	return end;
}

/* An integer conversion: pre (a sign or a prefix), then v's digits, at
 * least the precision's number of them (none for 0 at precision 0); with
 * ZERO and no precision, zeros fill the field. */
static void integer(struct sink *s, const struct spec *sp,
		    unsigned long long v, const char *pre)
{
	char tmp[64], *end = tmp + sizeof tmp;  /* 64 binary digits at most */
	char *str = v || sp->prec ? in_base(end, v, sp->conv) : end;
	long n = end - str, zeros = sp->prec - n;

	if ((sp->flags & (LEFT | ZERO)) == ZERO && sp->prec < 0)
		zeros = sp->width - length(pre) - n;
	if (sp->conv == 'o' && sp->flags & ALT && zeros <= 0 && (!n || *str != '0'))
		zeros = 1;                      /* # makes octal begin with 0 */
	field(s, pre, zeros, str, n, sp);
}

/* One conversion into s.  Returns 0 for one the formatter does not do,
 * after stepping over its argument if it takes one: floating point, %n,
 * wide characters and strings.  (Unknown ones take none.) */
static int convert(struct sink *s, const struct spec *sp, va_list *ap)
{
	char c = sp->conv, pre[3] = "";
	unsigned long long v;
	const char *str;
	long n;

	switch (c) {
	case 'd':
	case 'i':
		v = next_int(ap, sp->len, 1);
		if ((long long)v < 0)
			integer(s, sp, -v, "-");
		else
			integer(s, sp, v, sp->flags & PLUS ? "+" : sp->flags & SPACE ? " " : "");
		return 1;
	case 'u': case 'o': case 'x': case 'X': case 'b': case 'B':
		v = next_int(ap, sp->len, 0);
		if (v && sp->flags & ALT && index_of("xXbB", c) >= 0)
			pre[0] = '0', pre[1] = c;       /* 0x 0X 0b 0B */
		integer(s, sp, v, pre);
		return 1;
	case 'p':
		integer(s, sp, (unsigned long)va_arg(*ap, void *), "0x");
		return 1;
	case 'c':
		if (sp->len)                    /* %lc: a wide character */
			break;
		c = (char)va_arg(*ap, int);
		field(s, "", 0, &c, 1, sp);
		return 1;
	case 's':
		if (sp->len)                    /* %ls: a wide string */
			break;
		str = va_arg(*ap, const char *);
		if (!str)
			str = "(null)";
		for (n = 0; n != sp->prec && str[n]; n++)
			;                       /* no further than the precision */
		field(s, "", 0, str, n, sp);
		return 1;
	case '%':
		put(s, '%');
		return 1;
	}
	if (index_of("fFeEgGaA", c) >= 0)
		skip_float(ap, sp->len);
	else if (index_of("cC", c) >= 0)        /* wint_t, promoted */
		(void)va_arg(*ap, int);
	else if (index_of("snS", c) >= 0)       /* a pointer */
		(void)va_arg(*ap, void *);
	return 0;
}

/* The format into s; a conversion not done is printed as written. */
static void vout(struct sink *s, const char *f, va_list *ap)
{
	struct spec sp;

	while (*f) {
		const char *start = f;

		if (*f++ != '%') {
			put(s, *start);
			continue;
		}
		f = parse(&sp, f, ap);
		if (!convert(s, &sp, ap))
			put_n(s, start, f - start);
	}
}

/* The length a result has, or would have: -1 past INT_MAX, like snprintf. */
static int result(const struct sink *s)
{
	return s->total > __INT_MAX__ ? -1 : (int)s->total;
}

int co_vformat(char *buf, unsigned long size, const char *fmt, va_list ap)
{
	struct sink s = { buf, size ? size - 1 : 0, 0, 0, 0 };
	va_list aq;

	va_copy(aq, ap);        /* a va_list parameter may be an array: copy it */
	vout(&s, fmt, &aq);
	va_end(aq);
	if (size)
		buf[s.len] = '\0';
	return result(&s);
}

int co_format(char *buf, unsigned long size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = co_vformat(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/* print (fd 1) and eprint (fd 2). */
static __attribute__((noinline)) int vprint(int fd, const char *fmt, va_list *ap)
{
	char buf[256];
	struct sink s = { buf, sizeof buf, 0, 0, fd };

	vout(&s, fmt, ap);
	_co_out(fd, buf, s.len);            /* stderr: one write for a short message */
	return result(&s);
}

int co_print(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprint(1, fmt, &ap);
	va_end(ap);
	return n;
}

int co_eprint(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprint(2, fmt, &ap);
	va_end(ap);
	return n;
}
