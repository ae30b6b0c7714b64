/*
 * t_print.c - formatted output.
 *   t_print            the format table, and write_all through a pipe whose
 *                      writes a signal keeps interrupting (partial writes, EINTR)
 *   t_print lines N    print N numbered lines (run.sh compares them)
 *   t_print hello      print one line (run.sh runs it with stdout closed)
 */
#include "check.h"

static void fmt(const char *want, const char *f, ...)
	__attribute__((format(printf, 2, 3)));

static void fmt(const char *want, const char *f, ...)
{
	char buf[64], name[64];
	va_list ap;
	int n;

	va_start(ap, f);
	n = vformat(buf, sizeof buf, f, ap);
	va_end(ap);
	format(name, sizeof name, "format \"%s\"", f);
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
	unsigned char buf[4096];
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
	check(sys_signal(SIGALRM, on_alarm, 0) == 0, "sigaction SIGALRM", "0");
	if (sizeof(long) == 4) {        /* struct itimerval of 32-bit longs */
		struct { long i_sec, i_usec, v_sec, v_usec; } on32 = { 0, 2000, 0, 2000 };
		syscall6(__NR_setitimer, 0 /* ITIMER_REAL */, (long)&on32, 0, 0, 0, 0);
	} else {
		syscall6(__NR_setitimer, 0, (long)&on, 0, 0, 0, 0);
	}
	r = write_all(fds[1], data, N);
	syscall6(__NR_setitimer, 0, (long)&off, 0, 0, 0, 0);
	drain_pipe();
	CHECK_EQ("write_all writes all of 1 MiB", r, N);
	check(got == N && sum == want, "  ... and the reader gets every byte",
	      "%lu bytes, sum %s", got, sum == want ? "equal" : "differs");
	check(signals > 0, "  ... while signals interrupted it", "%lu signals", signals);
}

int main(int argc, char **argv)
{
	if (argc == 3 && str_eq(argv[1], "lines")) {
		long n = 0;
		for (const char *s = argv[2]; *s; s++)
			n = n * 10 + (*s - '0');
		for (long i = 1; i <= n; i++)
			print("line %ld\n", i);
		return 0;
	}
	if (argc == 2 && str_eq(argv[1], "hello")) {
		print("hello\n");
		return 0;
	}

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
	int n = format(small, sizeof small, "%s", "truncated text");
	check(str_eq(small, "truncat") && n == 14, "format truncates, returns the full length",
	      "'%s' %d", small, n);
	n = format(small, 0, "abc");
	CHECK_EQ("format into size 0", n, 3);

	partial_writes();
	return check_done();
}
