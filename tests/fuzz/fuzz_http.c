/*
 * fuzz_http.c - a fuzz target: examples/http_parse.h, the HTTP server's
 * request parser, on any bytes (make fuzz; docs/testing.md).
 *
 * The input is what a client sent, at most HTTP_MAX_HEAD bytes of it (what
 * examples/httpd.c holds), each in a buffer of exactly its length, so that a
 * read past the end is AddressSanitizer's error.  Besides the sanitizers'
 * verdicts, every call must keep http_parse.h's contract:
 *   - the result is 0, a head's length within the input, or one of the
 *     statuses the file lists;
 *   - a head parsed whole is parsed the same from its own bytes alone, and
 *     is incomplete (0) one byte short: the server parses whatever it has
 *     read so far;
 *   - its path is NUL-ended within the buffer, relative, and holds no "..",
 *     "." or empty segment, no backslash; its Range lies within the head;
 *   - a Range taken (http_range) lies within the file, for several sizes;
 *   - an If-Modified-Since taken formats back (http_date) to a date that
 *     parses to the same second.
 * A broken promise is abort(): libFuzzer keeps the input as a crash.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "examples/http_parse.h"

#define expect(cond) ((cond) ? (void)0 : fail(#cond, __LINE__))

static void fail(const char *what, int line)
{
	fprintf(stderr, "fuzz_http.c:%d: broken: %s\n", line, what);
	abort();
}

/* buf[0..n) parsed from a copy of exactly n bytes (ASan sees a read past
 * it), into r; r->range made an offset into buf (-1: none). */
static int parse(const char *buf, int n, struct http_req *r, long *range_at)
{
	char *copy = malloc(n ? n : 1);
	int st;

	memcpy(copy, buf, n);
	memset(r, 0x55, sizeof *r);
	st = http_parse(copy, n, r);
	*range_at = -1;
	if (st > 0 && r->range) {
		expect(r->range >= copy && r->range_len >= 0 && r->range + r->range_len <= copy + st);
		*range_at = r->range - copy;
	}
	free(copy);
	r->range = 0;           /* it pointed into the copy: use range_at */
	return st;
}

static int is_status(int st)
{
	return st == -400 || st == -413 || st == -414 || st == -431 || st == -501 || st == -505;
}

/* The decoded path's promises. */
static void check_path(const char *p)
{
	size_t len = strnlen(p, HTTP_MAX_PATH);

	expect(len < HTTP_MAX_PATH - 1);
	expect(len == 0 || p[0] != '/');
	expect(!strchr(p, '\\'));
	for (const char *s = p; *s; ) {         /* each segment */
		size_t k = strcspn(s, "/");

		expect(k > 0);                  /* no empty segment */
		expect(!(k == 1 && s[0] == '.'));
		expect(!(k == 2 && s[0] == '.' && s[1] == '.'));
		s += k + (s[k] == '/');
	}
}

static void check_range(const char *buf, struct http_req *r, long at, long long size)
{
	long long first = -7, last = -7;
	int k;

	r->range = at >= 0 ? buf + at : 0;
	k = http_range(r, size, &first, &last);
	expect(k == 0 || k == 1 || k == -416);
	if (k == 1)
		expect(first >= 0 && first <= last && last < size);
	r->range = 0;
}

static void check_date(long long t)
{
	char d[30];

	if (t < 0)
		return;
	expect(t < 253402300800LL);     /* 10000-01-01: four digits of year */
	http_date(t, d);
	expect(strlen(d) == 29);
	expect(http_parse_date(d, 29) == t);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	const char *buf = (const char *)data;
	int n = size > HTTP_MAX_HEAD ? HTTP_MAX_HEAD : (int)size, st, again;
	struct http_req r, r2;
	long at, at2;

	st = parse(buf, n, &r, &at);
	expect(st == 0 || is_status(st) || (st > 0 && st <= n));
	if (st <= 0)
		return 0;
	check_path(r.path);
	expect(r.head == 0 || r.head == 1);
	expect(r.minor == 0 || r.minor == 1);
	expect(r.keep_alive == 0 || r.keep_alive == 1);
	expect(r.ims >= -1);
	check_date(r.ims);
	/* The head alone: the same answer; one byte less: incomplete. */
	again = parse(buf, st, &r2, &at2);
	expect(again == st && at2 == at && r2.range_len == r.range_len && r2.ims == r.ims &&
	       r2.head == r.head && r2.minor == r.minor && r2.keep_alive == r.keep_alive &&
	       !strcmp(r2.path, r.path));
	expect(parse(buf, st - 1, &r2, &at2) == 0);
	/* Its Range against files of several sizes (one from the input). */
	{
		long long sizes[] = { 0, 1, 2, 1000, 1LL << 40, 999999999999999999LL, n, st };

		for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++)
			check_range(buf, &r, at, sizes[i]);
	}
	return 0;
}
