/*
 * net.c - TCP sockets by address string: co_listen, co_listen_shared,
 * co_accept, co_connect.
 *
 * Linked only into programs that call them.  Addresses are numeric, never
 * resolved (no DNS without libc): "127.0.0.1:8080", "[::1]:8080", and for
 * co_listen ":8080", every address (IPv6 with IPv4 mapped where the kernel
 * allows, else IPv4 only).  Anything else is -EINVAL: a missing or empty
 * port, a port past 65535, a bad digit, an unclosed '[', a name such as
 * "localhost".  The socket address is written byte by byte, the port most
 * significant byte first (network order), so nothing depends on the
 * machine's own byte order.
 *
 * Every fd returned is non-blocking and close-on-exec, for co_read,
 * co_write, co_wait_fd and co_close.  A wait (co_accept, co_connect) is
 * co_wait_fd's, with its timeout convention.
 */
#include <asm/socket.h>     /* SOL_SOCKET, SO_REUSEADDR, SO_REUSEPORT, SO_ERROR */
#include "coroutine.h"
#include "syscalls.h"

#define IPPROTO_IPV6 41
#define IPV6_V6ONLY  26

/* struct sockaddr_in and sockaddr_in6 in one: the family in the machine's
 * order, then the port in network order, then the address (IPv4: 4 bytes;
 * IPv6: flow label, 16 bytes, scope). */
struct sockaddr_any {
	unsigned short family;
	unsigned char port[2];
	unsigned char rest[24];
};

/* The decimal number at *s, up to max, advancing *s: -1 if there is no
 * digit or it is larger than max. */
static long number(const char **s, long max)
{
	long n = -1;

	for (; **s >= '0' && **s <= '9'; (*s)++) {
		n = (n < 0 ? 0 : n * 10) + (**s - '0');
		if (n > max)
			return -1;
	}
	return n;
}

/* Four dotted decimal bytes at s into a, up to the end or ':' (*end set
 * there): 0, or -1. */
static int parse_v4(const char *s, unsigned char a[4], const char **end)
{
	for (int i = 0; i < 4; i++) {
		long b = number(&s, 255);

		if (b < 0 || (i < 3 && *s++ != '.'))
			return -1;
		a[i] = (unsigned char)b;
	}
	*end = s;
	return 0;
}

static int hex(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
	       c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* An IPv6 address at s up to ']' (RFC 4291 text: groups of 1-4 hex digits,
 * one "::", a dotted IPv4 tail) into a: 0, or -1. */
static int parse_v6(const char *s, unsigned char a[16])
{
	unsigned char w[16];
	int n = 0, gap = -1;

	if (s[0] == ':' && s[1] == ':')
		gap = 0, s += 2;
	while (*s != ']') {
		int v = 0, d = 0;
		const char *t;

		if (n <= 12 && !parse_v4(s, w + n, &t) && *t == ']') {
			n += 4, s = t;          /* ::ffff:1.2.3.4 */
			break;
		}
		for (; d < 4 && hex(*s) >= 0; d++)
			v = v << 4 | hex(*s++);
		if (!d || n > 14)
			return -1;
		w[n++] = (unsigned char)(v >> 8), w[n++] = (unsigned char)v;
		if (*s == ':' && s[1] == ':' && gap < 0)
			gap = n, s += 2;
		else if (*s == ':' && s[1] != ']')
			s++;
		else if (*s != ']')
			return -1;
	}
	if (gap < 0 ? n != 16 : n > 14)
		return -1;
	for (int i = 0, k = 0; i < 16; i++)     /* the gap's zeros in place */
		a[i] = i < gap || gap < 0 ? w[k++] : i < gap + 16 - n ? 0 : w[k++];
	return 0;
}

/* addr as a socket address: its length, or -EINVAL.  An empty host (":80")
 * is `any`: IPv6's :: (1) or IPv4's 0.0.0.0 (2); 127.0.0.1 when `any` is 0. */
static int parse(const char *addr, struct sockaddr_any *sa, int any)
{
	const char *s = addr;
	long port;

	for (unsigned i = 0; i < sizeof *sa; i++)
		((char *)sa)[i] = 0;
	if (!addr)
		return -EINVAL;
	if (*s == '[') {
		const char *close = ++s;

		while (*close && *close != ']')
			close++;
		if (*close != ']' || parse_v6(s, sa->rest + 4))
			return -EINVAL;
		sa->family = AF_INET6, s = close + 1;
	} else if (*s == ':') {
		sa->family = any == 1 ? AF_INET6 : AF_INET;
		if (!any)
			sa->rest[0] = 127, sa->rest[3] = 1;
	} else {
		if (parse_v4(s, sa->rest, &s))
			return -EINVAL;
		sa->family = AF_INET;
	}
	if (*s++ != ':' || (port = number(&s, 65535)) < 0 || *s)
		return -EINVAL;
	sa->port[0] = (unsigned char)(port >> 8);
	sa->port[1] = (unsigned char)port;
	return sa->family == AF_INET6 ? 28 : 16;
}

/* A timeout's error: -EAGAIN for a single check (0), else -ETIMEDOUT. */
static int timed_out(long long timeout_ns)
{
	return timeout_ns ? -ETIMEDOUT : -EAGAIN;
}

static int listen_on(const char *addr, int backlog, int shared)
{
	struct sockaddr_any sa;
	int len = parse(addr, &sa, 1), fd, r, one = 1, zero = 0;

	if (len < 0)
		return len;
	fd = sys_socket(sa.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -EAFNOSUPPORT && addr[0] == ':') {    /* no IPv6: 0.0.0.0 */
		len = parse(addr, &sa, 2);
		fd = sys_socket(sa.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	}
	if (fd < 0)
		return fd;
	r = sys_setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (!r && shared)
		r = sys_setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
	if (!r && addr[0] == ':' && sa.family == AF_INET6)
		sys_setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);  /* best effort */
	if (!r)
		r = sys_bind(fd, &sa, len);
	if (!r)
		r = sys_listen(fd, backlog);
	if (r) {
		sys_close(fd);
		return r;
	}
	return fd;
}

int co_listen(const char *addr, int backlog)
{
	return listen_on(addr, backlog, 0);
}

int co_listen_shared(const char *addr, int backlog)
{
	return listen_on(addr, backlog, 1);
}

int co_accept(int fd, long long timeout_ns)
{
	long long end = timeout_ns > 0 ? co_now() + timeout_ns : 0;

	for (;;) {
		long long left = timeout_ns;
		int c = sys_accept4(fd, 0, 0, SOCK_NONBLOCK | SOCK_CLOEXEC), r;

		/* A connection reset before it was taken: take the next. */
		if (c != -EAGAIN && c != -EINTR && c != -ECONNABORTED)
			return c;
		if (c != -EAGAIN)
			continue;
		if (timeout_ns > 0 && (left = end - co_now()) <= 0)
			return -ETIMEDOUT;
		if ((r = co_wait_fd(fd, CO_READ, left)) <= 0)
			return r ? r : timed_out(timeout_ns);
	}
}

int co_connect(const char *addr, long long timeout_ns)
{
	struct sockaddr_any sa;
	int len = parse(addr, &sa, 0), fd, r, err = 0;
	unsigned elen = sizeof err;

	if (len < 0)
		return len;
	if ((fd = sys_socket(sa.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) < 0)
		return fd;
	r = sys_connect(fd, &sa, len);
	if (r == -EINPROGRESS) {
		r = co_wait_fd(fd, CO_WRITE, timeout_ns);
		if (!r)
			r = timed_out(timeout_ns);
		else if (r > 0)         /* how it ended: 0 or the error */
			r = sys_getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) ?: -err;
	}
	if (r) {
		co_close(fd);
		return r;
	}
	return fd;
}
