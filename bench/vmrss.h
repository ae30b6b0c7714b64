/*
 * bench/vmrss.h - VmRSS of /proc/self/status, for bench.c and scale.c.
 * Reads into a buffer on the caller's stack: a program's own static data
 * lies beyond the pool, out of reach of some code models when it is large.
 */
#ifndef VMRSS_H
#define VMRSS_H
#include "syscalls.h"

/* Resident memory of this process in bytes, 0 if it cannot be read. */
static long vm_rss(void)
{
	char st[4096];
	int fd = sys_openat(-100 /* AT_FDCWD */, "/proc/self/status", O_RDONLY, 0);
	long n = fd < 0 ? 0 : sys_read(fd, st, sizeof st - 1), kib = 0;

	if (fd >= 0)
		sys_close(fd);
	st[n > 0 ? n : 0] = 0;
	for (char *p = st; *p; p++)
		if (p[0] == 'V' && p[1] == 'm' && p[2] == 'R' && p[3] == 'S' && p[4] == 'S') {
			for (p += 6; *p == ' ' || *p == '\t'; p++)
				;
			while (*p >= '0' && *p <= '9')
				kib = kib * 10 + *p++ - '0';
			break;
		}
	return kib * 1024;
}
#endif
