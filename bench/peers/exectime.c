/*
 * bench/peers/exectime.c - exec to exit: how long a program takes from
 * posix_spawn to the end of waitpid, stdout going to /dev/null.
 *
 *   exectime RUNS "PROGRAM [ARG...]" ...
 *
 * The programs take turns (one run of each, RUNS times), so a noisy moment
 * costs each of them alike; prints the least, the median and the most
 * microseconds of each, "MIN MEDIAN MAX", one line each, in the order given.  Arguments are split at spaces (no shell).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

extern char **environ;

static long long now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

/* One run: ns from spawn to reaped, or -1 if it did not exit with 0. */
static long long run(char **argv, posix_spawn_file_actions_t *fa)
{
	long long t = now_ns();
	pid_t pid;
	int st;

	if (posix_spawn(&pid, argv[0], fa, 0, argv, environ) || waitpid(pid, &st, 0) != pid)
		return -1;
	t = now_ns() - t;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? t : -1;
}

int main(int argc, char **argv)
{
	int runs = argc > 2 ? atoi(argv[1]) : 0, n = argc - 2;
	posix_spawn_file_actions_t fa;

	if (runs < 1) {
		fprintf(stderr, "usage: exectime RUNS \"PROGRAM [ARG...]\" ...\n");
		return 2;
	}
	char **cmd[n];
	long long *ns = calloc((size_t)n * runs, sizeof *ns);

	for (int p = 0; p < n; p++) {           /* split at spaces */
		cmd[p] = calloc(strlen(argv[2 + p]) + 2, sizeof *cmd[p]);
		int k = 0;
		for (char *w = strtok(argv[2 + p], " "); w; w = strtok(0, " "))
			cmd[p][k++] = w;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	for (int r = 0; r < runs; r++)
		for (int p = 0; p < n; p++)
			if ((ns[p * runs + r] = run(cmd[p], &fa)) < 0) {
				fprintf(stderr, "exectime: %s failed\n", cmd[p][0]);
				return 1;
			}
	for (int p = 0; p < n; p++) {
		qsort(ns + p * runs, runs, sizeof *ns, cmp);
		printf("%.1f %.1f %.1f\n", ns[p * runs] / 1000.0, ns[p * runs + runs / 2] / 1000.0,
		       ns[p * runs + runs - 1] / 1000.0);
	}
	return 0;
}
