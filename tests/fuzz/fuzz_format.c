/*
 * fuzz_format.c - a fuzz target: the formatter, co_format (format.c and
 * print.c, compiled for the host beside this file, unchanged), with the C
 * library's snprintf as the oracle (make fuzz; docs/testing.md).
 *
 * The input's first byte chooses one of two modes:
 *   - even: the rest is read as a recipe for a format that C defines (up to
 *     20 conversions among d i u o x X b B c s p %, with the flags, widths,
 *     precisions ('*' too) and length modifiers C allows on each, and
 *     literal text) and the arguments it takes.  co_format must write what
 *     snprintf writes, and return what it returns, into a large buffer and
 *     at a size the input chooses (truncated, NUL-ended, the bytes past the
 *     size untouched); with size 0 it must only count.  A %s with a
 *     precision gets a string that ends without a NUL where the precision
 *     does, in a buffer of exactly that size, for co_format: a read past it
 *     is AddressSanitizer's error.  (tests/format_oracle.c covers the
 *     conversions the formatter does not do.)
 *   - odd: the rest is the format string itself, any bytes (at most 512,
 *     40 '%' and '*' together), with arguments that are all the address of
 *     a string, integer and floating-point alike, so that whatever the
 *     format takes is safe to take (a '*' takes the address's low half: a
 *     width of 17).  No oracle (C leaves most such formats
 *     undefined): co_format must not fault nor read past the format's NUL,
 *     and what it writes into a small buffer must be the start of what it
 *     writes into a large one, with the same count.
 * A difference, or a sanitizer's report, is a crash that libFuzzer keeps.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int co_format(char *buf, unsigned long size, const char *fmt, ...);    /* print.h */

/* print.c's few links to the system-call layer, over libc (as in
 * tests/format_oracle.c); co_format never calls them. */
_Noreturn void sys_exit(int status) { _exit(status); }
long sys_write(int fd, const void *buf, unsigned long len)
{
	(void)fd, (void)buf, (void)len;
	abort();
}
int sys_ioctl(int fd, unsigned long request, void *arg)
{
	(void)fd, (void)request, (void)arg;
	return -1;
}

enum { SLOTS = 64, CONVS = 20, OUT = 4096, ANY_OUT = 1024 };

#define expect(cond) ((cond) ? (void)0 : fail(#cond, __LINE__))

static const char *shown;       /* the format, for a failure's report */

static void fail(const char *what, int line)
{
	fprintf(stderr, "fuzz_format.c:%d: broken: %s\nformat: \"%s\"\n", line, what, shown);
	abort();
}

/* ---- the input, read byte by byte (zeros once it is spent) -------------- */

struct in {
	const unsigned char *p;
	size_t n;
};

static unsigned byte(struct in *in)
{
	return in->n ? (in->n--, *in->p++) : 0;
}

/* Two bytes, the first the high one (in this order, whatever the
 * compiler: the replay program must read an input as the fuzzer did). */
static unsigned u16(struct in *in)
{
	unsigned hi = byte(in);

	return hi << 8 | byte(in);
}

static unsigned long long u64(struct in *in)
{
	unsigned long long v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | byte(in);
	return v;
}

/* The 64 slots passed to both, as 64 unsigned long long arguments: an int
 * conversion takes the low half of one (the ABIs of the hosts that run the
 * fuzzer, LP64, pass each in a slot of 8 bytes). */
#define S8(a, i) a[i], a[i + 1], a[i + 2], a[i + 3], a[i + 4], a[i + 5], a[i + 6], a[i + 7]
#define ALL(a) S8(a, 0), S8(a, 8), S8(a, 16), S8(a, 24), S8(a, 32), S8(a, 40), S8(a, 48), S8(a, 56)

/* ---- even: a defined format, against snprintf ---------------------------- */

struct recipe {
	char fmt[4096];
	int flen;
	unsigned long long co[SLOTS], libc[SLOTS];      /* %s: two copies */
	int used;
	char *strings[CONVS * 2];
	int nstrings;
};

static void add(struct recipe *r, const char *s)
{
	size_t n = strlen(s);

	memcpy(r->fmt + r->flen, s, n + 1);
	r->flen += n;
}

static void slot(struct recipe *r, unsigned long long v)
{
	r->co[r->used] = r->libc[r->used] = v;
	r->used++;
}

/* A subset of the flags in ok, chosen by the bits of b. */
static void flags(struct recipe *r, const char *ok, unsigned b)
{
	char f[8];
	int n = 0;

	for (int i = 0; ok[i]; i++)
		if (b >> i & 1)
			f[n++] = ok[i];
	f[n] = 0;
	add(r, f);
}

/* A width (w) or a precision (p) by b, the 2 low bits: none (-1), or
 * digits (a width 1 to 40, a precision 0 to 39; "." alone for 0), or '*',
 * an int slot of the value returned (a width -60 to 60, negative: left;
 * a precision -10 to 60, negative: none). */
static int number(struct recipe *r, struct in *in, unsigned b, char what)
{
	char d[16];
	int v;

	if (b % 4 == 0)
		return -1;
	if (what == 'p')
		add(r, ".");
	if (b % 4 == 3) {
		int min = what == 'w' ? -60 : -10;

		v = (int)(u16(in) % (61 - min)) + min;
		add(r, "*");
		slot(r, (unsigned long long)(long long)v);
		return v < 0 && what == 'p' ? -1 : v;
	}
	if (what == 'p' && b % 4 == 2)
		return 0;
	v = b / 4 % 40 + (what == 'w');
	snprintf(d, sizeof d, "%d", v);
	add(r, d);
	return v;
}

/* The string a %s takes: up to 40 bytes of the input.  Unterminated, in a
 * buffer of exactly prec bytes, for co_format when prec is shorter. */
static void string(struct recipe *r, struct in *in, int prec)
{
	char s[48], *libc, *co;
	int n = byte(in) % 41, len = 0;

	while (len < n && in->n && (s[len] = (char)byte(in)))
		len++;
	s[len] = 0;
	libc = strdup(s);
	if (prec >= 0 && prec < len) {
		co = malloc(prec ? prec : 1);
		memcpy(co, s, prec);
	} else {
		co = strdup(s);
	}
	r->strings[r->nstrings++] = libc, r->strings[r->nstrings++] = co;
	r->co[r->used] = (uintptr_t)co, r->libc[r->used] = (uintptr_t)libc;
	r->used++;
}

static const char *const lengths[] = { "", "hh", "h", "l", "ll", "q", "L", "j", "z", "Z", "t" };

/* One conversion: its flags, width, precision, length, character, slots. */
static void conversion(struct recipe *r, struct in *in)
{
	static const char convs[] = "diuoxXbBcsp%";
	char c = convs[byte(in) % (sizeof convs - 1)], end[2] = { c, 0 };
	unsigned b = byte(in), w = byte(in), p = byte(in), l = byte(in);
	int prec = -1;
	unsigned long long v;

	add(r, "%");
	if (c == '%') {
		add(r, "%");
		return;
	}
	flags(r, strchr("di", c) ? "-0+ '" : strchr("csp", c) ? "-" : "-0+ #'", b);
	number(r, in, w, 'w');
	if (!strchr("cp", c))           /* C gives %c and %p no precision */
		prec = number(r, in, p, 'p');
	if (!strchr("csp", c))
		add(r, lengths[l % (sizeof lengths / sizeof *lengths)]);
	add(r, end);
	if (c == 's')
		string(r, in, prec);
	else if (c == 'p')
		v = u64(in), slot(r, v ? v : 1);        /* not NULL: "(nil)" is glibc's */
	else
		slot(r, c == 'c' ? byte(in) : u64(in));
}

static void defined(struct in *in)
{
	static struct recipe r;
	static char co[OUT], libc[OUT];
	int n, k, size;

	r.flen = 0, r.used = 0, r.nstrings = 0, r.fmt[0] = 0;
	for (int convs = 0; convs < CONVS && in->n; ) {
		unsigned b = byte(in);

		if (b >= 96) {
			conversion(&r, in);
			convs++;
			continue;
		}
		for (int i = 0; i <= (int)(b % 8) && in->n; i++) {     /* literal text */
			char t[2] = { (char)byte(in), 0 };

			if (!t[0])
				break;
			add(&r, t[0] == '%' ? "%%" : t);
		}
	}
	while (r.used < SLOTS)
		slot(&r, 0);
	shown = r.fmt;
	n = co_format(co, OUT, r.fmt, ALL(r.co));
	k = snprintf(libc, OUT, r.fmt, ALL(r.libc));
	expect(n == k);
	expect(n < OUT && !memcmp(co, libc, n + 1));
	expect(co_format(0, 0, r.fmt, ALL(r.co)) == k);
	/* Truncated at a size the input chooses: the same bytes, the rest kept. */
	size = (int)(u16(in) % (unsigned)(n + 2));
	memset(co, 0xa5, size + 2), memset(libc, 0xa5, size + 2);
	expect(co_format(co, size, r.fmt, ALL(r.co)) == k);
	snprintf(libc, size, r.fmt, ALL(r.libc));
	expect(!memcmp(co, libc, size + 2));
	for (int i = 0; i < r.nstrings; i++)
		free(r.strings[i]);
}

/* ---- odd: any format, no oracle ------------------------------------------- */

/* The address every argument holds: a string at a fixed address whose low
 * half is 17, so that an int taken from it (a '*' width) is small and the
 * same from run to run, and a crash replays; %c of it is no NUL.  (In the
 * sanitizers' high memory on x86_64, above their shadow.) */
#define TARGET 0x100100000000ULL

static char *target(void)
{
	static char *t;

	if (!t) {
		t = mmap((void *)TARGET, 4096, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
		if (t == MAP_FAILED) {
			perror("fuzz_format.c: mmap at 0x100100000000");
			abort();
		}
		memcpy(t + 17, "fuzz", 5);
		t += 17;
	}
	return t;
}

static void any(struct in *in)
{
	static char big[ANY_OUT], small[ANY_OUT + 2];
	char *fmt;
	unsigned long long p = (uintptr_t)target();
	union { unsigned long long u; double d; } same = { p };
	double d = same.d;
	int taking = 0, n, kept, size;

	if (in->n > 512)
		return;
	for (size_t i = 0; i < in->n; i++)
		taking += in->p[i] == '%' || in->p[i] == '*';
	if (taking > 40)
		return;
	fmt = malloc(in->n + 1);        /* exactly: ASan sees a read past the NUL */
	memcpy(fmt, in->p, in->n);
	fmt[in->n] = 0;
	shown = fmt;
#define PD p, d, p, d, p, d, p, d
#define ARGS PD, PD, PD, PD, PD, PD, PD, PD, PD, PD, PD, PD, PD, PD, PD, PD
	n = co_format(big, ANY_OUT, fmt, ARGS);
	kept = n < 0 || n >= ANY_OUT ? ANY_OUT - 1 : n;        /* -1: past INT_MAX */
	expect(n >= -1 && !big[kept]);
	size = (int)(kept * 7919u % (kept + 1)) + 1;    /* 1 .. kept + 1 */
	memset(small, 0xa5, size + 2);
	expect(co_format(small, size, fmt, ARGS) == n);
	expect(!memcmp(small, big, size - 1) && !small[size - 1]);
	expect((unsigned char)small[size] == 0xa5 && (unsigned char)small[size + 1] == 0xa5);
	expect(co_format(0, 0, fmt, ARGS) == n);
	free(fmt);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct in in = { data, size };

	if (!size)
		return 0;
	if (byte(&in) & 1)
		any(&in);
	else
		defined(&in);
	return 0;
}
