/*
 * bench/echo_load.c PORT CONNECTIONS SECONDS - drive an echo server: one
 * coroutine per connection, each sending a 64-byte message and waiting for
 * it to come back, over and over, for SECONDS.  Prints round trips per second
 * and the median and 99th percentile of a round trip, in microseconds:
 *     round_trips_per_s p50_us p99_us
 */
#include "coroutine.h"
#include "print.h"
#include "syscalls.h"
#include "net.h"

#define MSG 64
#define BUCKETS 200000                  /* 1 us each, up to 200 ms */

static unsigned hist[BUCKETS];
static unsigned long trips;
static long long deadline;
static unsigned port;
static int failed;

static void client(void *arg)
{
	struct sockaddr_in a = loopback(port);
	char msg[MSG], buf[MSG];
	int fd = sys_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int r = fd < 0 ? fd : sys_connect(fd, &a, sizeof a);

	for (int i = 0; i < MSG; i++)
		msg[i] = (char)((long)arg + i);
	if (r == -EINPROGRESS)
		r = co_wait_fd(fd, CO_WRITE, 5000000000LL) == CO_WRITE ? 0 : -ETIMEDOUT;
	if (r < 0) {
		failed++;
		return;
	}
	while (co_now() < deadline) {
		long long t = co_now();
		long got = 0, n;

		if (co_write(fd, msg, MSG) != MSG)
			break;
		while (got < MSG && (n = co_read(fd, buf + got, MSG - got)) > 0)
			got += n;
		if (got != MSG) {
			failed++;
			break;
		}
		t = (co_now() - t) / 1000;
		hist[t < BUCKETS ? t : BUCKETS - 1]++;
		trips++;
	}
	co_close(fd);
}

static long percentile(unsigned long at)
{
	unsigned long seen = 0;

	for (long i = 0; i < BUCKETS; i++)
		if ((seen += hist[i]) > at)
			return i;
	return BUCKETS;
}

int main(int argc, char **argv)
{
	long conns, secs;

	if (argc != 4)
		return CO_EXIT_USAGE;
	port = arg_number(argv[1]);
	conns = arg_number(argv[2]);
	secs = arg_number(argv[3]);
	deadline = co_now() + secs * 1000000000LL;
	for (long i = 0; i < conns; i++)
		if (co_spawn(client, (void *)i) < 0)
			return 1;
	co_run();
	co_print("%lu %ld %ld %d\n", trips / secs, percentile(trips / 2),
	      percentile(trips - trips / 100 - 1), failed);
	return failed != 0;
}
