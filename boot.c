/*
 * boot.c - the way in: from _start (start.S) to main and out.
 *
 * _start passes the initial stack pointer; _co_start_c reads argc, argv,
 * envp and the auxiliary vector there, names the program for messages,
 * sets up the scheduler and the fault report (unless FAULT_REPORT=0),
 * runs main and exits with its status through co_exit_process (print.c).  The top of the runtime:
 * nothing calls into this file but _start.  (Not start.c: its object would
 * be start.S's, obj/start.o.)
 */
#include "coroutine.h"
#include "internal.h"

int main(int argc, char **argv, char **envp);

/* Called by _start with the initial stack pointer, which points at argc
 * (start.S draws that stack).  The auxiliary vector follows envp's NULL.
 * A program started with no argv[0] (execve allows it) is named "-". */
_Noreturn void _co_start_c(long *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1), **envp = argv + argc + 1, **e = envp;
	const char *name = argc ? argv[0] : "-";

	while (*e++)
		;
	_co_auxv = (unsigned long *)e;
	for (_co_name = name; *name; )
		if (*name++ == '/')
			_co_name = name;
	_co_init();              /* the ready ring */
	if (CO_FAULT_REPORT)
		_co_fault_init();        /* the fault report, before anything can fault */
	co_exit_process(main(argc, argv, envp));
}
