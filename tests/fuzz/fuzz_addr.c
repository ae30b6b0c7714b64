/*
 * fuzz_addr.c - a fuzz target: the address parser of co_listen and
 * co_connect (net.c, compiled for the host beside this file, unchanged),
 * with the C library's inet_pton as the oracle (make fuzz; docs/testing.md).
 *
 * The input, up to its first NUL, is an address string.  co_connect and
 * co_listen run over stand-ins for the system calls, which record the
 * socket address handed to connect(2) and bind(2); co_listen runs again on
 * ":PORT" with IPv6 sockets refused (-EAFNOSUPPORT: its fallback to
 * IPv4).  Each call must answer -EINVAL exactly when the oracle refuses
 * the string, and otherwise hand the kernel the socket address the oracle
 * builds, byte for byte, with its length.  The oracle:
 *   "A.B.C.D:PORT"   inet_pton(AF_INET), each byte read as decimal digits,
 *                    leading zeros too ("010" is 10, "000" 0: net.c's
 *                    choice, which t_net checks; inet_pton refuses them,
 *                    inet_aton reads them as octal);
 *   "[V6]:PORT"      inet_pton(AF_INET6) on what the brackets hold (a
 *                    dotted tail's bytes decimal, as above);
 *   ":PORT"          co_connect: 127.0.0.1; co_listen: ::, or 0.0.0.0
 *                    without IPv6;
 *   PORT             decimal digits (leading zeros allowed), 0 to 65535.
 * A difference, or a sanitizer's report, is a crash that libFuzzer keeps.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

int co_listen(const char *addr, int backlog);   /* coroutine.h's, which */
int co_connect(const char *addr, long long timeout_ns); /* clashes with libc */

#define EINVAL_ 22              /* the kernel's EINVAL, as net.c returns it */
#define FD 3                    /* the stand-in socket */

/* ---- the system calls net.c makes, standing in ---------------------------- */

static unsigned char seen[64];  /* the socket address last bound or connected */
static unsigned seen_len;
static int no_ipv6;             /* socket(AF_INET6) fails as without IPv6 */

static void record(const void *addr, unsigned len)
{
	seen_len = len;
	memcpy(seen, addr, len < sizeof seen ? len : sizeof seen);
}

int sys_socket(int domain, int type, int protocol)
{
	(void)type, (void)protocol;
	return domain == AF_INET6 && no_ipv6 ? -97 /* EAFNOSUPPORT */ : FD;
}
int sys_setsockopt(int fd, int level, int name, const void *value, unsigned len)
{
	(void)fd, (void)level, (void)name, (void)value, (void)len;
	return 0;
}
int sys_bind(int fd, const void *addr, unsigned len) { (void)fd; record(addr, len); return 0; }
int sys_connect(int fd, const void *addr, unsigned len) { (void)fd; record(addr, len); return 0; }
int sys_listen(int fd, int backlog) { (void)fd, (void)backlog; return 0; }
int sys_close(int fd) { (void)fd; return 0; }
int co_close(int fd) { (void)fd; return 0; }
int sys_accept4(int fd, void *addr, unsigned *len, int flags)
{
	(void)fd, (void)addr, (void)len, (void)flags;
	abort();                        /* never called here */
}
int sys_getsockopt(int fd, int level, int name, void *value, unsigned *len)
{
	(void)fd, (void)level, (void)name, (void)value, (void)len;
	abort();                        /* only after -EINPROGRESS */
}
long long co_now(void) { return 0; }
int co_wait_fd(int fd, int events, long long timeout_ns)
{
	(void)fd, (void)events, (void)timeout_ns;
	abort();
}

/* ---- the oracle -------------------------------------------------------------- */

/* The port after the host: ":" then 1+ digits to the end, at most 65535. */
static int port_of(const char *s, unsigned short *port)
{
	unsigned long v = 0;

	if (*s++ != ':' || !*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
		if (v > 65535)
			return -1;
	}
	*port = (unsigned short)v;
	return 0;
}

/* The leading zeros of each byte of the dotted IPv4 address that ends
 * host (after its last ':', if any), dropped, in place. */
static void decimal(char *host)
{
	char *v4 = strrchr(host, ':') ? strrchr(host, ':') + 1 : host, *o = v4;

	if (!strchr(v4, '.'))
		return;
	for (char *p = v4; *p; ) {
		if (*p == '0' && p[1] >= '0' && p[1] <= '9' && (p == v4 || p[-1] == '.'))
			while (*p == '0' && p[1] >= '0' && p[1] <= '9')
				p++;
		while (*p && *p != '.')
			*o++ = *p++;
		if (*p)
			*o++ = *p++;
	}
	*o = 0;
}

/* The socket address s names, into sa: its length, or -1.  any: as
 * net.c's (0 co_connect, 1 co_listen, 2 co_listen without IPv6). */
static int oracle(const char *s, int any, struct sockaddr_storage *sa)
{
	struct sockaddr_in *v4 = (struct sockaddr_in *)sa;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)sa;
	unsigned short port;
	char *host = strdup(s);
	const char *end;
	int len = -1;

	memset(sa, 0, sizeof *sa);
	if (s[0] == '[') {
		if ((end = strchr(s, ']')) && !port_of(end + 1, &port)) {
			host[end - s] = 0;
			decimal(host + 1);
			if (inet_pton(AF_INET6, host + 1, &v6->sin6_addr) == 1)
				len = sizeof *v6;
		}
	} else if ((end = strchr(s, ':')) && !port_of(end, &port)) {
		host[end - s] = 0;
		decimal(host);
		if (end == s && any == 1)
			len = sizeof *v6;
		else if (end == s)
			len = sizeof *v4, v4->sin_addr.s_addr = htonl(any ? INADDR_ANY : INADDR_LOOPBACK);
		else if (inet_pton(AF_INET, host, &v4->sin_addr) == 1)
			len = sizeof *v4;
	}
	free(host);
	if (len == sizeof *v6)
		v6->sin6_family = AF_INET6, v6->sin6_port = htons(port);
	else if (len == sizeof *v4)
		v4->sin_family = AF_INET, v4->sin_port = htons(port);
	return len;
}

/* ---- the target ----------------------------------------------------------- */

static void differ(const char *call, const char *addr, int got, int want)
{
	fprintf(stderr, "fuzz_addr.c: %s(\"%s\"): %d, the oracle: %d bytes\n", call, addr, got, want);
	abort();
}

/* One call's answer against the oracle's for `any`. */
static void compare(const char *call, const char *addr, int got, int any)
{
	struct sockaddr_storage want;
	int len = oracle(addr, any, &want);

	if (len < 0 ? got != -EINVAL_ : got != FD || seen_len != (unsigned)len || memcmp(seen, &want, len))
		differ(call, addr, got, len);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *addr = malloc(size + 1);  /* exactly the string: ASan sees past it */

	memcpy(addr, data, size);
	addr[size] = 0;
	seen_len = 0, no_ipv6 = 0;
	compare("co_connect", addr, co_connect(addr, 0), 0);
	seen_len = 0;
	compare("co_listen", addr, co_listen(addr, 1), 1);
	seen_len = 0, no_ipv6 = 1;     /* ":PORT": the fallback (else socket's error) */
	if (addr[0] == ':')
		compare("co_listen without IPv6", addr, co_listen(addr, 1), 2);
	free(addr);
	return 0;
}
