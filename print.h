/*
 * print.h - small output over write(2), no libc.
 *
 * The pieces: co_put_str writes a string, co_put_fmt a template in which each '#'
 * stands for the next argument in unsigned decimal and each '@' for the next
 * in hex digits (write "0x@" for an address), to fd 1 or 2.  They are all
 * the runtime itself uses (print.c), so a program that never calls
 * co_print, co_eprint, co_format or co_vformat does not carry the formatter
 * (format.c).
 *
 * The formatter: co_print, co_eprint and co_format, printf-style, by C's rules for
 *   conversions  d i u o x X c s p %, and C23's b B (binary);
 *   flags        '-' '0' '+' ' ' '#' (and ' I, which change nothing in the
 *                C locale);
 *   width and precision, digits or '*' (an int argument; a negative width
 *                left-justifies, a negative precision is none); on integers
 *                the precision is the least number of digits (%.0d of 0
 *                prints none) and '0' is ignored with it; on %s it is the
 *                most bytes printed, and no byte past them is read;
 *   length       hh h l ll z t j (and q, L as ll, Z as z).
 * It differs from the C library's where C leaves it open: %p prints 0x
 * and hex digits, 0x0 for NULL; %s of NULL prints "(null)" (cut by the
 * precision).  A result longer than INT_MAX returns -1, as snprintf does.
 *
 * Not done: floating point (%f %F %e %E %g %G %a %A, with l, L, and the
 * decimal H D DD), %n, %lc %C, %ls %S, %m, positional arguments (%1$d).
 * The compiler accepts them all under format(printf) and cannot be told
 * not to, so each is printed as written ("%5.2f" prints "%5.2f"), a visible
 * marker, and its argument is stepped over, never read: the conversions
 * after it print their own arguments.  (%n stores nothing; %m and %1$d
 * take no argument.)  Floating point is left out because printing it
 * exactly, as C asks, would take more code than the rest of the runtime.
 *
 * Standard output is buffered (CO_PRINT_BUFFER bytes) and flushed when the
 * buffer fills, by co_flush(), and when the process exits through
 * co_exit_process() or by returning from main.  As with C's stdio, whether
 * stdout is a terminal is decided once, at the first output to it: on a
 * terminal it is line-buffered (flushed at each newline), elsewhere (a
 * file, a pipe) fully buffered.  The fault report flushes it too, before
 * its line (docs/debugging.md).  Standard error is not
 * buffered: each co_put_str or co_put_fmt piece is written at once, a co_eprint() in
 * one write when it is under 256 bytes.  Partial writes and EINTR are
 * retried.  A write to stdout or stderr that finds a broken pipe (or
 * socket) ends the process by SIGPIPE, silently (status 141 in a shell), as
 * `yes | head` expects: the kernel's default action, which the runtime puts
 * back first if co_write has installed its SIGPIPE handler (docs/events.md).
 * Only a program started with SIGPIPE ignored or blocked sees EPIPE there.
 * A flush of stdout that fails for good otherwise (EPIPE so; a closed fd,
 * EBADF; ENOSPC; EAGAIN from a non-blocking one) ends the process with
 * status CO_EXIT_IO and one line on stderr.  A failed write to stderr is
 * not reported (there is nowhere to).
 */
#ifndef PRINT_H
#define PRINT_H

#include <stdarg.h>     /* the compiler's own header: no libc */

#define CO_PRINT_BUFFER 4096

/* To fd 1 (buffered) or 2 (written at once).  co_put_fmt takes up to
 * four numbers, so it needs no varargs:
 *     co_put_fmt(1, "coroutine # at 0x@\n", id, (long)p, 0, 0);  */
void co_put_str(int fd, const char *s);
void co_put_fmt(int fd, const char *tmpl, long a, long b, long c, long d);

/* A message on stderr in the Unix way: the program's name (argv[0]'s last
 * component), ": ", then the template with up to one number. */
void co_put_err(const char *tmpl, long a);

/* A number as a string literal, for messages that name a setting:
 * "chunks of " CO_STR(CO_STACK_SIZE) " bytes" costs no conversion. */
#define CO_STR(x) CO_STR_(x)
#define CO_STR_(x) #x

int co_print(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int co_eprint(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void co_flush(void);

/* Like snprintf: formats into buf (always NUL-terminated when size > 0) and
 * returns the length the whole result would have (-1 past INT_MAX).
 * co_vformat takes a va_list from any variadic function, built with
 * floating-point registers or without. */
int co_format(char *buf, unsigned long size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int co_vformat(char *buf, unsigned long size, const char *fmt, va_list ap);

/* Write all len bytes to fd, retrying partial writes and EINTR.  Returns
 * len, or the first negative errno that stopped it (-EAGAIN included: a
 * non-blocking fd is the caller's to wait for).  EPIPE on fd 1 or 2 kills
 * by SIGPIPE, as above. */
long co_write_all(int fd, const void *buf, unsigned long len);

#endif
