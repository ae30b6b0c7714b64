/*
 * format_oracle.c - the formatter against the C library's snprintf.
 *
 * A host program, built with the ordinary compiler and libc, linked with the
 * runtime's own print.o (the Makefile's oracle target, part of make
 * test-build on the host: cc -no-pie -I. tests/format_oracle.c
 * build/test/<host>/obj/print.o).  From a fixed seed it generates format strings
 * and arguments, calls co_format() and snprintf() with the same ones, at
 * several buffer sizes, and compares the bytes written, the bytes left alone
 * past the size, and the return values.
 *
 * Where C and the formatter part on purpose, the expected text is built
 * conversion by conversion: a conversion the formatter does not do (floating
 * point, %n, wide characters, %m) must come out as written, its argument
 * stepped over, and the conversions after it must still match snprintf's.
 * The generator keeps to what C defines (no '#' on d, no '0' on s, no NULL
 * for %s or %p, whose output C leaves to the library).
 *
 * One table line per failure, then a summary line per property.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include "coroutine.h"      /* its error names beside <errno.h>'s: no clash */
#include "print.h"

/* print.o's few links to the system-call layer, here over libc. */
_Noreturn void sys_exit(int status) { _exit(status); }
extern const char *_co_name;    /* print.o's: boot.c sets it in the runtime */
long sys_write(int fd, const void *buf, unsigned long len)
{
	long r = write(fd, buf, len);

	return r < 0 ? -errno : r;      /* the kernel's convention */
}
int sys_ioctl(int fd, unsigned long request, void *arg)
{
	return ioctl(fd, request, arg) ? -1 : 0;
}

enum { CASES = 3000, MAXFMT = 1024, MAXOUT = 4096 };

/* ---- the arguments: one fixed list of typed slots ---------------------- */

/* Every call passes the same slots, in this order; a generated format uses
 * a prefix of them, each with a conversion that takes the slot's type.  The
 * mix puts every type after every other and floating point past the eight
 * vector registers, so a conversion that took the wrong amount shows.
 * Half the cases use PLAIN instead: only what the formatter does, so that
 * snprintf can print the whole format. */
#define SLOTS(X) \
	X(0, i) X(1, d) X(2, q) X(3, i) X(4, s) X(5, d) X(6, i) X(7, u)      \
	X(8, d) X(9, l) X(10, i) X(11, L) X(12, d) X(13, z) X(14, i)          \
	X(15, p) X(16, d) X(17, i) X(18, m) X(19, D) X(20, d) X(21, i)        \
	X(22, j) X(23, d) X(24, s) X(25, i) X(26, d) X(27, Q) X(28, i)        \
	X(29, t) X(30, d) X(31, i) X(32, n) X(33, d) X(34, u) X(35, E)        \
	X(36, i) X(37, s) X(38, d) X(39, H) X(40, i) X(41, d) X(42, u)        \
	X(43, L) X(44, i) X(45, d) X(46, q) X(47, i) X(48, s) X(49, d)        \
	X(50, i) X(51, u)
#define PLAIN(X) \
	X(0, i) X(1, q) X(2, s) X(3, i) X(4, u) X(5, l) X(6, i) X(7, z)      \
	X(8, p) X(9, i) X(10, m) X(11, j) X(12, s) X(13, i) X(14, Q) X(15, t) \
	X(16, i) X(17, u) X(18, q) X(19, i) X(20, s) X(21, l) X(22, i)        \
	X(23, u) X(24, p) X(25, i) X(26, Q) X(27, z) X(28, i) X(29, s)        \
	X(30, j) X(31, i)

#ifdef __DEC32_MANT_DIG__       /* decimal floating point (x86 hosts) */
typedef _Decimal32 dec32;
typedef _Decimal64 dec64;
typedef _Decimal128 dec128;
#define DEC(c) #c               /* its length modifier */
#else                           /* elsewhere, doubles in their place */
typedef double dec32, dec64, dec128;
#define DEC(c) ""
#endif

union slot {
	int i;                  /* also '*' widths and precisions, %c */
	unsigned u;             /* also %lc */
	long l;
	unsigned long m;
	long long q;
	unsigned long long Q;
	size_t z;
	intmax_t j;
	ptrdiff_t t;
	const char *s;
	void *p;
	int *n;                 /* %n, and %ls %S (any pointer will do) */
	double d;
	long double L;
	dec32 H;
	dec64 D;
	dec128 E;
};

#define TYPE(k, t) #t[0],
#define ARG(k, t) , a[k].t
static const char mixed_types[] = { SLOTS(TYPE) 0 };
static const char plain_types[] = { PLAIN(TYPE) 0 };
enum { NSLOTS = sizeof mixed_types - 1 };

/* ---- a fixed-seed generator ------------------------------------------- */

static unsigned long long seed = 0x9e3779b97f4a7c15ULL;

static unsigned long long rnd(void)             /* xorshift64* */
{
	seed ^= seed >> 12;
	seed ^= seed << 25;
	seed ^= seed >> 27;
	return seed * 2685821657736338717ULL;
}

static int below(int n) { return (int)(rnd() % (unsigned)n); }
static int chance(int percent) { return below(100) < percent; }

/* An integer of interest: 0, 1, small, an extreme, or random bits. */
static unsigned long long value(void)
{
	switch (below(8)) {
	case 0: return 0;
	case 1: return 1;
	case 2: return below(1000);
	case 3: return -(unsigned long long)below(1000);
	case 4: return ~0ULL >> below(64);
	case 5: return 1ULL << below(64);
	default: return rnd() >> below(64);
	}
}

/* ---- one case: the format, its arguments, and the expected text -------- */

struct gen {
	char fmt[MAXFMT];
	int flen;
	char want[MAXOUT];              /* conversion by conversion */
	int wlen;
	union slot a[NSLOTS];
	const char *types;              /* mixed_types or plain_types */
	int used;                       /* slots taken */
	int skipped;                    /* conversions not done (markers) */
};

static const char *const strings[] = {
	"", "a", "hello", "coroutines", "with spaces", "50% off", "\t\x7f\xc3\xa9",
};
static char *guard_end;         /* the end of a readable page */
static int untouched = 12345;     /* what %n points to */

static void add_fmt(struct gen *g, const char *s)
{
	size_t n = strlen(s);

	memcpy(g->fmt + g->flen, s, n + 1);
	g->flen += n;
}

static void add_want(struct gen *g, const char *s, int n)
{
	memcpy(g->want + g->wlen, s, n);
	g->wlen += n;
}

/* snprintf of one conversion, with the '*' values before its argument. */
static int one(char *out, const char *spec, int nstar, const int *star,
	       char type, const union slot *v)
{
#define ONE(m) (nstar == 0 ? snprintf(out, MAXOUT, spec, v->m) :              \
		nstar == 1 ? snprintf(out, MAXOUT, spec, star[0], v->m) :      \
		snprintf(out, MAXOUT, spec, star[0], star[1], v->m))
	switch (type) {
	case 'i': return ONE(i);
	case 'u': return ONE(u);
	case 'l': return ONE(l);
	case 'm': return ONE(m);
	case 'q': return ONE(q);
	case 'Q': return ONE(Q);
	case 'z': return ONE(z);
	case 'j': return ONE(j);
	case 't': return ONE(t);
	case 's': return ONE(s);
	case 'p': return ONE(p);
	}
	abort();
#undef ONE
}

/* For each slot type (the first letter), the conversions that take it;
 * those after '|' the formatter does not do: it prints them as written. */
static const char *const menus[] = {
	"i d i hd hhi c",
	"u u o x X b B hu hhx ho hhB | lc C",
	"l ld li",
	"m lu lo lx lX lb",
	"q lld lli qd Ld",
	"Q llu llo llx llX llb",
	"z zu zo zx Zu zX",
	"j jd ji",
	"t td ti",
	"s s",
	"p p",
	"n | n ls S",
	"d | f F e E g G a A lf le lg la",
	"L | Lf LF Le LE Lg LG La LA",
	"H | " DEC(H) "f " DEC(H) "e " DEC(H) "g",
	"D | " DEC(D) "f " DEC(D) "e " DEC(D) "g",
	"E | " DEC(DD) "f " DEC(DD) "e " DEC(DD) "g",
};
static int libc_has_b;          /* %b is C23: glibc 2.35 and later */

/* A conversion (length modifier and character) for a slot of this type,
 * and whether the formatter does it. */
static const char *conversion(char type, int plain, int *done)
{
	static char conv[8];
	const char *m = 0, *w;
	int words = 0, pick, n;

	for (size_t k = 0; k < sizeof menus / sizeof *menus; k++)
		if (menus[k][0] == type)
			m = menus[k] + 2;
	if (!m)
		abort();
	for (w = m; *w; w++)
		words += *w != ' ' && *w != '|' && (w[1] == ' ' || !w[1]);
	do {
		pick = below(words);
		*done = 1;
		for (w = m;; w += n) {
			w += strspn(w, " ");
			if (*w == '|') {        /* the ones not done follow */
				*done = 0;
				w += strspn(w + 1, " ") + 1;
			}
			n = strcspn(w, " ");
			if (pick-- == 0)
				break;
		}
		snprintf(conv, sizeof conv, "%.*s", n, w);
	} while ((!libc_has_b && strchr("bB", conv[n - 1])) || (plain && !*done));
	return conv;
}

/* A random few of the flags C defines for conversion c. */
static void add_flags(struct gen *g, char c)
{
	const char *ok = strchr("di", c) ? "-0+ " :
		strchr("uoxXbBfFeEgGaA", c) ? "-0+ #" : "-";
	char f[8];
	int n = 0;

	while (n < 4 && chance(35))
		f[n++] = ok[below(strlen(ok))];
	f[n] = 0;
	add_fmt(g, f);
}

/* A width or precision: '*', taking an int slot, or digits. */
static int add_number(struct gen *g, int is_star, int *star, int *nstar)
{
	char buf[16];
	int v;

	if (is_star) {
		v = star[(*nstar)++] = g->a[g->used++].i = below(61) - 30;
		add_fmt(g, "*");
		return v;
	}
	v = below(chance(80) ? 12 : 40);
	snprintf(buf, sizeof buf, "%d", v);
	add_fmt(g, buf);
	return v;
}

/* The value of the slot a conversion takes. */
static void fill(union slot *v, char type, char c, int prec)
{
	unsigned long long x = value();

	switch (type) {
	case 'i': v->i = c == 'c' ? (chance(90) ? 32 + below(95) : below(256)) : (int)x; break;
	case 'u': v->u = (unsigned)x; break;
	case 'l': v->l = (long)x; break;
	case 'm': v->m = (unsigned long)x; break;
	case 'q': v->q = (long long)x; break;
	case 'Q': v->Q = x; break;
	case 'z': v->z = (size_t)x; break;
	case 'j': v->j = (intmax_t)x; break;
	case 't': v->t = (ptrdiff_t)x; break;
	case 'p': v->p = (void *)(uintptr_t)(x | 1); break;    /* not NULL */
	case 's':       /* unterminated, right before an unreadable page */
		v->s = prec >= 0 && prec <= 8 && chance(30) ? guard_end - prec :
			strings[below(sizeof strings / sizeof *strings)];
		break;
	case 'n': v->n = &untouched; break;
	case 'd': v->d = (double)(long long)x / 7; break;
	case 'L': v->L = (long double)x / 3; break;
	case 'H': v->H = (dec32)1.5; break;
	case 'D': v->D = (dec64)2.5; break;
	case 'E': v->E = (dec128)3.5; break;
	}
}

/* One conversion at the next slots: appended to the format and to want as
 * snprintf prints it alone (or as written, if the formatter does not do it).
 * The width's and precision's '*' take the slots before the value's. */
static void add_spec(struct gen *g)
{
	int start = g->flen, star[2], nstar = 0, done, prec = -1;
	int k = g->used, wstar, pstar, pdigits;
	char out[MAXOUT], type, c;
	const char *conv;

	wstar = g->types[k] == 'i' && chance(20);
	k += wstar;
	pstar = g->types[k] == 'i' && chance(15);
	pdigits = !pstar && chance(35);
	type = g->types[k + pstar];
	conv = conversion(type, g->types == plain_types, &done);
	c = conv[strlen(conv) - 1];
	if (strchr("cpnC", c) && (pstar || pdigits)) {  /* C: no precision */
		pstar = pdigits = 0;
		type = g->types[k];
		conv = conversion(type, g->types == plain_types, &done);
		c = conv[strlen(conv) - 1];
	}
	add_fmt(g, "%");
	add_flags(g, c);
	if (wstar || chance(50))
		add_number(g, wstar, star, &nstar);
	if (pstar || pdigits) {
		add_fmt(g, ".");
		if (pstar || chance(90))
			prec = add_number(g, pstar, star, &nstar);
		else
			prec = 0;
	}
	add_fmt(g, conv);
	fill(&g->a[g->used], type, c, prec);
	g->used++;
	if (!done) {
		add_want(g, g->fmt + start, g->flen - start);
		g->skipped++;
		return;
	}
	add_want(g, out, one(out, g->fmt + start, nstar, star, type, &g->a[g->used - 1]));
}

/* Text between conversions: plain bytes, "%%", and now and then %m (no
 * argument; glibc prints strerror, the formatter the marker). */
static void add_text(struct gen *g)
{
	static const char bytes[] = "ab [|]-+.*09 \n\t#";
	char t[2] = { 0 };

	for (int n = below(4); n > 0; n--) {
		t[0] = bytes[below(sizeof bytes - 1)];
		add_fmt(g, t);
		add_want(g, t, 1);
	}
	if (chance(10)) {
		add_fmt(g, "%%");
		add_want(g, "%", 1);
	} else if (chance(3)) {
		add_fmt(g, "%m");
		add_want(g, "%m", 2);
		g->skipped++;
	}
}

static void generate(struct gen *g)
{
	int convs = 1 + below(chance(60) ? 6 : 40);

	memset(g, 0, sizeof *g);
	g->types = chance(50) ? plain_types : mixed_types;
	add_text(g);
	while (convs-- > 0 && g->types[g->used + 2]) {
		add_spec(g);
		add_text(g);
	}
}

/* ---- comparing -------------------------------------------------------- */

static int checks, failures, shown;

static void line(int ok, const char *name, const char *observed)
{
	checks++;
	failures += !ok;
	printf("%3d %-46s %-28s %s\n", checks, name, observed, ok ? "[OK]" : "[FAIL]");
	fflush(stdout);         /* a crash later must not lose this line */
}

/* s[0..n) for a table line: C escapes, cut at 60 bytes. */
static const char *shown_as(char *buf, const char *s, int n)
{
	char *o = buf;

	for (int k = 0; k < n && o - buf < 400; k++) {
		unsigned char ch = s[k];

		o += ch >= 32 && ch < 127 ? sprintf(o, "%c", ch) : sprintf(o, "\\x%02x", ch);
	}
	*o = 0;
	return buf;
}

/* co_format() at size against want (the whole text, wlen bytes): the bytes
 * written, a NUL, nothing past size, and the return value. */
static int compare(const struct gen *g, const union slot *a, size_t size,
		   const char *want, int wlen)
{
	char buf[MAXOUT + 64], name[200], obs[400], e1[300], e2[300];
	size_t keep = size ? (size - 1 < (size_t)wlen ? size - 1 : (size_t)wlen) : 0;
	int n, ok;

	memset(buf, 0xa5, sizeof buf);
	n = g->types == plain_types ? co_format(buf, size, g->fmt PLAIN(ARG)) :
		co_format(buf, size, g->fmt SLOTS(ARG));
	ok = n == wlen && memcmp(buf, want, keep) == 0 && (!size || buf[keep] == 0);
	for (size_t k = size; k < size + 64; k++)
		ok &= (unsigned char)buf[k] == 0xa5;
	if (!ok && ++shown <= 40) {
		snprintf(name, sizeof name, "\"%s\" size %zu", shown_as(e1, g->fmt, g->flen), size);
		snprintf(obs, sizeof obs, "got %d \"%s\", want %d \"%s\"", n,
			 shown_as(e1, buf, size ? (int)keep : 0), wlen, shown_as(e2, want, (int)keep));
		line(0, name, obs);
	} else if (!ok) {
		failures++;
	}
	return ok;
}

int main(void)
{
	static struct gen g;
	static char whole[MAXOUT];
	long page = sysconf(_SC_PAGESIZE);
	char *mem = mmap(0, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int cases = 0, calls = 0, bad = 0, marked = 0, bad_marked = 0, small = 0, bad_small = 0;

	if (mem == MAP_FAILED || mprotect(mem + page, page, PROT_NONE) != 0) {
		perror("format_oracle: mmap");
		return 2;
	}
	guard_end = mem + page;
	_co_name = "format_oracle";
	snprintf(whole, sizeof whole, "%b", 5u);
	libc_has_b = strcmp(whole, "101") == 0;
	memcpy(guard_end - 8, "abcdefgh", 8);           /* no NUL */

	for (int c = 0; c < CASES; c++) {
		const char *want = g.want;
		int wlen, ok = 1;

		generate(&g);
		wlen = g.wlen;
		if (!g.skipped) {       /* snprintf itself, on the whole format */
			union slot *a = g.a;

			wlen = g.types == plain_types ?
				snprintf(whole, sizeof whole, g.fmt PLAIN(ARG)) :
				snprintf(whole, sizeof whole, g.fmt SLOTS(ARG));
			want = whole;
			if (wlen != g.wlen || memcmp(whole, g.want, wlen) != 0) {
				char e[500];    /* the generator's own mistake */
				line(0, "oracle: piece by piece = whole", shown_as(e, g.fmt, g.flen));
				continue;
			}
		}
		size_t sizes[] = { MAXOUT, wlen + 1, wlen, 1, 0, below(wlen + 2), below(8) };
		for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
			int r = compare(&g, g.a, sizes[s], want, wlen);

			ok &= r;
			calls++;
			if (sizes[s] <= (size_t)wlen)
				small++, bad_small += !r;
		}
		cases++;
		bad += !ok;
		if (g.skipped)
			marked++, bad_marked += !ok;
	}

	char obs[64];

	snprintf(obs, sizeof obs, "%d formats, %d calls, %d bad", cases, calls, bad);
	line(bad == 0 && cases >= 500, "format = snprintf on generated formats", obs);
	snprintf(obs, sizeof obs, "%d formats, %d bad", marked, bad_marked);
	line(bad_marked == 0 && marked >= 100, "  ... unsupported ones as written, none shifts", obs);
	snprintf(obs, sizeof obs, "%d calls, %d bad", small, bad_small);
	line(bad_small == 0 && small >= 500, "  ... truncated, nothing past the size", obs);
	snprintf(obs, sizeof obs, "%d", untouched);
	line(untouched == 12345, "  ... %n stores nothing", obs);
	return failures != 0;
}
