/*
 * t_boot.c - what _start hands to main.  The runner starts it as
 *     env -i FOO=bar EMPTY= t_boot one 'two words' ''
 * and as `t_boot status N`, which must exit with status N.
 */
#include "check.h"

void _start(void);

int main(int argc, char **argv, char **envp)
{
	int nenv = 0, foo = 0, empty = 0;

	if (argc == 3 && str_eq(argv[1], "status")) {
		return (int)arg_number(argv[2]);
	}
	CHECK_EQ("argc", argc, 4);
	check(argv[0] && argv[0][0], "argv[0] is there", "%s", argv[0] ? argv[0] : "-");
	check(argc > 1 && str_eq(argv[1], "one"), "argv[1]", "%s", argc > 1 ? argv[1] : "-");
	check(argc > 2 && str_eq(argv[2], "two words"), "argv[2] keeps its space", "%s",
	      argc > 2 ? argv[2] : "-");
	check(argc > 3 && str_eq(argv[3], ""), "argv[3] is empty", "'%s'", argc > 3 ? argv[3] : "-");
	check(argv[argc] == 0, "argv[argc] is NULL", "%p", (void *)argv[argc]);
	for (char **e = envp; *e; e++) {
		nenv++;
		foo += str_eq(*e, "FOO=bar");
		empty += str_eq(*e, "EMPTY=");
	}
	check(foo == 1 && empty == 1, "envp holds FOO=bar and EMPTY=", "%d variables", nenv);
	check(envp == argv + argc + 1, "envp follows argv's NULL", "%p", (void *)envp);
	CHECK_EQ("auxv: AT_PAGESZ", co_auxv(AT_PAGESZ), 4096);
	check(co_auxv(AT_ENTRY) == (unsigned long)_start, "auxv: AT_ENTRY is _start",
	      "%lx", co_auxv(AT_ENTRY));
	check(co_auxv(AT_RANDOM) != 0, "auxv: AT_RANDOM", "%lx", co_auxv(AT_RANDOM));
	check(co_auxv(12345) == 0, "auxv: an absent type gives 0", "%lx", co_auxv(12345));
	CHECK_EQ("auxv: the old name sys_auxv still works", sys_auxv(AT_PAGESZ), 4096);
	return check_done();
}
