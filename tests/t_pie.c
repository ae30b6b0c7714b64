/*
 * t_pie.c - the load address and the data that holds addresses
 * (docs/boot.md).  Its table, in any build: pointers kept in read-only
 * data (a table of functions, one of strings) and in writable data point
 * where they should and work.  In a PIE=1 build also: the program runs
 * away from its link address (0), relocated by _start (reloc.c), with the
 * load base on a page; the relocated read-only data cannot be written
 * (RELRO: the kernel, asked to write a byte there, answers -EFAULT).
 *
 * "t_pie addresses": one line, a function's address, stack_pool's and the
 * load base (0 in a default build), for run.sh to compare two runs: a
 * PIE=1 program loads at another address each run (the kernel's ASLR).
 */
#include "check.h"

#if CO_PIE
extern unsigned long _co_load_base;             /* reloc.c */
extern const char __ehdr_start[] __attribute__((visibility("hidden")));
#define LOAD_BASE _co_load_base
#else
#define LOAD_BASE 0UL
#endif

static __attribute__((noinline)) int add1(int x) { return x + 1; }
static __attribute__((noinline)) int twice(int x) { return 2 * x; }

/* Read-only once relocated (.data.rel.ro under -fpie). */
static int (*const ops[])(int) = { add1, twice };
static const char *const words[] = { "alpha", "beta" };
/* Writable, holding addresses (.data). */
static int counter;
static int *counter_at = &counter;
static const char *word = "gamma";

/* The compiler must read these from memory, not fold them. */
static int (*const *volatile ops_at)(int) = ops;
static const char *const *volatile words_at = words;

/* Can the kernel write p's byte (its own value, back)?  0: -EFAULT. */
static __attribute__((unused)) int kernel_writes(const void *p)
{
	int fd[2];
	long r;

	if (sys_pipe2(fd, 0) < 0)
		return -1;
	sys_write(fd[1], p, 1);
	r = sys_read(fd[0], (void *)p, 1);
	sys_close(fd[0]);
	sys_close(fd[1]);
	return r != -EFAULT;
}

int main(int argc, char **argv)
{
	if (argc > 1 && str_eq(argv[1], "addresses")) {
		co_print("add1 0x%lx stack_pool 0x%lx base 0x%lx\n", (unsigned long)add1,
			 (unsigned long)stack_pool, LOAD_BASE);
		return 0;
	}
	CHECK_EQ("a table of functions in read-only data", ops_at[0](20) + ops_at[1](10), 41);
	check(str_eq(words_at[0], "alpha") && str_eq(words_at[1], "beta"),
	      "a table of strings in read-only data", "%s %s", words_at[0], words_at[1]);
	*counter_at = 7;
	CHECK_EQ("a pointer in writable data", counter, 7);
	check(str_eq(word, "gamma"), "a string pointer in writable data", "%s", word);
#if CO_PIE
	check(_co_load_base != 0 && _co_load_base % CO_PAGE_SIZE == 0 &&
	      _co_load_base == (unsigned long)__ehdr_start,
	      "PIE=1: loaded away from 0, at a page", "base 0x%lx", _co_load_base);
	check((unsigned long)add1 - _co_load_base < (unsigned long)stack_pool - _co_load_base,
	      "PIE=1: code and data moved together", "add1 at base+0x%lx",
	      (unsigned long)add1 - _co_load_base);
	CHECK_EQ("PIE=1: relocated data read-only (RELRO)", kernel_writes(&ops[0]), 0);
	CHECK_EQ("PIE=1: writable data still writable", kernel_writes(&word), 1);
#else
	skip("PIE=1: loaded away from 0, at a page", "not a PIE=1 build");
	skip("PIE=1: relocated data read-only (RELRO)", "not a PIE=1 build");
#endif
	return check_done();
}
