/*
 * syscalls.c - the raw system-call primitive and its typed wrappers.
 *
 * One primitive, syscall6(), in a marked block per architecture; every
 * wrapper below is plain C over it.  Errors come back as -errno in the
 * return register on every architecture listed here.
 */
#include "syscalls.h"
#include "arch.h"

/* ---- the primitive ---------------------------------------------------- */
#if defined(__x86_64__)
/*
 * x86_64:  number in rax; arguments in rdi, rsi, rdx, r10, r8, r9;
 *          `syscall`; result in rax; the kernel clobbers rcx and r11.
 */
long syscall6(long n, long a, long b, long c, long d, long e, long f)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	__asm__ volatile ("syscall"
			  : "+a"(n)
			  : "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			  : "rcx", "r11", "memory");
	return n;
}

#elif defined(__aarch64__)
/*
 * aarch64: number in x8; arguments in x0..x5; `svc #0`; result in x0.
 */
long syscall6(long n, long a, long b, long c, long d, long e, long f)
{
	register long x8 __asm__("x8") = n;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;
	register long x4 __asm__("x4") = e;
	register long x5 __asm__("x5") = f;
	__asm__ volatile ("svc #0"
			  : "+r"(x0)
			  : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
			  : "memory");
	return x0;
}

#elif defined(__riscv) && __riscv_xlen == 64
/*
 * riscv64: number in a7; arguments in a0..a5; `ecall`; result in a0.
 */
long syscall6(long n, long a, long b, long c, long d, long e, long f)
{
	register long a7 __asm__("a7") = n;
	register long a0 __asm__("a0") = a;
	register long a1 __asm__("a1") = b;
	register long a2 __asm__("a2") = c;
	register long a3 __asm__("a3") = d;
	register long a4 __asm__("a4") = e;
	register long a5 __asm__("a5") = f;
	__asm__ volatile ("ecall"
			  : "+r"(a0)
			  : "r"(a7), "r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a5)
			  : "memory");
	return a0;
}

#elif defined(__arm__)
/*
 * arm (EABI): number in r7; arguments in r0..r5; `svc #0`; result in r0.
 * C is built as Thumb-2, where r7 is the frame pointer if there is one:
 * there is none here (-fomit-frame-pointer, the default when optimising).
 */
long syscall6(long n, long a, long b, long c, long d, long e, long f)
{
	register long r7 __asm__("r7") = n;
	register long r0 __asm__("r0") = a;
	register long r1 __asm__("r1") = b;
	register long r2 __asm__("r2") = c;
	register long r3 __asm__("r3") = d;
	register long r4 __asm__("r4") = e;
	register long r5 __asm__("r5") = f;
	__asm__ volatile ("svc #0"
			  : "+r"(r0)
			  : "r"(r7), "r"(r1), "r"(r2), "r"(r3), "r"(r4), "r"(r5)
			  : "memory");
	return r0;
}

#elif defined(__i386__)
/*
 * i386:    number in eax; arguments in ebx, ecx, edx, esi, edi, ebp;
 *          `int $0x80`; result in eax.  ebp cannot be named as an operand,
 *          so eax carries the address of {n, f} and ebp is loaded by hand.
 */
long syscall6(long n, long a, long b, long c, long d, long e, long f)
{
	long nf[2] = { n, f };
	long ret;
	__asm__ volatile ("push %%ebp\n\t"
			  "mov 4(%%eax), %%ebp\n\t"
			  "mov (%%eax), %%eax\n\t"
			  "int $0x80\n\t"
			  "pop %%ebp"
			  : "=a"(ret)
			  : "a"(nf), "b"(a), "c"(b), "d"(c), "S"(d), "D"(e)
			  : "memory");
	return ret;
}

#elif defined(__s390x__)
/*
 * s390x:   number in r1; arguments in r2..r7; `svc 0`; result in r2.
 *          r6 and r7 are callee-saved: the compiler saves them around it.
 */
long syscall6(long n, long a, long b, long c, long d, long e, long f)
{
	register long r1 __asm__("r1") = n;
	register long r2 __asm__("r2") = a;
	register long r3 __asm__("r3") = b;
	register long r4 __asm__("r4") = c;
	register long r5 __asm__("r5") = d;
	register long r6 __asm__("r6") = e;
	register long r7 __asm__("r7") = f;
	__asm__ volatile ("svc 0"
			  : "+r"(r2)
			  : "r"(r1), "r"(r3), "r"(r4), "r"(r5), "r"(r6), "r"(r7)
			  : "memory");
	return r2;
}

#else
#error "unsupported architecture: add a syscall6 block (see docs/porting.md)"
#endif

/* ---- signal return trampolines ---------------------------------------- */
/* x86_64 and i386 return from a handler through the SA_RESTORER address
 * (arch.h's ARCH_RESTORER); the other architectures find the kernel's own
 * trampoline. */
#define STR_(x) #x
#define STR(x) STR_(x)
#if ARCH_RESTORER
void co_sigreturn(void);
/* A handler returns to co_sigreturn; an unwinder (valgrind's, gdb's) looks
 * up the byte before a return address, so a named byte goes first, as the
 * nop before glibc's __restore_rt: never an unnamed frame. */
__asm__(".text\n"
	".type _co_sigreturn_pad, @function\n"
	"_co_sigreturn_pad:\n\tnop\n"
	".size _co_sigreturn_pad, 1\n"
	".type co_sigreturn, @function\n"
	"co_sigreturn:\n\t"
	"mov $" STR(__NR_rt_sigreturn) ", %eax\n\t"
#if defined(__x86_64__)
	"syscall\n"
#else
	"int $0x80\n"
#endif
	".size co_sigreturn, .-co_sigreturn\n");
#define RESTORER SA_RESTORER
#else
#define RESTORER 0
#endif

/* ---- typed wrappers ---------------------------------------------------- */
/* SC(n, args...): up to six arguments; those a system call does not take
 * are left out, and their registers hold whatever they hold (the kernel
 * reads no more than the call takes), so no instruction sets them. */
#define SC(...) SC_(__VA_ARGS__, _co_unset(), _co_unset(), _co_unset(), \
		    _co_unset(), _co_unset(), _co_unset())
#define SC_(n, a, b, c, d, e, f, ...) \
	syscall6(n, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))

long sys_read(int fd, void *buf, unsigned long len)
{ return SC(__NR_read, fd, buf, len); }

long sys_write(int fd, const void *buf, unsigned long len)
{ return SC(__NR_write, fd, buf, len); }

int sys_openat(int dirfd, const char *path, int flags, int mode)
{ return SC(__NR_openat, dirfd, path, flags, mode); }

int sys_close(int fd)
{ return SC(__NR_close, fd); }

int sys_pipe2(int fds[2], int flags)
{ return SC(__NR_pipe2, fds, flags); }

int sys_dup3(int oldfd, int newfd, int flags)
{ return SC(__NR_dup3, oldfd, newfd, flags); }

int sys_fcntl(int fd, int cmd, long arg)
{ return SC(__NR_fcntl, fd, cmd, arg); }

int sys_ioctl(int fd, unsigned long request, void *arg)
{ return SC(__NR_ioctl, fd, request, arg); }

void *sys_mmap(void *addr, unsigned long len, int prot, int flags, int fd, long off)
{
#ifdef __NR_mmap2       /* 32-bit: the offset counts 4096-byte units */
	return (void *)SC(__NR_mmap2, addr, len, prot, flags, fd, off >> 12);
#elif defined(__s390x__)  /* s390x's mmap is old_mmap: the six in memory */
	long args[6] = { (long)addr, (long)len, prot, flags, fd, off };
	return (void *)SC(__NR_mmap, args, 0, 0, 0, 0, 0);
#else
	return (void *)SC(__NR_mmap, addr, len, prot, flags, fd, off);
#endif
}

int sys_munmap(void *addr, unsigned long len)
{ return SC(__NR_munmap, addr, len); }

int sys_mprotect(void *addr, unsigned long len, int prot)
{ return SC(__NR_mprotect, addr, len, prot); }

int sys_mincore(void *addr, unsigned long len, unsigned char *vec)
{ return SC(__NR_mincore, addr, len, vec); }

int sys_madvise(void *addr, unsigned long len, int advice)
{ return SC(__NR_madvise, addr, len, advice); }

long sys_process_madvise(int pidfd, const void *iov, unsigned long n, int advice, unsigned flags)
{ return SC(__NR_process_madvise, pidfd, iov, n, advice, flags); }

/* 32-bit architectures: the time64 calls, so 2038 passes unnoticed. */
#ifdef __NR_clock_gettime64
#define NR_CLOCK_GETTIME   __NR_clock_gettime64
#define NR_CLOCK_NANOSLEEP __NR_clock_nanosleep_time64
#define NR_PPOLL           __NR_ppoll_time64
#else
#define NR_CLOCK_GETTIME   __NR_clock_gettime
#define NR_CLOCK_NANOSLEEP __NR_clock_nanosleep
#define NR_PPOLL           __NR_ppoll
#endif

int sys_clock_gettime(int clock, struct sys_timespec *ts)
{ return SC(NR_CLOCK_GETTIME, clock, ts); }

int sys_clock_nanosleep(int clock, int flags, const struct sys_timespec *req,
			struct sys_timespec *rem)
{ return SC(NR_CLOCK_NANOSLEEP, clock, flags, req, rem); }

int sys_ppoll(void *fds, unsigned long nfds, const struct sys_timespec *timeout,
	      const void *sigmask, unsigned long sigsetsize)
{ return SC(NR_PPOLL, fds, nfds, timeout, sigmask, sigsetsize); }

int sys_rt_sigaction(int sig, const struct sys_sigaction *act,
		     struct sys_sigaction *old, unsigned long sigsetsize)
{ return SC(__NR_rt_sigaction, sig, act, old, sigsetsize); }

int sys_sigaltstack(const struct sys_stack *ss, struct sys_stack *old)
{ return SC(__NR_sigaltstack, ss, old); }

int sys_epoll_create1(int flags)
{ return SC(__NR_epoll_create1, flags); }

int sys_epoll_ctl(int epfd, int op, int fd, void *event)
{ return SC(__NR_epoll_ctl, epfd, op, fd, event); }

int sys_epoll_pwait(int epfd, void *events, int maxevents, int timeout_ms,
		    const void *sigmask, unsigned long sigsetsize)
{ return SC(__NR_epoll_pwait, epfd, events, maxevents, timeout_ms, sigmask, sigsetsize); }

int sys_socket(int domain, int type, int protocol)
{ return SC(__NR_socket, domain, type, protocol); }

int sys_setsockopt(int fd, int level, int name, const void *value, unsigned len)
{ return SC(__NR_setsockopt, fd, level, name, value, len); }

int sys_bind(int fd, const void *addr, unsigned len)
{ return SC(__NR_bind, fd, addr, len); }

int sys_listen(int fd, int backlog)
{ return SC(__NR_listen, fd, backlog); }

int sys_accept4(int fd, void *addr, unsigned *len, int flags)
{ return SC(__NR_accept4, fd, addr, len, flags); }

int sys_connect(int fd, const void *addr, unsigned len)
{ return SC(__NR_connect, fd, addr, len); }

long sys_recvfrom(int fd, void *buf, unsigned long len, int flags, void *addr, unsigned *alen)
{ return SC(__NR_recvfrom, fd, buf, len, flags, addr, alen); }

long sys_sendto(int fd, const void *buf, unsigned long len, int flags,
		const void *addr, unsigned alen)
{ return SC(__NR_sendto, fd, buf, len, flags, addr, alen); }

int sys_getsockopt(int fd, int level, int name, void *value, unsigned *len)
{ return SC(__NR_getsockopt, fd, level, name, value, len, 0); }

#ifdef __NR_sendfile64  /* 32-bit: the call whose offset is 64 bits */
#define NR_SENDFILE __NR_sendfile64
#else
#define NR_SENDFILE __NR_sendfile
#endif
long sys_sendfile(int out, int in, long long *off, unsigned long count)
{ return SC(NR_SENDFILE, out, in, off, count, 0, 0); }

int sys_statx(int dirfd, const char *path, int flags, unsigned mask, void *statx)
{ return SC(__NR_statx, dirfd, path, flags, mask, statx, 0); }

int sys_openat2(int dirfd, const char *path, const void *how, unsigned long size)
{ return SC(__NR_openat2, dirfd, path, how, size, 0, 0); }

int sys_prlimit64(int pid, int resource, const void *limit, void *old)
{ return SC(__NR_prlimit64, pid, resource, limit, old); }

int sys_setitimer(int which, const void *value, void *old)
{ return SC(__NR_setitimer, which, value, old); }

int sys_getpid(void)
{ return SC(__NR_getpid); }

int sys_kill(int pid, int sig)
{ return SC(__NR_kill, pid, sig); }

int sys_tgkill(int pid, int tid, int sig)
{ return SC(__NR_tgkill, pid, tid, sig); }

int sys_execve(const char *path, char *const argv[], char *const envp[])
{ return SC(__NR_execve, path, argv, envp, 0, 0, 0); }

int sys_waitid(int idtype, int id, void *info, int options, void *rusage)
{ return SC(__NR_waitid, idtype, id, info, options, rusage, 0); }

int sys_pidfd_open(int pid, unsigned flags)
{ return SC(__NR_pidfd_open, pid, flags, 0, 0, 0, 0); }

int sys_rt_sigprocmask(int how, const void *set, void *old, unsigned long sigsetsize)
{ return SC(__NR_rt_sigprocmask, how, set, old, sigsetsize, 0, 0); }

#ifdef __NR_rt_sigtimedwait_time64      /* 32-bit: the time64 call */
#define NR_RT_SIGTIMEDWAIT __NR_rt_sigtimedwait_time64
#else
#define NR_RT_SIGTIMEDWAIT __NR_rt_sigtimedwait
#endif
int sys_rt_sigtimedwait(const void *set, void *info, const struct sys_timespec *timeout,
			unsigned long sigsetsize)
{ return SC(NR_RT_SIGTIMEDWAIT, set, info, timeout, sigsetsize, 0, 0); }

int sys_signalfd4(int fd, const void *mask, unsigned long sigsetsize, int flags)
{ return SC(__NR_signalfd4, fd, mask, sigsetsize, flags, 0, 0); }

int sys_prctl(int option, unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5)
{ return SC(__NR_prctl, option, a2, a3, a4, a5, 0); }

_Noreturn void sys_exit(int status)
{
	SC(__NR_exit_group, status);
	__builtin_unreachable();        /* exit_group does not return */
}

int co_sigaction(int sig, void (*handler)(int, void *, void *), unsigned long flags)
{
	/* SA_SIGINFO always: the handler takes three arguments, and i386 then
	 * builds the rt frame that co_sigreturn's rt_sigreturn expects. */
	struct sys_sigaction sa = { .handler = handler, .flags = flags | SA_SIGINFO | RESTORER };
#if RESTORER
	sa.restorer = co_sigreturn;
#endif
	return sys_rt_sigaction(sig, &sa, 0, SYS_SIGSET_SIZE);
}

/* ---- the auxiliary vector -------------------------------------------- */
/* Set by _co_start_c (boot.c): the environment, after whose NULL the
 * kernel put the auxiliary vector, found here (no scan at start). */
char **_co_envp;

unsigned long co_auxv(unsigned long type)
{
	char **e = _co_envp;

	if (!e)
		return 0;
	while (*e++)
		;
	for (unsigned long *a = (unsigned long *)e; a[0] != AT_NULL; a += 2)
		if (a[0] == type)
			return a[1];
	return 0;
}
