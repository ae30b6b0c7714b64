/*
 * t_print.c - formatted output.
 *   t_print            the format table, and co_write_all through a pipe whose
 *                      writes a signal keeps interrupting (partial writes, EINTR)
 *   t_print lines N    print N numbered lines (run.sh compares them)
 *   t_print hello      print one line (run.sh runs it with stdout closed)
 *   t_print tty        stdout a terminal (a pty's slave) from before the first
 *                      write: each line reaches the pty at its newline
 *   t_print pipe       stdout a pipe: lines stay in the buffer until co_flush
 * (tty and pipe make fd 1 the pty or pipe before anything is printed, since
 * the buffering is decided at the first write; their tables go to the
 * original stdout, put back afterwards.)
 */
#include "check.h"
#include <linux/mman.h>     /* MAP_PRIVATE */
#include <asm/ioctls.h>     /* TIOCSPTLCK, TIOCGPTN */

/* The table feeds the formatter what C's printf does not take (%b, a lone
 * '%', an int to %hhd); gcc lets it through, clang's format checks not. */
#ifdef __clang__
#pragma clang diagnostic ignored "-Wformat"
#endif

static void fmt(const char *want, const char *f, ...)
	__attribute__((format(printf, 2, 3)));

static void fmt(const char *want, const char *f, ...)
{
	char buf[96], name[64];
	va_list ap;
	int n;

	va_start(ap, f);
	n = co_vformat(buf, sizeof buf, f, ap);
	va_end(ap);
	co_format(name, sizeof name, "format \"%s\"", f);
	int len = 0;

	while (want[len])
		len++;
	check(str_eq(buf, want) && n == len, name, "'%s' %d", buf, n);
}

/* ---- partial writes: a handler drains the pipe the writer blocks on ---- */
static int rfd;
static unsigned long got, sum, signals;

static void drain_pipe(void)
{
	static unsigned char buf[4096];  /* a handler's: not re-entered */
	long r;

	while ((r = sys_read(rfd, buf, sizeof buf)) > 0) {
		for (long i = 0; i < r; i++)
			sum = sum * 31 + buf[i];
		got += r;
	}
}

static void on_alarm(int sig, void *info, void *uc)
{
	(void)sig, (void)info, (void)uc;
	signals++;
	drain_pipe();
}

static void partial_writes(void)
{
	enum { N = 1 << 20 };
	static unsigned char data[N];
	unsigned long want = 0;
	int fds[2];
	struct { long long i_sec, i_usec, v_sec, v_usec; } on = { 0, 2000, 0, 2000 }, off = { 0 };
	long r;

	for (unsigned long i = 0; i < N; i++) {
		data[i] = (unsigned char)(i * 7 + i / 251);
		want = want * 31 + data[i];
	}
	r = sys_pipe2(fds, 0);
	check(r == 0, "pipe2", "%ld", r);
	rfd = fds[0];
	syscall6(__NR_fcntl, rfd, F_SETFL, O_NONBLOCK, 0, 0, 0);
	/* no SA_RESTART: a blocked write comes back short, or with -EINTR */
	check(co_sigaction(SIGALRM, on_alarm, 0) == 0, "sigaction SIGALRM", "0");
	if (sizeof(long) == 4) {        /* struct itimerval of 32-bit longs */
		struct { long i_sec, i_usec, v_sec, v_usec; } on32 = { 0, 2000, 0, 2000 };
		syscall6(__NR_setitimer, 0 /* ITIMER_REAL */, (long)&on32, 0, 0, 0, 0);
	} else {
		syscall6(__NR_setitimer, 0, (long)&on, 0, 0, 0, 0);
	}
	r = co_write_all(fds[1], data, N);
	syscall6(__NR_setitimer, 0, (long)&off, 0, 0, 0, 0);
	drain_pipe();
	CHECK_EQ("co_write_all writes all of 1 MiB", r, N);
	check(got == N && sum == want, "  ... and the reader gets every byte",
	      "%lu bytes, sum %s", got, sum == want ? "equal" : "differs");
	check(signals > 0, "  ... while signals interrupted it", "%lu signals", signals);
}

/* The conversions C defines, as C defines them. */
static void conversions(void)
{
	fmt("plain", "plain");
	fmt("42 -17 0", "%d %i %d", 42, -17, 0);
	fmt("-2147483648 2147483647", "%d %d", -2147483647 - 1, 2147483647);
	fmt("4294967295 ffffffff", "%u %x", 4294967295u, 4294967295u);
	fmt("-9223372036854775808", "%lld", -9223372036854775807LL - 1);
	fmt("18446744073709551615", "%llu", 18446744073709551615ULL);
	fmt("ffffffffffffffff", "%llx", 18446744073709551615ULL);
	fmt("-1 4294967295", "%ld %lu", -1L, 4294967295UL);
	fmt("12 z", "%zu %c", (__SIZE_TYPE__)12, 'z');
	fmt("0x0 0x1000", "%p %p", (void *)0, (void *)0x1000);
	const char *volatile null = 0;  /* hidden from the format checker */
	fmt("str (null)", "%s %s", "str", null);
	fmt("100%", "100%%");
	fmt("[   42][42   ][00042]", "[%5d][%-5d][%05d]", 42, 42, 42);
	fmt("[  -42][-0042]", "[%5d][%05d]", -42, -42);
	fmt("[   ab][ab   ]", "[%5s][%-5s]", "ab", "ab");
	fmt("[  0xff]", "[%6p]", (void *)0xff);
	fmt("[x]", "[%1c]", 'x');
	fmt("[123456]", "[%3d]", 123456);

	char small[8];
	int n = co_format(small, sizeof small, "%s", "truncated text");
	check(str_eq(small, "truncat") && n == 14, "format truncates, returns the full length",
	      "'%s' %d", small, n);
	n = co_format(small, 0, "abc");
	CHECK_EQ("format into size 0", n, 3);

}

/* Precision, the flags + space # and '*', on integers and strings. */
static void precision_and_flags(void)
{
	const char *volatile zero_flag = "[%05.3d][%-05d][%08.0x]";   /* unchecked */

	fmt("[007][-007][   007]", "[%.3d][%.3d][%6.3d]", 7, -7, 7);
	fmt("[ -007][3    ][        ]", zero_flag, -7, 3, 0);    /* '0' ignored */
	fmt("[][     |][+][ ]", "[%.0d][%5.0d|][%+.0d][% .0d]", 0, 0, 0, 0);
	fmt("[+42][ 42][+42   ][-42]", "[%+d][% d][%-+6d][% d]", 42, 42, 42, -42);
	fmt("[0xff][0XFF][010][0][0][0]", "[%#x][%#X][%#o][%#o][%#.0o][%#x]", 255, 255, 8, 0, 0, 0);
	fmt("[0x0000ff][  0xff][0b101][101]", "[%#08x][%#6x][%#b][%b]", 255, 255, 5, 5);
	fmt("[   42][42   ][42][0042]", "[%*d][%*d][%.*d][%.*d]", 5, 42, -5, 42, -1, 42, 4, 42);
	fmt("[ab][  abc][abc  ][]", "[%.*s][%*.*s][%-*s][%.0s]", 2, "abc", 5, 3, "abcdef", 5, "abc", "x");
	fmt("[0x10    ][%]", "[%-8p][%%]", (void *)0x10);
	fmt("[-5] [%5.2f] [abc] [00000002] [4   |] [255]",  /* the issue's */
	    "[%lld] [%5.2f] [%.*s] [%08x] [%-4d|] [%zu]",
	    -5LL, 3.14159, 3, "abcdef", 2, 4, (__SIZE_TYPE__)255);
}

/* hh h l ll z t j: each argument read at its size, then cut to it. */
static void lengths(void)
{
	fmt("44 255 4464 ffff", "%hhd %hhu %hd %hx", 300, -1, 70000, -1);
	fmt("1 2 3 -4", "%d %lld %d %lld", 1, 2LL, 3, -4LL);   /* 8-aligned */
	fmt("-9223372036854775808", "%jd", (__INTMAX_TYPE__)-9223372036854775807LL - 1);
	fmt("-1 -2", "%zd %td", (__PTRDIFF_TYPE__)-1, (__PTRDIFF_TYPE__)-2);
	fmt(sizeof(long) == 8 ? "ffffffffffffffff 7" : "ffffffff 7", "%zx %d",
	    (__SIZE_TYPE__)-1, 7);
	fmt("1777777777777777777777", "%llo", 18446744073709551615ULL);
	fmt("1000000000000000000000000000000000000000000000000000000000000000",
	    "%llb", 1ULL << 63);
}

/* Conversions the formatter does not do: printed as written, their
 * arguments stepped over, so the ones after them still print right.  Ten
 * doubles: eight in vector registers, two on the stack, on the 64-bit
 * machines.  fmt() passes them on through its own va_list; co_format() takes
 * them itself (built without floating-point registers on x86_64, aarch64). */
static void unsupported(void)
{
	char buf[160];
	int untouched = 5, n;

	fmt("%f 1 %.3e 2 %Lf 3 %*g 4", "%f %d %.3e %d %Lf %d %*g %d",
	    1.5, 1, 2.5, 2, 3.5L, 3, 7, 4.5, 4);
	fmt("%n|%lc|%ls|%m|9", "%n|%lc|%ls|%m|%d", &untouched,
	    (__WINT_TYPE__)'x', (const __WCHAR_TYPE__ *)L"w", 9);
	CHECK_EQ("  ... %n stores nothing", untouched, 5);
	n = co_format(buf, sizeof buf, "%d%a%d%f%d%e%d%g%d%f%d%f%d%f%d%f%d%f%d%Lf%d%s",
		   1, 1.0, 2, 2.0, 3, 3.0, 4, 4.0, 5, 5.0, 6, 6.0, 7, 7.0, 8, 8.0,
		   9, 9.0, 10, 10.0L, 11, "end");
	check(str_eq(buf, "1%a2%f3%e4%g5%f6%f7%f8%f9%f10%Lf11end") && n == 37,
	      "format: 9 doubles, a long double, 11 ints", "'%s' %d", buf, n);
	fmt("1%f2%f3%f4%f5%f6%f7%f8%f9%f10%f11end",
	    "%d%f%d%f%d%f%d%f%d%f%d%f%d%f%d%f%d%f%d%f%d%s", 1, 1.0, 2, 2.0, 3, 3.0,
	    4, 4.0, 5, 5.0, 6, 6.0, 7, 7.0, 8, 8.0, 9, 9.0, 10, 10.0, 11, "end");
	fmt("%Lf 1 %Lf 2", "%Lf %d %Lf %d", 1.0L, 1, 2.0L, 2);
#if defined(__DEC32_MANT_DIG__)         /* x86_64, i386, s390x */
	fmt("%Hf 1 %Df 2 %DDf 3", "%Hf %d %Df %d %DDf %d", 1.5DF, 1, 2.5DD, 2, 3.5DL, 3);
#endif
	const char *volatile lone = "50%";
	fmt("50%", lone);                       /* a '%' at the very end */
}

/* %.Ns reads no further than N bytes: the string ends at a page nobody may
 * read (64 KiB ones, for any page size up to that). */
static void precision_bounds_reads(void)
{
	enum { HALF = 65536 };
	char *mem = sys_mmap(0, 2 * HALF, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char buf[16];
	int n;

	if (sys_failed((long)mem) || sys_mprotect(mem + HALF, HALF, PROT_NONE)) {
		check(0, "%.4s before an unreadable page", "mmap %ld", (long)mem);
		return;
	}
	for (int i = 0; i < 4; i++)
		mem[HALF - 4 + i] = "abcd"[i];  /* and no NUL */
	n = co_format(buf, sizeof buf, "[%.4s][%.*s]", mem + HALF - 4, 2, mem + HALF - 2);
	check(str_eq(buf, "[abcd][cd]") && n == 10, "%.4s of 4 bytes before an unreadable page",
	      "'%s' %d", buf, n);
	sys_munmap(mem, 2 * HALF);
}

/* A result longer than INT_MAX: -1, as snprintf. */
static void too_long(void)
{
	volatile int max = __INT_MAX__;         /* hidden from the checker */
	int n = co_format(0, 0, "%*d%*d", max, 1, max, 2);
	char small[8];

	CHECK_EQ("format: a result past INT_MAX is -1", n, -1);
	n = co_format(0, 0, "%*d", max, 1);
	CHECK_EQ("  ... and one of INT_MAX its length", n, __INT_MAX__);
	/* Into a small buffer: what does not fit is counted, never padded a
	 * byte at a time (4 GiB of padding a call: a hundred calls would take
	 * many minutes, past run.sh's bound on a program). */
	for (int i = 0; i < 100; i++)
		n = co_format(small, sizeof small, "%*d%.*d", max, 1, max, 2);
	check(n == -1 && str_eq(small, "       "), "format: INT_MAX width and precision, 8 bytes",
	      "'%s' %d (x100)", small, n);
}

static int str_len(const char *s)
{
	int n = 0;

	while (s[n])
		n++;
	return n;
}

/* ---- buffering: line by line on a terminal, fully elsewhere ------------- */

/* fd 1 becomes fd; returns the original stdout (a copy), or -1. */
static int stdout_to(int fd)
{
	int orig = sys_fcntl(1, F_DUPFD_CLOEXEC, 10);

	if (orig >= 0 && sys_dup3(fd, 1, 0) < 0)
		return -1;
	return orig;
}

/* Up to len bytes from fd into buf (NUL-terminated) until it holds want,
 * waiting up to 10 s for each read: a line held back never comes. */
static long read_until(int fd, char *buf, long len, const char *want)
{
	struct { int fd; short events, revents; } p = { fd, 1 /* POLLIN */, 0 };
	struct sys_timespec ten = { 10, 0 };
	long got = 0, r;

	buf[0] = 0;
	while (!str_eq(buf, want) && got < len - 1 && sys_ppoll(&p, 1, &ten, 0, 0) == 1 &&
	       (r = sys_read(fd, buf + got, len - 1 - got)) > 0) {
		got += r;
		buf[got] = 0;
	}
	return got;
}

static int tty(void)
{
	int m = sys_openat(-100 /* AT_FDCWD */, "/dev/ptmx", O_RDWR | O_NOCTTY, 0);
	int unlock = 0, n = -1, slave = -1, orig;
	char path[32], buf[32], buf2[32];

	if (m >= 0 && !syscall6(__NR_ioctl, m, TIOCSPTLCK, (long)&unlock, 0, 0, 0) &&
	    !syscall6(__NR_ioctl, m, TIOCGPTN, (long)&n, 0, 0, 0)) {
		co_format(path, sizeof path, "/dev/pts/%d", n);
		slave = sys_openat(-100, path, O_RDWR | O_NOCTTY, 0);
	}
	if (slave < 0 || (orig = stdout_to(slave)) < 0) {
		co_print("%3d %-46s %-28s %s\n", 1, "stdout a terminal: line-buffered",
			 m < 0 ? "no /dev/ptmx" : "no pty", "[SKIP]");
		return 0;
	}
	co_print("a line\n");                   /* decides: a terminal */
	read_until(m, buf, sizeof buf, "a line\r\n");
	co_print("second ");
	co_print("line\n");
	read_until(m, buf2, sizeof buf2, "second line\r\n");
	sys_dup3(orig, 1, 0);
	check(str_eq(buf, "a line\r\n"), "stdout a terminal: a line written at its \\n",
	      "%d bytes", str_len(buf));
	check(str_eq(buf2, "second line\r\n"), "  ... and one printed in two pieces",
	      "%d bytes", str_len(buf2));
	return check_done();
}

static int pipe(void)
{
	int fds[2], orig;
	char buf[16] = "";
	long r;

	if (sys_pipe2(fds, O_NONBLOCK) || (orig = stdout_to(fds[1])) < 0)
		return 1;
	co_print("a line\n");                   /* decides: not a terminal */
	r = sys_read(fds[0], buf, sizeof buf - 1);
	co_flush();
	read_until(fds[0], buf, sizeof buf, "a line\n");
	sys_dup3(orig, 1, 0);
	CHECK_EQ("stdout a pipe: a line stays in the buffer", r, -EAGAIN);
	check(str_eq(buf, "a line\n"), "  ... until co_flush", "'%.6s'", buf);
	return check_done();
}

int main(int argc, char **argv)
{
	if (argc == 2 && str_eq(argv[1], "tty"))
		return tty();
	if (argc == 2 && str_eq(argv[1], "pipe"))
		return pipe();
	if (argc == 3 && str_eq(argv[1], "lines")) {
		long n = arg_number(argv[2]);

		for (long i = 1; i <= n; i++)
			co_print("line %ld\n", i);
		return 0;
	}
	if (argc == 2 && str_eq(argv[1], "hello")) {
		co_print("hello\n");
		return 0;
	}

	conversions();
	precision_and_flags();
	lengths();
	unsupported();
	precision_bounds_reads();
	too_long();
	partial_writes();
	return check_done();
}
