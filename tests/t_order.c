/*
 * t_order.c - the scheduling order is part of the API: spawn appends to the
 * tail and does not switch, yield goes to the tail and runs the head, a
 * finished coroutine hands over to the head; main takes part like the rest.
 */
#include "check.h"

static char log[64];
static int n;

static void rec(char c)
{
	if (n < (int)sizeof log - 1)
		log[n++] = c;
}

static void worker(void *arg)
{
	for (int i = 0; i < 3; i++) {
		rec((char)(long)arg);
		co_yield();
	}
}

static void spawner(void *arg)
{
	(void)arg;
	rec('s');
	co_spawn(worker, (void *)'z');  /* behind b, which is already ready */
	rec('s');
	co_yield();
	rec('S');
}

static int ids[4];

static void who(void *arg)
{
	ids[(long)arg] = co_self();
}

int main(void)
{
	int a = co_spawn(worker, (void *)'a');
	int b = co_spawn(worker, (void *)'b');
	int c = co_spawn(worker, (void *)'c');

	check(a == 1 && b == 2 && c == 3, "ids count from 1", "%d %d %d", a, b, c);
	rec('M');                       /* spawn did not switch */
	for (int i = 0; i < 4; i++) {
		co_yield();
		rec('M');
	}
	check(str_eq(log, "MabcMabcMabcMM"), "yield: round robin with main", "%s", log);
	check(co_self() == 0, "main is coroutine 0", "%d", co_self());

	n = 0;
	co_spawn(spawner, 0);
	co_spawn(worker, (void *)'b');
	co_run();
	log[n] = 0;
	check(str_eq(log, "ssbzSbzbz"), "spawn appends to the tail", "%s", log);

	for (long i = 1; i <= 3; i++)
		co_spawn(who, (void *)i);
	co_yield();                     /* all three run and finish, then main */
	check(ids[1] == 7 && ids[2] == 8 && ids[3] == 9, "co_self in coroutines",
	      "%d %d %d", ids[1], ids[2], ids[3]);
	check(co_run() == 0, "co_run with nothing to run", "0");
	return check_done();
}
