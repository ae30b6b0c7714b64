/*
 * bench/net.h - what the echo benchmark's programs share: the loopback
 * address and the constants libc would supply.
 */
#include <linux/in.h>           /* struct sockaddr_in */
#include <asm/socket.h>         /* SOL_SOCKET, SO_REUSEADDR */

#define AF_INET       2
#define SOCK_STREAM   1
#define SOCK_NONBLOCK O_NONBLOCK
#define SOCK_CLOEXEC  O_CLOEXEC

/* 127.0.0.1:port */
static struct sockaddr_in loopback(unsigned port)
{
	struct sockaddr_in a = { 0 };

	a.sin_family = AF_INET;
	a.sin_port = (unsigned short)(port << 8 | port >> 8);
	((unsigned char *)&a.sin_addr.s_addr)[0] = 127;
	((unsigned char *)&a.sin_addr.s_addr)[3] = 1;
	return a;
}

static long number(const char *s)
{
	long n = 0;

	while (*s >= '0' && *s <= '9')
		n = n * 10 + (*s++ - '0');
	return n;
}
