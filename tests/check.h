/*
 * check.h - the test programs' table: one numbered line per check, with what
 * was observed, ending [OK] or [FAIL] (or [SKIP] with the reason).  tests/run.sh
 * counts the lines.
 */
#ifndef CHECK_H
#define CHECK_H

#include "coroutine.h"
#include "print.h"
#include "syscalls.h"
#include "args.h"

static int checks, failures;

static __attribute__((format(printf, 3, 4)))
int check(int ok, const char *name, const char *observed, ...)
{
	char obs[160];
	va_list ap;

	va_start(ap, observed);
	co_vformat(obs, sizeof obs, observed, ap);
	va_end(ap);
	checks++;
	failures += !ok;
	co_print("%3d %-46s %-28s %s\n", checks, name, obs, ok ? "[OK]" : "[FAIL]");
	co_flush();          /* a crash later must not lose this line */
	return ok;
}

/* A check that cannot be made here: the reason instead of what was observed. */
static __attribute__((unused)) void skip(const char *name, const char *why)
{
	checks++;
	co_print("%3d %-46s %-28s [SKIP]\n", checks, name, why);
	co_flush();
}

/* got == want, both shown. */
#define CHECK_EQ(name, got, want) do {                                       \
	long long g_ = (long long)(got), w_ = (long long)(want);             \
	check(g_ == w_, name, "%lld (want %lld)", g_, w_);                   \
} while (0)

/* The exit status: 0 when every check passed. */
static int check_done(void)
{
	return failures != 0;
}

#endif
