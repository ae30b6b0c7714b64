/*
 * examples/echo.c - a TCP echo server from raw system calls, one coroutine
 * per connection, each on a chunk of the stack pool.
 *
 *   echo [PORT]     listen on 127.0.0.1:PORT (default 7777)
 *
 * One line per connection opened and closed.  It keeps serving when a client
 * vanishes mid-write (co_write returns -EPIPE: no SIGPIPE), when a
 * client sends nothing (its coroutine waits in the kernel, costing nothing),
 * when accept fails with EMFILE or ENFILE (it backs off for 100 ms instead of
 * spinning), and when the pool is full (the new client gets one line saying
 * so, and is closed).
 */
#include "coroutine.h"
#include "print.h"
#include "syscalls.h"
#include "args.h"
#include <linux/in.h>           /* struct sockaddr_in */
#include <asm/socket.h>         /* SOL_SOCKET, SO_REUSEADDR */

/* v in network byte order (most significant byte first), on any machine. */
static unsigned short be16(unsigned short v)
{
	unsigned char b[2] = { (unsigned char)(v >> 8), (unsigned char)v };
	unsigned short r;

	__builtin_memcpy(&r, b, sizeof r);
	return r;
}

static void connection(void *arg)
{
	int fd = (int)(long)arg;
	char buf[1024];                 /* within every build's frame limit (porting.md) */
	long n, total = 0;

	co_print("echo: connection %d opened (fd %d)\n", co_self(), fd);
	co_flush();
	while ((n = co_read(fd, buf, sizeof buf)) > 0) {
		if (co_write(fd, buf, n) != n)
			break;                  /* the client went away mid-write */
		total += n;
	}
	co_close(fd);
	co_print("echo: connection %d closed after %ld bytes\n", co_self(), total);
	co_flush();
}

int main(int argc, char **argv)
{
	static const char full[] = "echo: server full, try again later\n";
	long port = argc > 1 ? arg_number(argv[1]) : 7777;
	struct sockaddr_in addr = { 0 };
	int one = 1, ls, err;

	if (argc > 2 || port < 0) {
		co_eprint("usage: echo [PORT]   (1-65535, default 7777)\n");
		return CO_EXIT_USAGE;
	}
	addr.sin_family = AF_INET;
	addr.sin_port = be16((unsigned short)port);
	((unsigned char *)&addr.sin_addr.s_addr)[0] = 127;      /* 127.0.0.1 */
	((unsigned char *)&addr.sin_addr.s_addr)[3] = 1;
	ls = err = sys_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (err >= 0)
		err = sys_setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (err >= 0)
		err = sys_bind(ls, &addr, sizeof addr);
	if (err >= 0)
		err = sys_listen(ls, 1024);
	if (err < 0) {
		co_eprint("echo: cannot listen on 127.0.0.1:%ld (errno %d)\n", port, -err);
		return 1;
	}
	co_print("echo: listening on 127.0.0.1:%ld\n", port);
	co_flush();
	for (;;) {
		int fd = sys_accept4(ls, 0, 0, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd == -EAGAIN) {
			co_wait_fd(ls, CO_READ, -1);
		} else if (fd == -EMFILE || fd == -ENFILE || fd == -ENOBUFS || fd == -ENOMEM) {
			co_sleep(100 * 1000000ULL);     /* out of fds: back off */
		} else if (fd >= 0 && co_spawn(connection, (void *)(long)fd) < 0) {
			sys_write(fd, full, sizeof full - 1);   /* the pool is full */
			sys_close(fd);
		}
	}
}
