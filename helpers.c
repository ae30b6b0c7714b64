/*
 * helpers.c - small helpers users would otherwise copy: co_strlen
 * (costring.h), co_chan_len and co_sem_value (coroutine.h).  Each is
 * linked only into programs that call it.
 */
#include "coroutine.h"
#include "costring.h"
#include "syscalls.h"

unsigned long co_strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return p - s;
}

int co_chan_len(const struct co_chan *ch)
{
	if (!ch || ch->magic != CO_CHAN_MAGIC)
		return -EINVAL;
	return ch->count;
}

long co_sem_value(const struct co_sem *s)
{
	return s ? s->count : -EINVAL;
}
