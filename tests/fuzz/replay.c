/*
 * replay.c - a fuzz target without libFuzzer: runs LLVMFuzzerTestOneInput
 * once on each file named, or on each file in each directory named (the
 * kept inputs of tests/fuzz/<target>/, a corpus, one crash).  Built with
 * any host C compiler (make fuzz-replay, make test on the host), so the
 * inputs are replayed where libFuzzer is missing.
 *
 * One table line per argument: how many inputs it held, [OK] once all ran.
 * A target's broken promise aborts before the line (the caller sees the
 * status, and the sanitizer's or the target's report on standard error),
 * after a line on standard error naming the input.  An input that takes
 * more than 10 s of CPU time is a hang, as for make fuzz: status 3.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static int checks;

static void hang(int sig)
{
	static const char msg[] = "replay: the input above took more than 10 s of CPU time: a hang\n";

	(void)sig;
	if (write(2, msg, sizeof msg - 1) < 0)
		_exit(3);
	_exit(3);
}

/* One input, from the file at path: 0, or -1 if it cannot be read. */
static int one(const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned char *data;
	long size;

	if (!f)
		return -1;
	if (fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fclose(f);
		return -1;
	}
	data = malloc(size ? size : 1);
	if (!data || fread(data, 1, size, f) != (size_t)size) {
		free(data);
		fclose(f);
		return -1;
	}
	fclose(f);
	fprintf(stderr, "replay: %s\n", path);
	setitimer(ITIMER_VIRTUAL, &(struct itimerval){ .it_value = { 10, 0 } }, 0);
	LLVMFuzzerTestOneInput(data, size);    /* exactly size bytes: ASan sees past them */
	setitimer(ITIMER_VIRTUAL, &(struct itimerval){ { 0, 0 }, { 0, 0 } }, 0);
	free(data);
	return 0;
}

/* A file, or every regular file in a directory (not recursively). */
static int arg(const char *path, int *count)
{
	struct stat st;
	DIR *d;
	struct dirent *e;
	char name[4096];

	if (stat(path, &st))
		return -1;
	if (!S_ISDIR(st.st_mode))
		return one(path) ? -1 : (++*count, 0);
	if (!(d = opendir(path)))
		return -1;
	while ((e = readdir(d))) {
		snprintf(name, sizeof name, "%s/%s", path, e->d_name);
		if (e->d_name[0] == '.' || stat(name, &st) || !S_ISREG(st.st_mode))
			continue;
		if (one(name)) {
			closedir(d);
			return -1;
		}
		++*count;
	}
	closedir(d);
	return 0;
}

int main(int argc, char **argv)
{
	int bad = 0;

	signal(SIGVTALRM, hang);
	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		int count = 0, r = arg(argv[i], &count);
		char obs[64];

		snprintf(obs, sizeof obs, r ? "cannot read it" : "%d inputs, no fault", count);
		printf("%3d %-46.46s %-28s %s\n", ++checks, argv[i], obs, r || !count ? "[FAIL]" : "[OK]");
		fflush(stdout);
		bad |= r || !count;
	}
	return bad;
}
