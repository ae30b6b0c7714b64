/*
 * t_net.c - TCP sockets by address (net.c): listen, connect and accept
 * over loopback IPv4 and IPv6 (SKIP lines where the machine has no IPv6),
 * IPv4 clients of an every-address listener, the port's byte order as the
 * kernel sees it, timeouts, refused connections, SO_REUSEPORT, and the
 * addresses that must be refused with -EINVAL.
 */
#include "check.h"

int memcmp(const void *a, const void *b, __SIZE_TYPE__ n);     /* mem.c */

#define MS 1000000LL

/* The port a socket is bound to, read back from the kernel (getsockname):
 * the two bytes after the family, most significant first. */
static int port_of(int fd)
{
	unsigned char sa[28];
	unsigned len = sizeof sa;

	if (syscall6(__NR_getsockname, fd, (long)sa, (long)&len, 0, 0, 0) < 0)
		return -1;
	return sa[2] << 8 | sa[3];
}

static char addr_buf[64];

/* "HOST:PORT" in addr_buf, for HOST as written ("127.0.0.1", "[::1]"). */
static const char *at(const char *host, int port)
{
	co_format(addr_buf, sizeof addr_buf, "%s:%d", host, port);
	return addr_buf;
}

/* ---- a round trip ------------------------------------------------------- */
static int lfd;
static long served;

/* Accept one connection, echo what it reads until end of file. */
static void server(void *arg)
{
	char buf[256];
	long n;
	int c = co_accept(lfd, -1);

	(void)arg;
	served = c;
	if (c < 0)
		return;
	while ((n = co_read(c, buf, sizeof buf)) > 0)
		co_write(c, buf, n);
	co_close(c);
}

/* Listen on lhost, port 0 (the kernel picks one), connect to chost at that
 * port, send a line and read it back.
 * 1 if it came back whole, 0 if not, -1 if listening failed (err set). */
static int round_trip(const char *name, const char *lhost, const char *chost, int *err)
{
	static const char msg[] = "hello over the loopback\n";
	char got[64] = { 0 };
	long n = 0, r;
	int fd, port, ok, id;

	if ((lfd = co_listen(at(lhost, 0), 16)) < 0) {
		*err = lfd;
		return -1;
	}
	port = port_of(lfd);
	id = co_spawn(server, 0);
	fd = co_connect(at(chost, port), 5000 * MS);
	if (fd >= 0) {
		co_write(fd, msg, sizeof msg - 1);
		while (n < (long)sizeof msg - 1 && (r = co_read(fd, got + n, sizeof got - 1 - n)) > 0)
			n += r;
		co_close(fd);
	}
	co_join(id);
	co_close(lfd);
	ok = fd >= 0 && n == sizeof msg - 1 && !memcmp(got, msg, n);
	check(ok, name, "connect %d, %ld bytes back", fd < 0 ? fd : 0, n);
	return ok;
}

static void round_trips(void)
{
	int err = 0, fd, flags, fdflags;

	round_trip("IPv4: listen, connect, accept, echo", "127.0.0.1", "127.0.0.1", &err);
	if (round_trip("IPv6: listen, connect, accept, echo", "[::1]", "[::1]", &err) < 0) {
		if (err == -EAFNOSUPPORT || err == -EADDRNOTAVAIL)
			skip("IPv6: listen, connect, accept, echo", "no IPv6 loopback here");
		else
			check(0, "IPv6: listen, connect, accept, echo", "co_listen %d", err);
	}
	/* ":port": every address; IPv4 clients too (mapped, or 0.0.0.0). */
	if (round_trip("\":port\" takes an IPv4 client", "", "127.0.0.1", &err) < 0)
		check(0, "\":port\" takes an IPv4 client", "co_listen %d", err);
	if (round_trip("\":port\" takes co_connect(\":port\")", "", "", &err) < 0)
		check(0, "\":port\" takes co_connect(\":port\")", "co_listen %d", err);

	/* The port in network order, whatever the machine's: 0x1234 is
	 * 4660, read back by the kernel as the bytes 0x12 0x34. */
	fd = co_listen("127.0.0.1:4660", 4);
	if (fd == -EADDRINUSE)
		skip("port 4660 bound as bytes 0x12 0x34", "port 4660 in use");
	else
		CHECK_EQ("port 4660 bound as bytes 0x12 0x34", port_of(fd), 4660);
	/* The fds: non-blocking, close-on-exec. */
	flags = sys_fcntl(fd, F_GETFL, 0), fdflags = sys_fcntl(fd, F_GETFD, 0);
	check(fd >= 0 && flags >= 0 && flags & O_NONBLOCK && fdflags == FD_CLOEXEC,
	      "co_listen's fd: O_NONBLOCK, FD_CLOEXEC", "flags %#x, fd flags %d", flags, fdflags);
	co_close(fd);
}

/* ---- timeouts and refusals ---------------------------------------------- */
static void timeouts(void)
{
	int ls = co_listen("127.0.0.1:0", 0), port = port_of(ls), fds[4], n = 0, r;
	long long t0;

	CHECK_EQ("co_accept, timeout 0, none pending", co_accept(ls, 0), -EAGAIN);
	t0 = co_now();
	r = co_accept(ls, 50 * MS);
	check(r == -ETIMEDOUT && co_now() - t0 >= 50 * MS, "co_accept, 50 ms, none: -ETIMEDOUT",
	      "%d after %lld ms", r, (co_now() - t0) / MS);
	/* A backlog of 0 holds one connection the server has not accepted;
	 * the next SYNs are dropped, so a connect waits: until its timeout. */
	while (n < 4 && (r = co_connect(at("127.0.0.1", port), 300 * MS)) >= 0)
		fds[n++] = r;
	check(r == -ETIMEDOUT && n >= 1, "co_connect to a full backlog: -ETIMEDOUT",
	      "%d after %d connections", r, n);
	r = co_accept(ls, 1000 * MS);
	check(r >= 0 && (sys_fcntl(r, F_GETFL, 0) & O_NONBLOCK) && sys_fcntl(r, F_GETFD, 0) == FD_CLOEXEC,
	      "co_accept: a pending one, O_NONBLOCK, CLOEXEC", "%d", r < 0 ? r : 0);
	co_close(r);
	while (n)
		co_close(fds[--n]);
	co_close(ls);
	/* Nobody listens on the port now. */
	CHECK_EQ("co_connect, nobody listening: refused", co_connect(at("127.0.0.1", port), 1000 * MS),
		 -ECONNREFUSED);
	CHECK_EQ("co_accept on a closed fd: -EBADF", co_accept(ls, 0), -EBADF);
}

/* ---- SO_REUSEPORT ------------------------------------------------------- */
static void shared(void)
{
	int a = co_listen_shared("127.0.0.1:0", 4), port = port_of(a), b, c;

	b = co_listen_shared(at("127.0.0.1", port), 4);
	check(a >= 0 && b >= 0, "co_listen_shared twice on one port", "%d, %d", a < 0 ? a : 0, b < 0 ? b : 0);
	c = co_listen(at("127.0.0.1", port), 4);
	CHECK_EQ("co_listen beside them: -EADDRINUSE", c, -EADDRINUSE);
	if (c >= 0)
		co_close(c);
	co_close(a);
	co_close(b);
	a = co_listen("127.0.0.1:0", 4), port = port_of(a);
	CHECK_EQ("co_listen twice on one port: -EADDRINUSE", co_listen(at("127.0.0.1", port), 4), -EADDRINUSE);
	co_close(a);
}

/* ---- addresses refused -------------------------------------------------- */
static const char *const bad[] = {
	"", "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:99999999999",
	"127.0.0.1:8x", "127.0.0.1:-1", "127.0.0.1:+80", "127.0.0.1: 80", ":", ":80 ",
	"localhost:80", "example.com:80", "256.0.0.1:80", "1.2.3:80", "1.2.3.4.5:80",
	"1..2.3:80", "[::1:80", "[::1]", "[::1]:", "[::1]80", "[]:80", "[:::1]:80",
	"[1:2:3:4:5:6:7:8:9]:80", "[1:2:3:4:5:6:7]:80", "[12345::]:80", "[::g]:80",
	"[1::2::3]:80", "[1:]:80", "[::1.2.3]:80", "::1:80", "[::1]:65536",
};

static void addresses(void)
{
	int wrong = 0, r;
	char first[40] = "none";

	for (unsigned i = 0; i < sizeof bad / sizeof *bad; i++) {
		int l = co_listen(bad[i], 4), c = co_connect(bad[i], 0);

		if (l != -EINVAL || c != -EINVAL) {
			if (!wrong++)
				co_format(first, sizeof first, "'%s': %d, %d", bad[i], l, c);
			if (l >= 0)
				co_close(l);
			if (c >= 0)
				co_close(c);
		}
	}
	check(!wrong, "bad addresses: all -EINVAL, listen and connect", "%d of %d wrong; %s",
	      wrong, (int)(sizeof bad / sizeof *bad), first);
	CHECK_EQ("NULL address: -EINVAL", co_listen(0, 4), -EINVAL);
	/* Good ones that are unusual: each parses (binds or fails otherwise). */
	r = co_listen("[::ffff:127.0.0.1]:0", 4);
	check(r != -EINVAL, "\"[::ffff:127.0.0.1]:0\" parses", "%d", r < 0 ? r : 0);
	co_close(r);
	r = co_listen("[0:0:0:0:0:0:0:1]:0", 4);
	check(r != -EINVAL, "\"[0:0:0:0:0:0:0:1]:0\" parses", "%d", r < 0 ? r : 0);
	co_close(r);
	r = co_listen("127.000.0.1:00", 4);
	check(r != -EINVAL, "\"127.000.0.1:00\" parses", "%d", r < 0 ? r : 0);
	co_close(r);
}

int main(void)
{
	round_trips();
	timeouts();
	shared();
	addresses();
	return check_done();
}
