/*
 * t_clock.c - co_now(): the vDSO's clock where the kernel maps one (not
 * under QEMU user mode), the system call otherwise; either way
 * CLOCK_MONOTONIC, never going back.
 */
#include "check.h"

static long long sys_now(void)
{
	struct sys_timespec t;

	sys_clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

int main(void)
{
	unsigned long ehdr = co_auxv(AT_SYSINFO_EHDR);
	long long a, b, c, prev, back = 0;

	CHECK_EQ("co_now uses the vDSO iff there is one", co_now_vdso(), ehdr != 0);
	a = sys_now();
	b = co_now();
	c = sys_now();
	check(a <= b && b <= c, "co_now lies between two system calls", "%lld, %lld ns",
	      b - a, c - b);
	prev = co_now();
	for (int i = 0; i < 100000; i++) {
		long long t = co_now();

		back += t < prev;
		prev = t;
	}
	CHECK_EQ("co_now never goes back (100000 reads)", back, 0);
	return check_done();
}
