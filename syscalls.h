/*
 * syscalls.h - raw Linux system calls, no libc.
 *
 * Public API: programs include it (the tests, the examples, bench/), and
 * its names keep their contract from release to release.
 *
 * Every wrapper is named sys_<system call>, takes the kernel's arguments in
 * the kernel's order and returns what the kernel returns: a result >= 0, or
 * a negative errno in -4095..-1 (sys_failed() tells).  There is no errno
 * variable.  Numbers come from the kernel's UAPI header <asm/unistd.h> of the
 * target architecture; so do the constants below.
 */
#ifndef SYSCALLS_H
#define SYSCALLS_H

#include <asm/unistd.h>     /* __NR_* for the target architecture */
#include <asm/errno.h>      /* EAGAIN, EINVAL, ... */
#include <asm/mman.h>       /* PROT_*, MAP_* */
#include <asm/signal.h>     /* SIG*, SA_* (its structs are not used) */
#include <linux/auxvec.h>   /* AT_* */
#include <linux/fcntl.h>    /* O_* */
#include <linux/time.h>     /* CLOCK_* */
#include <asm/ioctls.h>     /* TCGETS, TIOC* */

/* Time is 64-bit on every architecture (the kernel's __kernel_timespec). */
struct sys_timespec {
	long long tv_sec;
	long long tv_nsec;
};

/* The kernel's signal set: 64 signals, 8 bytes (sigsetsize arguments). */
#define SYS_SIGSET_SIZE 8

/* The kernel's struct sigaction for rt_sigaction(2): its layout differs from
 * libc's.  riscv has no sa_restorer field at all; but QEMU's riscv64 (7.2)
 * writes 8 bytes more than the kernel's 24 as the old action of a signal
 * never set: room for them at the end (the stack protector caught them
 * overrunning event.c's). */
struct sys_sigaction {
	void (*handler)(int, void *info, void *ucontext);
	unsigned long flags;
#if !defined(__riscv)
	void (*restorer)(void);
#endif
	unsigned long mask[SYS_SIGSET_SIZE / sizeof(long)];   /* 64 signals */
#if defined(__riscv)
	unsigned long qemu_room;
#endif
};

/* The kernel's stack_t for sigaltstack(2). */
struct sys_stack {
	void *sp;
	int flags;
	unsigned long size;
};

/* Is r, a system call's return value, an error (a negative errno)? */
static inline int sys_failed(long r) { return (unsigned long)r > -4096UL; }

/* The one primitive: system call nr with up to six arguments. */
long syscall6(long nr, long a, long b, long c, long d, long e, long f);

long sys_read(int fd, void *buf, unsigned long len);
long sys_write(int fd, const void *buf, unsigned long len);
int  sys_openat(int dirfd, const char *path, int flags, int mode);
int  sys_close(int fd);
int  sys_pipe2(int fds[2], int flags);
int  sys_dup3(int oldfd, int newfd, int flags);
int  sys_fcntl(int fd, int cmd, long arg);
int  sys_ioctl(int fd, unsigned long request, void *arg);
void *sys_mmap(void *addr, unsigned long len, int prot, int flags, int fd, long off);
int  sys_munmap(void *addr, unsigned long len);
int  sys_mprotect(void *addr, unsigned long len, int prot);
int  sys_mincore(void *addr, unsigned long len, unsigned char *vec);
int  sys_madvise(void *addr, unsigned long len, int advice);
/* Linux 6.13's guard regions (UAPI value; older headers lack it): pages that
 * fault on any access, set in the page tables without splitting a mapping. */
#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102
#endif
/* Linux 5.10's process_madvise: advice for n ranges (struct iovec: base,
 * length) in one call; the bytes advised, or -errno.  Of the calling
 * process with pidfd PIDFD_SELF (Linux 6.15), which allows any advice.
 * MADV_POPULATE_WRITE (Linux 5.14): fault the pages in now, writable. */
#ifndef __NR_process_madvise
#define __NR_process_madvise 440
#endif
#define PIDFD_SELF (-10000)
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif
long sys_process_madvise(int pidfd, const void *iov, unsigned long n, int advice, unsigned flags);
int  sys_clock_gettime(int clock, struct sys_timespec *ts);
int  sys_clock_nanosleep(int clock, int flags, const struct sys_timespec *req,
			 struct sys_timespec *rem);
int  sys_rt_sigaction(int sig, const struct sys_sigaction *act,
		      struct sys_sigaction *old, unsigned long sigsetsize);
int  sys_sigaltstack(const struct sys_stack *ss, struct sys_stack *old);
int  sys_ppoll(void *fds, unsigned long nfds, const struct sys_timespec *timeout,
	       const void *sigmask, unsigned long sigsetsize);
int  sys_epoll_create1(int flags);
int  sys_epoll_ctl(int epfd, int op, int fd, void *event);
int  sys_epoll_pwait(int epfd, void *events, int maxevents, int timeout_ms,
		     const void *sigmask, unsigned long sigsetsize);
/* Sockets.  The address family and socket types are not in the kernel's
 * UAPI headers (libc defines them); these are the ABI's values. */
#define AF_INET       2
#define AF_INET6      10
#define SOCK_STREAM   1
#define SOCK_NONBLOCK O_NONBLOCK
#define SOCK_CLOEXEC  O_CLOEXEC
#define MSG_DONTWAIT  0x40      /* recvfrom, sendto: this call only */
#define MSG_NOSIGNAL  0x4000    /* sendto: EPIPE without SIGPIPE */
int  sys_socket(int domain, int type, int protocol);
int  sys_setsockopt(int fd, int level, int name, const void *value, unsigned len);
int  sys_bind(int fd, const void *addr, unsigned len);
int  sys_listen(int fd, int backlog);
int  sys_accept4(int fd, void *addr, unsigned *len, int flags);
int  sys_connect(int fd, const void *addr, unsigned len);
long sys_recvfrom(int fd, void *buf, unsigned long len, int flags, void *addr, unsigned *alen);
long sys_sendto(int fd, const void *buf, unsigned long len, int flags,
		const void *addr, unsigned alen);
int  sys_getsockopt(int fd, int level, int name, void *value, unsigned *len);
/* sendfile(2) with a 64-bit offset on every architecture (sendfile64 on the
 * 32-bit ones): bytes sent from in at *off (advanced) to out. */
long sys_sendfile(int out, int in, long long *off, unsigned long count);
int  sys_statx(int dirfd, const char *path, int flags, unsigned mask, void *statx);
/* openat2(2) (Linux 5.6): how is the kernel's struct open_how. */
int  sys_openat2(int dirfd, const char *path, const void *how, unsigned long size);
int  sys_prlimit64(int pid, int resource, const void *limit, void *old);   /* 2 x u64 */
int  sys_setitimer(int which, const void *value, void *old);  /* 4 longs: interval, value */
int  sys_getpid(void);
int  sys_kill(int pid, int sig);
/* Processes and signals (proc.c, signal.c, examples/init.c).  waitid's
 * siginfo is read as ints: see proc.c.  Linux 5.3's pidfd_open has the same
 * number on every architecture (older headers lack it). */
#ifndef __NR_pidfd_open
#define __NR_pidfd_open 434
#endif
#define P_PID          1        /* waitid's idtype: the one child id */
#define P_ALL          0        /* any child */
#define WNOHANG        1
#define WEXITED        4
#define WNOWAIT        0x01000000
#define CLD_EXITED     1        /* si_code: it called exit */
#define PR_SET_CHILD_SUBREAPER 36
int  sys_execve(const char *path, char *const argv[], char *const envp[]);
int  sys_waitid(int idtype, int id, void *info, int options, void *rusage);
int  sys_pidfd_open(int pid, unsigned flags);
int  sys_rt_sigprocmask(int how, const void *set, void *old, unsigned long sigsetsize);
int  sys_rt_sigtimedwait(const void *set, void *info, const struct sys_timespec *timeout,
			 unsigned long sigsetsize);
int  sys_signalfd4(int fd, const void *mask, unsigned long sigsetsize, int flags);
int  sys_prctl(int option, unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5);
int  sys_tgkill(int pid, int tid, int sig);   /* to thread tid of process pid */
_Noreturn void sys_exit(int status);   /* exit_group: ends every thread */

/* ---- not system calls: helpers over them ---------------------------- */

/* Install handler(sig, siginfo, ucontext) for sig with flags (SA_*; SA_SIGINFO
 * is implied), supplying the return trampoline the architecture needs
 * (SA_RESTORER on x86_64 and i386): rt_sigaction.  0 or a negative errno. */
int co_sigaction(int sig, void (*handler)(int, void *, void *), unsigned long flags);

/* The auxiliary vector's entry of this type (AT_*), 0 if absent. */
unsigned long co_auxv(unsigned long type);

/* The names these had, which promised a system call of that name: aliases
 * for one release, then gone. */
#define sys_signal co_sigaction
#define sys_auxv co_auxv

#endif
