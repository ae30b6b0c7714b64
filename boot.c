/*
 * boot.c - the way in: from _start (start.S) to main and out.
 *
 * _start passes the initial stack pointer; _co_start_c reads argc, argv
 * and envp there, keeps argv[0] (messages start with its last component)
 * and envp (the auxiliary vector follows it), sets up the scheduler and
 * the fault report (unless FAULT_REPORT=0), runs main and exits with its
 * status through co_exit_process (print.c).  Nothing else: the parts that
 * need more find it themselves when first used (print.c the name's last
 * component, syscalls.c the auxiliary vector), so a program that never
 * asks pays for no scan at start.  The top of the runtime:
 * nothing calls into this file but _start.  (Not start.c: its object would
 * be start.S's, obj/start.o.)
 */
#include "coroutine.h"
#include "internal.h"

int main(int argc, char **argv, char **envp);

/* Called by _start with the initial stack pointer, which points at argc
 * (start.S draws that stack).  A program started with no argv[0] (execve
 * allows it) has argv[0] NULL, argv's end: co_put_err names it "-". */
_Noreturn void _co_start_c(long *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1), **envp = argv + argc + 1;

	_co_name = argv[0];
	_co_envp = envp;
	_co_init();              /* the ready ring */
	if (CO_FAULT_REPORT)
		_co_fault_init();        /* the fault report, before anything can fault */
	co_exit_process(main(argc, argv, envp));
}
