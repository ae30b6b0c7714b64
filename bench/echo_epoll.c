/*
 * bench/echo_epoll.c PORT - the yardstick for examples/echo.c: a
 * single-threaded epoll echo server written the other way, with callbacks
 * (one function per kind of fd, called from the event loop) and no
 * coroutines.  Level-triggered, so each callback does one read.
 */
#include "coroutine.h"
#include "syscalls.h"
#include "print.h"
#include <linux/eventpoll.h>
#include "net.h"

#define MAX_FDS 4096            /* this yardstick's handler table */
static int epfd, ls;
static void (*handler[MAX_FDS])(int fd);

static void on_data(int fd)
{
	char buf[4096];
	long n = sys_read(fd, buf, sizeof buf);

	if (n == -EAGAIN)
		return;
	if (n <= 0) {
		handler[fd] = 0;
		sys_close(fd);          /* leaves the epoll set by itself */
		return;
	}
	for (long done = 0; done < n; ) {
		long w = sys_write(fd, buf + done, n - done);

		if (w > 0)
			done += w;
		else if (w != -EAGAIN && w != -EINTR)
			break;          /* the client went away */
	}
}

static void on_accept(int fd)
{
	int c;

	while ((c = sys_accept4(fd, 0, 0, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
		struct epoll_event ev = { EPOLLIN, (unsigned)c };

		if (c >= MAX_FDS) {
			sys_close(c);
			continue;
		}
		handler[c] = on_data;
		sys_epoll_ctl(epfd, EPOLL_CTL_ADD, c, &ev);
	}
}

int main(int argc, char **argv)
{
	struct sockaddr_in a = loopback(argc > 1 ? arg_number(argv[1]) : 7778);
	struct epoll_event ev = { EPOLLIN, 0 }, evs[256];
	int one = 1;

	co_sigaction(SIGPIPE, (void (*)(int, void *, void *))1 /* SIG_IGN */, 0);
	ls = sys_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	sys_setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (sys_bind(ls, &a, sizeof a) < 0 || sys_listen(ls, 4096) < 0)
		return 1;
	epfd = sys_epoll_create1(EPOLL_CLOEXEC);
	ev.data = ls;
	handler[ls] = on_accept;
	sys_epoll_ctl(epfd, EPOLL_CTL_ADD, ls, &ev);
	co_put_str(1, "listening\n");
	co_flush();
	for (;;) {
		int n = sys_epoll_pwait(epfd, evs, 256, -1, 0, 8);

		for (int i = 0; i < n; i++) {
			int fd = (int)evs[i].data;

			if (handler[fd])
				handler[fd](fd);
		}
	}
}
