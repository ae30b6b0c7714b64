/*
 * examples/pipeline.c - a producer, a pool of workers and a collector,
 * joined by buffered channels.
 *
 *   pipeline [JOBS [WORKERS]]   JOBS numbers (1 .. 1000000, default 1000)
 *                               squared by WORKERS coroutines (default 4)
 *
 *   producer --jobs--> worker 1 --results--> collector (main)
 *                      worker 2
 *                      ...
 *
 * The producer sends the jobs 1 .. JOBS, then closes `jobs`; each worker
 * takes jobs until the channel is closed and empty, works (sleeps a moment,
 * as if it waited on a device), and sends the square of each to `results`;
 * the last worker to finish closes `results`, and the collector, which has
 * received until then, prints one line:
 *     pipeline: 1000 jobs, 4 workers: 1000 results, sum of squares 333833500
 * Every wait has a timeout, a watchdog: a stage that waits longer than a
 * second for the next has stalled, and says so (status 1).  Status 2 for
 * bad arguments.
 */
#include "coroutine.h"
#include "print.h"
#include "args.h"

#define STALL (1000 * 1000000LL)        /* a second: a stage has stalled */
#define MAX_JOBS 1000000

struct result {
	unsigned job;
	unsigned long long square;
};

CO_CHAN_DECLARE(jobs, unsigned, 16);
CO_CHAN_DECLARE(results, struct result, 16);
static unsigned njobs;
static long working;

/* A stage waited a second for the next: say which, and end the process. */
static void stalled(const char *stage, int err)
{
	co_eprint("pipeline: the %s stalled (error %d)\n", stage, err);
	co_exit_process(1);
}

static void producer(void *arg)
{
	int err;

	(void)arg;
	for (unsigned job = 1; job <= njobs; job++)
		if ((err = co_send(&jobs, &job, STALL)))
			stalled("producer", err);
	co_chan_close(&jobs);
}

static void worker(void *arg)
{
	unsigned job;
	int err;

	(void)arg;
	while ((err = co_recv(&jobs, &job, STALL)) == 0) {
		struct result r = { job, (unsigned long long)job * job };

		co_sleep(job % 4 * 100000);     /* 0 to 300 microseconds of "work" */
		if ((err = co_send(&results, &r, STALL)))
			stalled("worker", err);
	}
	if (err != -EPIPE)                      /* not the end of the jobs */
		stalled("worker", err);
	if (--working == 0)
		co_chan_close(&results);
}

int main(int argc, char **argv)
{
	long count = argc > 1 ? arg_number(argv[1]) : 1000;
	long workers = argc > 2 ? arg_number(argv[2]) : 4;
	unsigned long long sum = 0;
	struct result r;
	long got = 0;
	int err;

	if (argc > 3 || count < 1 || count > MAX_JOBS || workers < 1) {
		co_eprint("usage: pipeline [JOBS [WORKERS]]   (JOBS 1-1000000, default 1000; "
			  "WORKERS default 4)\n");
		return CO_EXIT_USAGE;
	}
	if (workers > CO_CAPACITY - 1) {
		co_eprint("pipeline: %ld workers and the producer need %ld coroutines; "
			  "the pool holds %d (make CAPACITY=...)\n", workers, workers + 1, CO_CAPACITY);
		return CO_EXIT_USAGE;
	}
	njobs = (unsigned)count;
	err = co_spawn(producer, 0);
	for (working = 0; working < workers && err >= 0; working++)
		err = co_spawn(worker, 0);
	if (err < 0) {
		co_eprint("pipeline: cannot start a coroutine (error %d)\n", err);
		return 1;
	}
	while ((err = co_recv(&results, &r, STALL)) == 0) {
		sum += r.square;
		got++;
	}
	if (err != -EPIPE)
		stalled("collector", err);
	co_print("pipeline: %u jobs, %ld worker%s: %ld results, sum of squares %llu\n",
		 njobs, workers, workers == 1 ? "" : "s", got, sum);
	return 0;
}
