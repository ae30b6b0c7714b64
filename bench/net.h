/*
 * bench/net.h - what the echo benchmark's programs share: the loopback
 * address.
 */
#include <linux/in.h>           /* struct sockaddr_in */
#include <asm/socket.h>         /* SOL_SOCKET, SO_REUSEADDR */
#include "syscalls.h"          /* AF_INET, SOCK_*: with the socket calls */
#include "args.h"

/* 127.0.0.1:port; the port and address in network byte order (most
 * significant byte first), written byte by byte: right on any machine. */
static struct sockaddr_in loopback(unsigned port)
{
	struct sockaddr_in a = { 0 };

	a.sin_family = AF_INET;
	((unsigned char *)&a.sin_port)[0] = (unsigned char)(port >> 8);
	((unsigned char *)&a.sin_port)[1] = (unsigned char)port;
	((unsigned char *)&a.sin_addr.s_addr)[0] = 127;
	((unsigned char *)&a.sin_addr.s_addr)[3] = 1;
	return a;
}
