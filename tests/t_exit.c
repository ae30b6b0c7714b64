/*
 * t_exit.c SCENARIO - ways a run ends; tests/run.sh checks status and output.
 *   main-exit    main calls co_exit(): the others finish, the process exits 0
 *   main-return  main returns 7 with coroutines still ready: exit 7 at once
 *   cycle        1 joins 2, 2 joins 1, main in co_run: deadlock, exit 70
 *   chain        main joins 1, 1 joins 2, 2 joins 1: deadlock, exit 70
 *   crowd        20 coroutines wait on a queue nobody wakes, main in co_run:
 *                deadlock, the first 16 waits named, then a count
 * It also builds only if coroutine.h names the API's error codes.
 */
#include "coroutine.h"
#include "print.h"
#include "args.h"

/* coroutine.h alone names every error code the API returns (this file
 * includes no syscalls.h and no libc): otherwise it does not build. */
_Static_assert(EAGAIN > 0 && EALREADY > 0 && EBADF > 0 && EBUSY > 0 && ECANCELED > 0 &&
	       EDEADLK > 0 && EFAULT > 0 && EINVAL > 0 && EMFILE > 0 && ENOMEM > 0 &&
	       ENOSPC > 0 && EOVERFLOW > 0 && EPERM > 0 && EPIPE > 0 && ESHUTDOWN > 0 &&
	       ESRCH > 0 && ETIMEDOUT > 0, "coroutine.h names the error codes");

static void talk(void *arg)
{
	for (int i = 0; i < 2; i++) {
		co_print("coroutine %d says %s %d\n", co_self(), (char *)arg, i);
		co_yield();
	}
}

static void join_it(void *arg)
{
	co_join((int)(long)arg);
}

static struct co_queue nobody_wakes;

static void wait_forever(void *arg)
{
	(void)arg;
	co_wait(&nobody_wakes, -1);
}

int main(int argc, char **argv)
{
	const char *s = argc > 1 ? argv[1] : "";

	if (str_eq(s, "main-exit")) {
		co_spawn(talk, "hello");
		co_spawn(talk, "world");
		co_print("main leaves\n");
		co_exit();
	}
	if (str_eq(s, "main-return")) {
		co_spawn(talk, "never");
		co_print("main returns 7\n");
		return 7;
	}
	if (str_eq(s, "cycle")) {
		co_spawn(join_it, (void *)2);
		co_spawn(join_it, (void *)1);
		co_run();
		co_print("not reached\n");
		return 0;
	}
	if (str_eq(s, "chain")) {
		co_spawn(join_it, (void *)2);
		co_spawn(join_it, (void *)1);
		co_join(1);
		co_print("not reached\n");
		return 0;
	}
	if (str_eq(s, "crowd")) {
		for (int i = 0; i < 20; i++)
			co_spawn(wait_forever, 0);
		co_run();
		co_print("not reached\n");
		return 0;
	}
	co_eprint("usage: t_exit main-exit|main-return|cycle|chain|crowd\n");
	return CO_EXIT_USAGE;
}
