/*
 * t_http.c - examples/http_parse.h alone, no sockets: HTTP dates both ways
 * (RFC 9110's example, the epoch, leap days, every day of 1970-2400 round
 * trip), request heads (complete, incomplete, refused with each status),
 * targets decoded and folded or refused, and byte ranges against a size.
 */
#include "check.h"
#include "examples/http_parse.h"

static int str_is(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

static int len_of(const char *s)
{
	int n = 0;

	while (s[n])
		n++;
	return n;
}

static void dates(void)
{
	char d[30];
	long long bad = -1;

	http_date(784111777, d);
	check(str_is(d, "Sun, 06 Nov 1994 08:49:37 GMT"), "http_date(784111777): RFC 9110's", "%s", d);
	http_date(0, d);
	check(str_is(d, "Thu, 01 Jan 1970 00:00:00 GMT"), "http_date(0)", "%s", d);
	http_date(951782400, d);
	check(str_is(d, "Tue, 29 Feb 2000 00:00:00 GMT"), "http_date: 2000-02-29 (a leap day)", "%s", d);
	http_date(4107542400LL, d);
	check(str_is(d, "Mon, 01 Mar 2100 00:00:00 GMT"), "http_date: 2100-02-28 + 1 day (no leap)", "%s", d);
	CHECK_EQ("parse 'Sun, 06 Nov 1994 08:49:37 GMT'",
		 http_parse_date("Sun, 06 Nov 1994 08:49:37 GMT", 29), 784111777);
	/* Every day from 1970 to 2400, at 12:34:56: format, parse, the same. */
	for (long long day = 0; day < 157800 && bad < 0; day++) {
		long long t = day * 86400 + 45296;

		http_date(t, d);
		if (http_parse_date(d, 29) != t)
			bad = t;
	}
	check(bad < 0, "every day 1970-2400: formatted, parsed back", "%s", bad < 0 ? "all" : d);
	CHECK_EQ("parse: the obsolete RFC 850 form ignored",
		 http_parse_date("Sunday, 06-Nov-94 08:49:37 GMT", 30), -1);
	CHECK_EQ("parse: a bad month", http_parse_date("Sun, 06 Noz 1994 08:49:37 GMT", 29), -1);
	CHECK_EQ("parse: hour 24", http_parse_date("Sun, 06 Nov 1994 24:49:37 GMT", 29), -1);
}

static struct http_req r;

/* http_parse of the string s. */
static int parse(const char *s)
{
	return http_parse(s, len_of(s), &r);
}

static void heads(void)
{
	static char big[HTTP_MAX_HEAD + 100];
	const char *get = "GET /a/b.html?x=1 HTTP/1.1\r\nHost: x\r\nRange: bytes=1-2\r\n"
			  "If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\nGET /next";
	int n = parse(get);

	CHECK_EQ("a GET head: its length, the rest left", n, len_of(get) - 9);
	check(str_is(r.path, "a/b.html") && !r.head && r.minor == 1 && r.keep_alive &&
	      r.ims == 784111777 && r.range_len == 9, "... path, version, keep-alive, headers",
	      "'%s' %d %d %d", r.path, r.minor, r.keep_alive, r.range_len);
	CHECK_EQ("incomplete head: 0 (read more)", parse("GET / HTTP/1.1\r\nHost: x\r\n"), 0);
	CHECK_EQ("bare LF line ends taken", parse("HEAD / HTTP/1.0\n\n"), 17);
	check(r.head && r.minor == 0 && !r.keep_alive, "HEAD, HTTP/1.0: closes by default", "%d %d %d",
	      r.head, r.minor, r.keep_alive);
	parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n");
	CHECK_EQ("HTTP/1.0 with Connection: keep-alive", r.keep_alive, 1);
	parse("GET / HTTP/1.1\r\nconnection:close\r\n\r\n");
	CHECK_EQ("HTTP/1.1 with connection:close", r.keep_alive, 0);
	CHECK_EQ("POST: -501", parse("POST / HTTP/1.1\r\n\r\n"), -501);
	CHECK_EQ("HTTP/1.2: -505", parse("GET / HTTP/1.2\r\n\r\n"), -505);
	CHECK_EQ("HTTP/10: -400", parse("GET / HTTP/10\r\n\r\n"), -400);
	CHECK_EQ("no version: -400", parse("GET /\r\n\r\n"), -400);
	CHECK_EQ("a header without a colon: -400", parse("GET / HTTP/1.1\r\nHost\r\n\r\n"), -400);
	CHECK_EQ("a folded header line: -400", parse("GET / HTTP/1.1\r\nA: b\r\n c\r\n\r\n"), -400);
	CHECK_EQ("Content-Length: 5: -413", parse("GET / HTTP/1.1\r\nContent-Length: 5\r\n\r\n"), -413);
	CHECK_EQ("Content-Length: 0: taken", parse("GET / HTTP/1.1\r\nContent-Length: 0\r\n\r\n"), 37);
	CHECK_EQ("Content-Length: x: -400", parse("GET / HTTP/1.1\r\nContent-Length: x\r\n\r\n"), -400);
	for (int i = 0; i < (int)sizeof big - 1; i++)
		big[i] = 'a';
	big[0] = 'G', big[1] = 'E', big[2] = 'T', big[3] = ' ', big[4] = '/';
	CHECK_EQ("a line of 2048 bytes, unfinished: -414", http_parse(big, HTTP_MAX_LINE, &r), -414);
	CHECK_EQ("a line of 2047 bytes, unfinished: 0", http_parse(big, HTTP_MAX_LINE - 1, &r), 0);
	co_format(big, 40, "GET / HTTP/1.1\r\nX: ");
	big[19] = 'a';
	CHECK_EQ("a head of 8192 bytes, unfinished: -431", http_parse(big, HTTP_MAX_HEAD, &r), -431);
	big[HTTP_MAX_HEAD - 4] = '\r', big[HTTP_MAX_HEAD - 3] = '\n';
	big[HTTP_MAX_HEAD - 2] = '\r', big[HTTP_MAX_HEAD - 1] = '\n';
	CHECK_EQ("a head of exactly 8192 bytes: taken", http_parse(big, HTTP_MAX_HEAD, &r), HTTP_MAX_HEAD);
}

/* The target of "GET <t> HTTP/1.1": the decoded path, or the status. */
static const struct { const char *target, *path; int status; } targets[] = {
	{ "/", "", 0 },                 { "/a//b/./c", "a/b/c", 0 },
	{ "/a/b/", "a/b/", 0 },         { "/%41%62c", "Abc", 0 },
	{ "/a?b/../c", "a", 0 },        { "/.hidden", ".hidden", 0 },
	{ "/a..b", "a..b", 0 },         { "/...", "...", 0 },
	{ "/..", 0, -400 },             { "/a/../b", 0, -400 },
	{ "/%2e%2e/x", 0, -400 },       { "/%2E%2e", 0, -400 },
	{ "/.%2e/x", 0, -400 },         { "/a%2fb", 0, -400 },
	{ "/a%00b", 0, -400 },          { "/a%5cb", 0, -400 },
	{ "/a%zz", 0, -400 },           { "/a%4", 0, -400 },
	{ "http://h/a", 0, -400 },      { "a", 0, -400 },
	{ "*", 0, -400 },
};

static void paths(void)
{
	int wrong = 0;
	char req[80], first[60] = "none";

	for (unsigned i = 0; i < sizeof targets / sizeof *targets; i++) {
		int n = co_format(req, sizeof req, "GET %s HTTP/1.1\r\n\r\n", targets[i].target);
		int st = http_parse(req, n, &r);
		int ok = targets[i].path ? st == n && str_is(r.path, targets[i].path) : st == targets[i].status;

		if (!ok && !wrong++)
			co_format(first, sizeof first, "%s: %d '%s'", targets[i].target, st, st > 0 ? r.path : "");
	}
	check(!wrong, "targets: decoded and folded, or refused", "%d wrong; %s", wrong, first);
}

/* Range against a 1000-byte file: "first-last", "416", or "whole". */
static const struct { const char *range, *want; } ranges[] = {
	{ "bytes=0-99", "0-99" },       { "bytes=900-", "900-999" },
	{ "bytes=-100", "900-999" },    { "bytes=-5000", "0-999" },
	{ "bytes=990-2000", "990-999" }, { "bytes=999-999", "999-999" },
	{ "bytes=1000-", "416" },       { "bytes=5000-6000", "416" },
	{ "bytes=-0", "416" },          { "bytes=5-1", "whole" },
	{ "bytes=1-2,5-6", "whole" },   { "bytes=x-1", "whole" },
	{ "bytes=-", "whole" },         { "lines=1-2", "whole" },
	{ "bytes=1", "whole" },
};

static void byte_ranges(void)
{
	int wrong = 0;
	char got[40], first[60] = "none";

	for (unsigned i = 0; i < sizeof ranges / sizeof *ranges; i++) {
		long long a = -1, b = -1;
		int k;

		r.range = ranges[i].range, r.range_len = len_of(ranges[i].range);
		k = http_range(&r, 1000, &a, &b);
		if (k == 1)
			co_format(got, sizeof got, "%lld-%lld", a, b);
		else
			co_format(got, sizeof got, "%s", k ? "416" : "whole");
		if (!str_is(got, ranges[i].want) && !wrong++)
			co_format(first, sizeof first, "%s: %s", ranges[i].range, got);
	}
	check(!wrong, "ranges against 1000 bytes", "%d wrong; %s", wrong, first);
}

int main(void)
{
	dates();
	heads();
	paths();
	byte_ranges();
	return check_done();
}
