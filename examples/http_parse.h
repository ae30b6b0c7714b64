/*
 * examples/http_parse.h - examples/httpd.c's HTTP/1.1 request parser, and
 * the HTTP dates and byte ranges it needs: pure functions of their
 * arguments, no I/O, no global state, no library, so that the file can be
 * built alone (a fuzz target, a host test) as well as into the server.
 *
 *   http_parse(buf, len, &req)   one request's head: how many bytes it took
 *   http_range(&req, size, ...)  its Range against a file of size bytes
 *   http_date(t, out)            seconds since 1970 as an IMF-fixdate
 *   http_parse_date(s, n)        the reverse, -1 if it is not one
 *
 * What is refused, and with which status:
 *   400  a malformed request line or header, a bad %-escape, a target that
 *        is not an origin-form path ("/..."), a ".." segment (before or
 *        after decoding: "%2e%2e" is ".."), a NUL or a backslash in it;
 *   413  a body (Content-Length above 0, or Transfer-Encoding): a static
 *        server takes none;
 *   414  a request line longer than HTTP_MAX_LINE, a decoded path longer
 *        than HTTP_MAX_PATH - 2;
 *   431  a head longer than HTTP_MAX_HEAD;
 *   501  a method other than GET and HEAD;
 *   505  a version other than HTTP/1.0 and HTTP/1.1.
 */
#ifndef HTTP_PARSE_H
#define HTTP_PARSE_H

#define HTTP_MAX_LINE 2048      /* the request line, CRLF included */
#define HTTP_MAX_HEAD 8192      /* the whole head, blank line included */
#define HTTP_MAX_PATH 1024      /* the decoded path, NUL included */

struct http_req {
	int head;               /* HEAD, not GET */
	int minor;              /* HTTP/1.minor */
	int keep_alive;         /* the connection stays open after the answer */
	char path[HTTP_MAX_PATH];  /* decoded, without the leading '/', NUL-ended;
				    * "" for "/"; a trailing '/' kept */
	const char *range;      /* the Range header's value, or 0 */
	int range_len;
	long long ims;          /* If-Modified-Since, seconds since 1970, or -1 */
};

/* ---- small pieces ---------------------------------------------------------- */

static int http_lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

/* Do the n bytes at s equal the lower-case word w, ignoring case? */
static int http_is(const char *s, int n, const char *w)
{
	int i = 0;

	for (; i < n && w[i]; i++)
		if (http_lower((unsigned char)s[i]) != w[i])
			return 0;
	return i == n && !w[i];
}

static int http_hexval(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : (c | 32) >= 'a' && (c | 32) <= 'f' ? (c | 32) - 'a' + 10 : -1;
}

/* The target t (n bytes, "/...") decoded into out, the leading '/' and any
 * query dropped, repeated slashes and "." segments folded: 0, -400, or
 * -414 if it does not fit in HTTP_MAX_PATH. */
static int http_path(const char *t, int n, char *out)
{
	int o = 0, seg = 0;     /* out's length; where the current segment began */

	if (n < 1 || t[0] != '/')
		return -400;
	for (int i = 1; i <= n; i++) {
		int c = i < n ? (unsigned char)t[i] : '/';

		if (i < n && t[i] == '?')
			c = '/', n = i;         /* the query: ignored */
		else if (c == '%') {
			int h = i + 2 < n ? http_hexval(t[i + 1]) : -1, l = h >= 0 ? http_hexval(t[i + 2]) : -1;

			if (l < 0)
				return -400;
			c = h << 4 | l, i += 2;
			if (c == '/')           /* %2f: a slash in a name, refused */
				return -400;
		}
		if (c == 0 || c == '\\')
			return -400;
		if (c != '/') {
			if (o >= HTTP_MAX_PATH - 2)
				return -414;    /* too long to open */
			out[o++] = (char)c;
			continue;
		}
		/* A segment ends: refuse "..", drop "." and empty ones. */
		if (o - seg == 2 && out[seg] == '.' && out[seg + 1] == '.')
			return -400;
		if (o - seg == 1 && out[seg] == '.')
			o = seg;
		else if (o > seg)
			out[o++] = '/';
		seg = o;
	}
	/* The last segment's '/' stays only if the target ended with one. */
	if (o && !(n > 1 && t[n - 1] == '/'))
		o--;
	out[o] = 0;
	return 0;
}

/* A decimal number of up to 18 digits at s (n bytes, all of them): >= 0,
 * or -1. */
static long long http_number(const char *s, int n)
{
	long long v = 0;

	if (n < 1 || n > 18)
		return -1;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* ---- dates ---------------------------------------------------------------- */

/* Days since 1970-01-01 of a proleptic Gregorian date, and back (the civil
 * calendar's eras of 400 years, 146097 days each). */
static long long http_days_from_civil(long long y, int m, int d)
{
	long long era, yoe, doy;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

static void http_civil_from_days(long long z, long long *y, int *m, int *d)
{
	long long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static const char http_wday[] = "ThuFriSatSunMonTueWed";        /* 1970-01-01: a Thursday */
static const char http_month[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

static void http_two(char *o, int v) { o[0] = (char)('0' + v / 10), o[1] = (char)('0' + v % 10); }

/* t (seconds since 1970, from 0 to the year 9999) as "Sun, 06 Nov 1994
 * 08:49:37 GMT" in out (29 bytes and a NUL). */
static void http_date(long long t, char out[30])
{
	long long days = t / 86400, y;
	int s = (int)(t % 86400), m, d;

	http_civil_from_days(days, &y, &m, &d);
	for (int i = 0; i < 3; i++)
		out[i] = http_wday[days % 7 * 3 + i], out[8 + i] = http_month[(m - 1) * 3 + i];
	out[3] = ',', out[4] = ' ', out[7] = ' ', out[11] = ' ', out[16] = ' ';
	http_two(out + 5, d);
	http_two(out + 12, (int)(y / 100)), http_two(out + 14, (int)(y % 100));
	http_two(out + 17, s / 3600), out[19] = ':';
	http_two(out + 20, s / 60 % 60), out[22] = ':';
	http_two(out + 23, s % 60);
	out[25] = ' ', out[26] = 'G', out[27] = 'M', out[28] = 'T', out[29] = 0;
}

/* An IMF-fixdate (the n bytes at s) as seconds since 1970, or -1 (any
 * other form: HTTP lets a server ignore what it cannot parse). */
static long long http_parse_date(const char *s, int n)
{
	long long day, year, hh, mm, ss;
	int m = 0;

	if (n != 29 || s[3] != ',' || s[4] != ' ' || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' ||
	    s[19] != ':' || s[22] != ':' || !http_is(s + 25, 4, " gmt"))
		return -1;
	while (m < 12 && !(s[8] == http_month[m * 3] && s[9] == http_month[m * 3 + 1] &&
			   s[10] == http_month[m * 3 + 2]))
		m++;
	day = http_number(s + 5, 2), year = http_number(s + 12, 4);
	hh = http_number(s + 17, 2), mm = http_number(s + 20, 2), ss = http_number(s + 23, 2);
	if (m == 12 || day < 1 || day > 31 || year < 1970 || hh > 23 || mm > 59 || ss > 60 ||
	    hh < 0 || mm < 0 || ss < 0)
		return -1;
	return http_days_from_civil(year, m + 1, (int)day) * 86400 + hh * 3600 + mm * 60 + ss;
}

/* ---- the request ---------------------------------------------------------- */

/* One header line (name: value, n bytes without CRLF) into r: 0, or a
 * negative status. */
static int http_header(const char *s, int n, struct http_req *r)
{
	int c = 0, v, e = n;

	while (c < n && s[c] != ':')
		c++;
	if (c == 0 || c == n)
		return -400;
	for (int i = 0; i < c; i++)
		if (s[i] <= ' ' || s[i] == 127)
			return -400;    /* no space before the colon (RFC 9112) */
	for (v = c + 1; v < n && (s[v] == ' ' || s[v] == '\t'); v++)
		;
	while (e > v && (s[e - 1] == ' ' || s[e - 1] == '\t'))
		e--;
	if (http_is(s, c, "connection")) {
		if (http_is(s + v, e - v, "close"))
			r->keep_alive = 0;
		else if (http_is(s + v, e - v, "keep-alive"))
			r->keep_alive = 1;
	} else if (http_is(s, c, "content-length")) {
		long long len = http_number(s + v, e - v);

		if (len < 0)
			return -400;
		if (len > 0)
			return -413;
	} else if (http_is(s, c, "transfer-encoding")) {
		return -413;
	} else if (http_is(s, c, "range")) {
		r->range = s + v, r->range_len = e - v;
	} else if (http_is(s, c, "if-modified-since")) {
		r->ims = http_parse_date(s + v, e - v);
	}
	return 0;
}

/* Parse the request head at the start of buf (len bytes, of which the
 * caller holds at most HTTP_MAX_HEAD): the head's length, blank line
 * included, once it is complete; 0 while it is not (read more); or a
 * negative status (see the top of the file).  r->range points into buf. */
static int http_parse(const char *buf, int len, struct http_req *r)
{
	int end = -1, i, sp1, sp2, eol, st;

	/* The request line first: 414 as soon as it is too long. */
	for (eol = 0; eol < len && buf[eol] != '\n'; eol++)
		;
	if (eol >= HTTP_MAX_LINE)
		return -414;
	if (eol == len)
		return 0;
	for (i = eol; i + 1 < len; i++)
		if (buf[i] == '\n' && (buf[i + 1] == '\n' || (buf[i + 1] == '\r' && i + 2 < len && buf[i + 2] == '\n'))) {
			end = i + (buf[i + 1] == '\n' ? 2 : 3);
			break;
		}
	if (end < 0)
		return len >= HTTP_MAX_HEAD ? -431 : 0;
	if (end > HTTP_MAX_HEAD)
		return -431;

	r->range = 0, r->range_len = 0, r->ims = -1;
	/* METHOD SP TARGET SP HTTP/1.x */
	for (sp1 = 0; sp1 < eol && buf[sp1] != ' '; sp1++)
		;
	for (sp2 = sp1 + 1; sp2 < eol && buf[sp2] != ' '; sp2++)
		;
	i = eol - (eol > 0 && buf[eol - 1] == '\r');
	if (sp2 >= eol || i - sp2 - 1 != 8 || !http_is(buf + sp2 + 1, 7, "http/1.") || buf[sp2 + 1] != 'H')
		return -400;
	if (buf[sp2 + 8] != '0' && buf[sp2 + 8] != '1')
		return -505;
	r->minor = buf[sp2 + 8] - '0';
	r->keep_alive = r->minor == 1;
	if (sp1 == 3 && buf[0] == 'G' && buf[1] == 'E' && buf[2] == 'T')
		r->head = 0;
	else if (sp1 == 4 && buf[0] == 'H' && buf[1] == 'E' && buf[2] == 'A' && buf[3] == 'D')
		r->head = 1;
	else
		return -501;
	if ((st = http_path(buf + sp1 + 1, sp2 - sp1 - 1, r->path)) < 0)
		return st;
	/* The headers, one a line (no obsolete line folding). */
	for (i = eol + 1; i < end; ) {
		int e = i, n;

		while (buf[e] != '\n')
			e++;
		n = e - i - (e > i && buf[e - 1] == '\r');
		if (n == 0)
			break;
		if (buf[i] == ' ' || buf[i] == '\t' || (st = http_header(buf + i, n, r)) < 0)
			return st < 0 ? st : -400;
		i = e + 1;
	}
	return end;
}

/* r's Range against a file of size bytes: 0 no range to honour (serve it
 * whole: no header, a form this server does not take such as several
 * ranges, or a malformed one, which HTTP says to ignore); 1 with *first and
 * *last (inclusive) set; -416 if it is a single byte range the file cannot
 * satisfy. */
static int http_range(const struct http_req *r, long long size, long long *first, long long *last)
{
	const char *s = r->range;
	int n = r->range_len, dash = 6;
	long long a, b;

	if (!s || n < 7 || !http_is(s, 6, "bytes="))
		return 0;
	while (dash < n && s[dash] != '-')
		dash++;
	if (dash == n)
		return 0;
	a = dash > 6 ? http_number(s + 6, dash - 6) : -2;
	b = dash + 1 < n ? http_number(s + dash + 1, n - dash - 1) : -2;
	if (a == -1 || b == -1 || (a == -2 && b == -2))
		return 0;               /* malformed, or a list: ignored */
	if (a == -2) {                  /* the last b bytes */
		if (b == 0 || size == 0)
			return -416;
		*first = b > size ? 0 : size - b, *last = size - 1;
		return 1;
	}
	if (b != -2 && b < a)
		return 0;
	if (a >= size)
		return -416;
	*first = a, *last = b == -2 || b >= size ? size - 1 : b;
	return 1;
}

#endif
