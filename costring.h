/*
 * costring.h - the string and memory functions the runtime has, declared
 * for programs: there is no libc and no <string.h>.  Named so that it can
 * never be taken for the C library's header.
 *
 * memcpy, memmove, memset and memcmp are mem.c's, with the C standard's
 * contracts (the compiler calls them too, for struct copies and large
 * initialisers: every program carries them).  co_strlen is helpers.c's,
 * linked only into programs that call it.
 */
#ifndef COSTRING_H
#define COSTRING_H

void *memcpy(void *restrict dst, const void *restrict src, __SIZE_TYPE__ n);
void *memmove(void *dst, const void *src, __SIZE_TYPE__ n);
void *memset(void *dst, int c, __SIZE_TYPE__ n);
int memcmp(const void *a, const void *b, __SIZE_TYPE__ n);

/* The length of the NUL-terminated string s, in bytes, the NUL not counted. */
unsigned long co_strlen(const char *s);

#endif
